#include "ui/gl/shader_program.hpp"

#include <utility>
#include <vector>

namespace sglab::ui::gl {

namespace {

GLuint compile(GLenum kind, const char* source, const std::string& name, std::string& error) {
  const GLuint shader = glCreateShader(kind);
  glShaderSource(shader, 1, &source, nullptr);
  glCompileShader(shader);
  GLint ok = GL_FALSE;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  if (ok != GL_TRUE) {
    GLint length = 0;
    glGetShaderiv(shader, GL_INFO_LOG_LENGTH, &length);
    std::vector<char> log(static_cast<std::size_t>(std::max(length, 1)));
    glGetShaderInfoLog(shader, length, nullptr, log.data());
    error = name + (kind == GL_VERTEX_SHADER ? " (vertex)" : " (fragment)") + ": " + log.data();
    glDeleteShader(shader);
    return 0;
  }
  return shader;
}

}  // namespace

ShaderProgram::ShaderProgram(const char* vertex_source, const char* fragment_source,
                             const std::string& name) {
  const GLuint vs = compile(GL_VERTEX_SHADER, vertex_source, name, error_);
  if (vs == 0) return;
  const GLuint fs = compile(GL_FRAGMENT_SHADER, fragment_source, name, error_);
  if (fs == 0) {
    glDeleteShader(vs);
    return;
  }
  id_ = glCreateProgram();
  glAttachShader(id_, vs);
  glAttachShader(id_, fs);
  glLinkProgram(id_);
  glDeleteShader(vs);
  glDeleteShader(fs);
  GLint ok = GL_FALSE;
  glGetProgramiv(id_, GL_LINK_STATUS, &ok);
  if (ok != GL_TRUE) {
    GLint length = 0;
    glGetProgramiv(id_, GL_INFO_LOG_LENGTH, &length);
    std::vector<char> log(static_cast<std::size_t>(std::max(length, 1)));
    glGetProgramInfoLog(id_, length, nullptr, log.data());
    error_ = name + " (link): " + log.data();
    glDeleteProgram(id_);
    id_ = 0;
  }
}

ShaderProgram::~ShaderProgram() {
  if (id_ != 0) glDeleteProgram(id_);
}

ShaderProgram::ShaderProgram(ShaderProgram&& o) noexcept
    : id_(std::exchange(o.id_, 0)), error_(std::move(o.error_)) {}

ShaderProgram& ShaderProgram::operator=(ShaderProgram&& o) noexcept {
  if (this != &o) {
    if (id_ != 0) glDeleteProgram(id_);
    id_ = std::exchange(o.id_, 0);
    error_ = std::move(o.error_);
  }
  return *this;
}

}  // namespace sglab::ui::gl
