#pragma once
// Saves the GL state that ImGui's renderer does not set itself on every frame
// (framebuffer, program, vertex array, buffer, texture unit and binding,
// viewport, clear colour, blending, scissor) and restores it when the object
// goes: for the renderers that draw into their own textures mid-frame.

#include "ui/gl/gl_headers.hpp"

namespace sglab::ui::gl {

class SavedGlState {
 public:
  SavedGlState() {
    glGetIntegerv(GL_FRAMEBUFFER_BINDING, &fbo_);
    glGetIntegerv(GL_CURRENT_PROGRAM, &program_);
    glGetIntegerv(GL_VERTEX_ARRAY_BINDING, &vao_);
    glGetIntegerv(GL_ARRAY_BUFFER_BINDING, &buffer_);
    glGetIntegerv(GL_ACTIVE_TEXTURE, &active_texture_);
    glActiveTexture(GL_TEXTURE0);
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &texture_);
    glGetIntegerv(GL_VIEWPORT, viewport_);
    glGetFloatv(GL_COLOR_CLEAR_VALUE, clear_);
    blend_ = glIsEnabled(GL_BLEND);
    scissor_ = glIsEnabled(GL_SCISSOR_TEST);
  }
  ~SavedGlState() {
    glBindFramebuffer(GL_FRAMEBUFFER, static_cast<GLuint>(fbo_));
    glUseProgram(static_cast<GLuint>(program_));
    glBindVertexArray(static_cast<GLuint>(vao_));
    glBindBuffer(GL_ARRAY_BUFFER, static_cast<GLuint>(buffer_));
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(texture_));
    glActiveTexture(static_cast<GLenum>(active_texture_));
    glViewport(viewport_[0], viewport_[1], viewport_[2], viewport_[3]);
    glClearColor(clear_[0], clear_[1], clear_[2], clear_[3]);
    if (blend_)
      glEnable(GL_BLEND);
    else
      glDisable(GL_BLEND);
    if (scissor_)
      glEnable(GL_SCISSOR_TEST);
    else
      glDisable(GL_SCISSOR_TEST);
  }
  SavedGlState(const SavedGlState&) = delete;
  SavedGlState& operator=(const SavedGlState&) = delete;

 private:
  GLint fbo_ = 0, program_ = 0, vao_ = 0, buffer_ = 0, active_texture_ = GL_TEXTURE0, texture_ = 0;
  GLint viewport_[4] = {0, 0, 0, 0};
  GLfloat clear_[4] = {0, 0, 0, 0};
  GLboolean blend_ = GL_FALSE, scissor_ = GL_FALSE;
};

}  // namespace sglab::ui::gl
