#pragma once
// ImageTextures on OpenGL 3.3: one RGBA8 texture per key, re-specified when the
// size changes and updated with glTexSubImage2D when the version does. Needs a
// current context for its whole life.

#include <cstdint>
#include <map>
#include <string>

#include "ui/gl/gl_headers.hpp"
#include "ui/image_textures.hpp"

namespace sglab::ui::gl {

class GlImageTextures final : public ImageTextures {
 public:
  GlImageTextures() = default;
  ~GlImageTextures() override;
  GlImageTextures(const GlImageTextures&) = delete;
  GlImageTextures& operator=(const GlImageTextures&) = delete;

  ImTextureID image(const std::string& key, const std::uint32_t* pixels, int width, int height,
                    std::uint64_t version) override;
  std::uint64_t uploads() const override { return uploads_; }

 private:
  struct Entry {
    GLuint texture = 0;
    int width = 0, height = 0;
    std::uint64_t version = 0;
  };
  std::map<std::string, Entry> entries_;
  std::uint64_t uploads_ = 0;
};

}  // namespace sglab::ui::gl
