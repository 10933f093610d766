#include "ui/gl/gl_image_textures.hpp"

#include "ui/gl/texture_writes.hpp"

namespace sglab::ui::gl {

GlImageTextures::~GlImageTextures() {
  for (auto& [key, e] : entries_)
    if (e.texture != 0) glDeleteTextures(1, &e.texture);
}

ImTextureID GlImageTextures::image(const std::string& key, const std::uint32_t* pixels, int width,
                                   int height, std::uint64_t version) {
  if (pixels == nullptr || width <= 0 || height <= 0) return nullptr;
  Entry& e = entries_[key];
  const bool resized = e.texture == 0 || e.width != width || e.height != height;
  if (!resized && e.version == version)
    return reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(e.texture));

  GLint last_texture = 0, last_active = 0, last_alignment = 4, last_row_length = 0;
  glGetIntegerv(GL_ACTIVE_TEXTURE, &last_active);
  glActiveTexture(GL_TEXTURE0);
  glGetIntegerv(GL_TEXTURE_BINDING_2D, &last_texture);
  glGetIntegerv(GL_UNPACK_ALIGNMENT, &last_alignment);
  glGetIntegerv(GL_UNPACK_ROW_LENGTH, &last_row_length);
  if (e.texture == 0) glGenTextures(1, &e.texture);
  glBindTexture(GL_TEXTURE_2D, e.texture);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
  if (resized) {
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, pixels);
  } else {
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, pixels);
  }
  e.width = width;
  e.height = height;
  e.version = version;
  ++uploads_;
  ++texture_writes();
  glPixelStorei(GL_UNPACK_ALIGNMENT, last_alignment);
  glPixelStorei(GL_UNPACK_ROW_LENGTH, last_row_length);
  glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(last_texture));
  glActiveTexture(static_cast<GLenum>(last_active));
  return reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(e.texture));
}

}  // namespace sglab::ui::gl
