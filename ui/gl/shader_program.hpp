#pragma once
// RAII GLSL program compiled from embedded sources (shaders/ → generated header).

#include <string>

#include "ui/gl/gl_headers.hpp"

namespace sglab::ui::gl {

class ShaderProgram {
 public:
  ShaderProgram() = default;
  /// Compiles and links; on failure id() is 0 and error() says why.
  ShaderProgram(const char* vertex_source, const char* fragment_source, const std::string& name);
  ~ShaderProgram();
  ShaderProgram(const ShaderProgram&) = delete;
  ShaderProgram& operator=(const ShaderProgram&) = delete;
  ShaderProgram(ShaderProgram&& o) noexcept;
  ShaderProgram& operator=(ShaderProgram&& o) noexcept;

  GLuint id() const { return id_; }
  const std::string& error() const { return error_; }
  GLint uniform(const char* name) const { return glGetUniformLocation(id_, name); }

 private:
  GLuint id_ = 0;
  std::string error_;
};

}  // namespace sglab::ui::gl
