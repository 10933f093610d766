#pragma once
// Images the UI computes on the CPU (the dynamics lab's λ heat map) shown as
// one textured quad instead of thousands of ImDrawList rectangles: under a
// software renderer every rectangle is two triangles to set up, while a
// texture is one quad. The GL implementation is ui/gl/gl_image_textures;
// without GL (tests on ImGui's null backend) UiContext::images is nullptr and
// the panels draw rectangles.

#include <imgui.h>

#include <cstdint>
#include <string>

namespace sglab::ui {

class ImageTextures {
 public:
  virtual ~ImageTextures() = default;
  /// The texture named `key` holding `width` × `height` RGBA pixels (IM_COL32
  /// words, row 0 at the top, sampled nearest so each pixel stays a sharp cell).
  /// The pixels are uploaded only when `version` or the size differs from the
  /// last upload under `key`. nullptr when the texture cannot be made.
  virtual ImTextureID image(const std::string& key, const std::uint32_t* pixels, int width,
                            int height, std::uint64_t version) = 0;
  /// Uploads so far (all keys): tests and the frame log see that an unchanged image is not sent
  /// again.
  virtual std::uint64_t uploads() const = 0;
};

}  // namespace sglab::ui
