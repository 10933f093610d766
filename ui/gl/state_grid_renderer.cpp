#include "ui/gl/state_grid_renderer.hpp"

#include "sglab_embedded_shaders.hpp"
#include "ui/gl/saved_gl_state.hpp"
#include "ui/gl/texture_writes.hpp"

namespace sglab::ui::gl {

GlStateGridRenderer::GlStateGridRenderer()
    : program_(shaders::kStateGridVert, shaders::kStateGridFrag, "state_grid") {
  error_ = program_.error();
  if (program_.id() == 0) return;
  glGenVertexArrays(1, &vao_);
  const GLuint p = program_.id();
  u_values_ = glGetUniformLocation(p, "u_values");
  u_cols_ = glGetUniformLocation(p, "u_cols");
  u_rows_ = glGetUniformLocation(p, "u_rows");
  u_lo_ = glGetUniformLocation(p, "u_log_lo");
  u_hi_ = glGetUniformLocation(p, "u_log_hi");
  u_hovered_ = glGetUniformLocation(p, "u_hovered");
  u_mask_ = glGetUniformLocation(p, "u_mask");
  u_target_ = glGetUniformLocation(p, "u_target_px");
}

GlStateGridRenderer::~GlStateGridRenderer() {
  for (auto& t : targets_) release(t);
  if (vao_ != 0) glDeleteVertexArrays(1, &vao_);
}

void GlStateGridRenderer::release(Target& t) {
  if (t.fbo) glDeleteFramebuffers(1, &t.fbo);
  if (t.colour) glDeleteTextures(1, &t.colour);
  if (t.values) glDeleteTextures(1, &t.values);
  t = Target{};
}

ImTextureID GlStateGridRenderer::render(int slot, const StateGridDraw& draw) {
  if (program_.id() == 0 || slot < 0 || slot > 1 || draw.values == nullptr || draw.width_px <= 0 ||
      draw.height_px <= 0)
    return nullptr;
  Target& t = targets_[static_cast<std::size_t>(slot)];
  const SavedGlState saved;
  bool dirty = upload_values(t, draw);
  bool resized = false;
  if (!colour_target(t, draw, resized)) return nullptr;
  const StateGridDraw& l = t.last;
  dirty = dirty || resized || !t.valid || l.log_lo != draw.log_lo || l.log_hi != draw.log_hi ||
          l.hovered != draw.hovered || l.mask != draw.mask;
  if (dirty) draw_grid(t, draw);
  return reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(t.colour));
}

// The per-state values as a float texture (one texel per state): true when new
// values were uploaded.
bool GlStateGridRenderer::upload_values(Target& t, const StateGridDraw& draw) {
  const int cols = draw.layout.cols, rows = draw.layout.rows;
  bool uploaded = false;
  if (t.values == 0 || t.cols != cols || t.rows != rows) {
    if (t.values == 0) glGenTextures(1, &t.values);
    glBindTexture(GL_TEXTURE_2D, t.values);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, cols, rows, 0, GL_RED, GL_FLOAT, nullptr);
    t.cols = cols;
    t.rows = rows;
    t.values_version = ~std::uint64_t{0};
    uploaded = true;
  }
  if (t.values_version != draw.values_version || t.values_ptr != draw.values) {
    glBindTexture(GL_TEXTURE_2D, t.values);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, cols, rows, GL_RED, GL_FLOAT, draw.values);
    t.values_version = draw.values_version;
    t.values_ptr = draw.values;
    uploaded = true;
  }
  return uploaded;
}

// The colour texture the grid is drawn into, at the picture's size in pixels
// (`resized`: made anew). False when its framebuffer is incomplete.
bool GlStateGridRenderer::colour_target(Target& t, const StateGridDraw& draw, bool& resized) {
  resized = false;
  if (t.colour != 0 && t.width == draw.width_px && t.height == draw.height_px) return true;
  if (t.colour == 0) glGenTextures(1, &t.colour);
  glBindTexture(GL_TEXTURE_2D, t.colour);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, draw.width_px, draw.height_px, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
  if (t.fbo == 0) glGenFramebuffers(1, &t.fbo);
  glBindFramebuffer(GL_FRAMEBUFFER, t.fbo);
  glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, t.colour, 0);
  if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
    error_ = "state grid: framebuffer incomplete";
    release(t);
    return false;
  }
  t.width = draw.width_px;
  t.height = draw.height_px;
  resized = true;
  return true;
}

void GlStateGridRenderer::draw_grid(Target& t, const StateGridDraw& draw) {
  glBindFramebuffer(GL_FRAMEBUFFER, t.fbo);
  glViewport(0, 0, t.width, t.height);
  glDisable(GL_BLEND);
  glDisable(GL_SCISSOR_TEST);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_CULL_FACE);
  glUseProgram(program_.id());
  glBindTexture(GL_TEXTURE_2D, t.values);
  glUniform1i(u_values_, 0);
  glUniform1i(u_cols_, draw.layout.cols);
  glUniform1i(u_rows_, draw.layout.rows);
  glUniform1f(u_lo_, draw.log_lo);
  glUniform1f(u_hi_, draw.log_hi);
  glUniform1i(u_hovered_, draw.hovered);
  glUniform1ui(u_mask_, draw.mask);
  glUniform2f(u_target_, static_cast<float>(t.width), static_cast<float>(t.height));
  glBindVertexArray(vao_);
  glDrawArrays(GL_TRIANGLES, 0, 6);
  t.last = draw;
  t.valid = true;
  ++texture_writes();
}

}  // namespace sglab::ui::gl
