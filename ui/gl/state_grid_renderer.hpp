#pragma once
// Draws the state-pooling grid into an offscreen texture with our own shader
// (shaders/state_grid.*), one render target per slot (BP and SG side by side).
// Needs a current OpenGL 3.3 core context for its whole life.

#include <array>
#include <cstdint>
#include <string>

#include "ui/gl/gl_headers.hpp"
#include "ui/gl/shader_program.hpp"
#include "ui/state_grid.hpp"

namespace sglab::ui::gl {

class GlStateGridRenderer final : public StateGridRenderer {
 public:
  GlStateGridRenderer();
  ~GlStateGridRenderer() override;
  GlStateGridRenderer(const GlStateGridRenderer&) = delete;
  GlStateGridRenderer& operator=(const GlStateGridRenderer&) = delete;

  ImTextureID render(int slot, const StateGridDraw& draw) override;
  const std::string& error() const override { return error_; }

 private:
  struct Target {
    GLuint values = 0;  // R32F data texture
    GLuint colour = 0;  // RGBA8 render target
    GLuint fbo = 0;
    int cols = 0, rows = 0, width = 0, height = 0;
    std::uint64_t values_version = ~std::uint64_t{0};
    const float* values_ptr = nullptr;
    StateGridDraw last;  // what the target holds now (skip redundant draws)
    bool valid = false;
  };
  void release(Target& t);
  bool upload_values(Target& t, const StateGridDraw& draw);
  bool colour_target(Target& t, const StateGridDraw& draw, bool& resized);
  void draw_grid(Target& t, const StateGridDraw& draw);

  ShaderProgram program_;
  GLuint vao_ = 0;
  std::array<Target, 2> targets_;
  std::string error_;
  GLint u_values_ = -1, u_cols_ = -1, u_rows_ = -1, u_lo_ = -1, u_hi_ = -1, u_hovered_ = -1,
        u_mask_ = -1, u_target_ = -1;
};

}  // namespace sglab::ui::gl
