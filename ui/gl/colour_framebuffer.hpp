#pragma once
// An offscreen RGBA8 image to draw into: a colour renderbuffer attached to a
// framebuffer object, both deleted with the object. GL thread only.

#include "ui/gl/gl_headers.hpp"

namespace sglab::ui::gl {

class ColourFramebuffer {
 public:
  /// Leaves the new framebuffer bound (GL_FRAMEBUFFER).
  ColourFramebuffer(int width, int height) {
    glGenRenderbuffers(1, &colour_);
    glBindRenderbuffer(GL_RENDERBUFFER, colour_);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, width, height);
    glBindRenderbuffer(GL_RENDERBUFFER, 0);
    glGenFramebuffers(1, &fbo_);
    glBindFramebuffer(GL_FRAMEBUFFER, fbo_);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, colour_);
    complete_ = glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
  }
  ~ColourFramebuffer() {
    glDeleteFramebuffers(1, &fbo_);
    glDeleteRenderbuffers(1, &colour_);
  }
  ColourFramebuffer(const ColourFramebuffer&) = delete;
  ColourFramebuffer& operator=(const ColourFramebuffer&) = delete;

  bool complete() const { return complete_; }
  GLuint id() const { return fbo_; }

 private:
  GLuint fbo_ = 0, colour_ = 0;
  bool complete_ = false;
};

}  // namespace sglab::ui::gl
