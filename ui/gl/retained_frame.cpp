#include "ui/gl/retained_frame.hpp"

#include <backends/imgui_impl_opengl3.h>

#include <algorithm>
#include <cmath>
#include <memory>

namespace sglab::ui::gl {

namespace {

// The part of `data` to draw inside `rect`: every command's clip rectangle
// intersected with it (ImGui's renderer scissors by them and skips empty ones),
// and only the windows with a command left, since the renderer uploads each
// window's whole vertex buffer. `data` is restored when the object goes.
class DrawDataInside {
 public:
  DrawDataInside(ImDrawData& data, const DamageRect& rect) : data_(data), part_(data) {
    for (int l = 0; l < data.CmdListsCount; ++l) {
      bool drawn = false;
      for (ImDrawCmd& cmd : data.CmdLists[l]->CmdBuffer) {
        saved_.push_back(cmd.ClipRect);
        cmd.ClipRect = ImVec4(std::max(cmd.ClipRect.x, rect.x0), std::max(cmd.ClipRect.y, rect.y0),
                              std::min(cmd.ClipRect.z, rect.x1), std::min(cmd.ClipRect.w, rect.y1));
        drawn |= cmd.ClipRect.z > cmd.ClipRect.x && cmd.ClipRect.w > cmd.ClipRect.y;
      }
      if (drawn) lists_.push_back(data.CmdLists[l]);
    }
    part_.CmdLists = lists_.data();
    part_.CmdListsCount = static_cast<int>(lists_.size());
  }
  ~DrawDataInside() {
    std::size_t i = 0;
    for (int l = 0; l < data_.CmdListsCount; ++l)
      for (ImDrawCmd& cmd : data_.CmdLists[l]->CmdBuffer) cmd.ClipRect = saved_[i++];
  }
  DrawDataInside(const DrawDataInside&) = delete;
  DrawDataInside& operator=(const DrawDataInside&) = delete;
  ImDrawData* part() { return &part_; }

 private:
  ImDrawData& data_;
  ImDrawData part_;
  std::vector<ImDrawList*> lists_;
  std::vector<ImVec4> saved_;
};

}  // namespace

bool RetainedFrame::resize(int width, int height) {
  if (ok() && width == width_ && height == height_) return false;
  image_.reset();
  width_ = height_ = 0;
  if (width <= 0 || height <= 0) return false;
  if (!in_back_buffer_) {
    image_ = std::make_unique<ColourFramebuffer>(width, height);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    if (!image_->complete()) {
      image_.reset();
      return false;
    }
  }
  width_ = width;
  height_ = height;
  return true;
}

void RetainedFrame::render(ImDrawData& data, const std::vector<DamageRect>& damage, const ImVec4& clear) {
  glBindFramebuffer(GL_FRAMEBUFFER, framebuffer());
  glViewport(0, 0, width_, height_);
  glClearColor(clear.x, clear.y, clear.z, 1.0f);
  const ImVec2 scale = data.FramebufferScale;
  for (const DamageRect& rect : damage) {
    // The rectangle in framebuffer pixels, GL's origin at the bottom left.
    const int x0 = static_cast<int>(std::floor((rect.x0 - data.DisplayPos.x) * scale.x));
    const int x1 = static_cast<int>(std::ceil((rect.x1 - data.DisplayPos.x) * scale.x));
    const int y0 = static_cast<int>(std::floor((rect.y0 - data.DisplayPos.y) * scale.y));
    const int y1 = static_cast<int>(std::ceil((rect.y1 - data.DisplayPos.y) * scale.y));
    glEnable(GL_SCISSOR_TEST);
    glScissor(x0, height_ - y1, x1 - x0, y1 - y0);
    glClear(GL_COLOR_BUFFER_BIT);
    glDisable(GL_SCISSOR_TEST);
    DrawDataInside inside(data, rect);
    ImGui_ImplOpenGL3_RenderDrawData(inside.part());
  }
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
}

void RetainedFrame::copy_to_back_buffer() {
  if (in_back_buffer_) return;
  glBindFramebuffer(GL_READ_FRAMEBUFFER, image_->id());
  glBindFramebuffer(GL_DRAW_FRAMEBUFFER, 0);
  glBlitFramebuffer(0, 0, width_, height_, 0, 0, width_, height_, GL_COLOR_BUFFER_BIT, GL_NEAREST);
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
}

}  // namespace sglab::ui::gl
