#include "ui/gl/retained_frame.hpp"

#include <backends/imgui_impl_opengl3.h>

#include <algorithm>
#include <cmath>
#include <memory>

namespace sglab::ui::gl {

namespace {

// Whether a triangle can colour a pixel of `rect`: its box, one pixel wider
// (rasterisation samples pixel centres; the margin keeps the test conservative),
// meets the rectangle.
bool may_touch(const ImVec2& a, const ImVec2& b, const ImVec2& c, const DamageRect& rect) {
  return std::max({a.x, b.x, c.x}) + 1.0f >= rect.x0 && std::min({a.x, b.x, c.x}) - 1.0f <= rect.x1 &&
         std::max({a.y, b.y, c.y}) + 1.0f >= rect.y0 && std::min({a.y, b.y, c.y}) - 1.0f <= rect.y1;
}

}  // namespace

// The part of `data` to draw inside `rect`: the triangles that may touch it, in
// their order, each command's clip rectangle intersected with it. Only those go
// to the driver: ImGui's renderer uploads and transforms a window's whole vertex
// buffer, 36k vertices in the mixing-dynamics lab, while a damaged rectangle
// often holds a few hundred. Dropping a triangle that cannot reach a pixel of
// the (scissored) rectangle changes no pixel drawn.
ImDrawData* RetainedFrame::inside(ImDrawData& data, const DamageRect& rect) {
  std::size_t used = 0;
  for (int l = 0; l < data.CmdListsCount; ++l) {
    const ImDrawList& from = *data.CmdLists[l];
    if (used == part_lists_.size()) part_lists_.push_back(std::make_unique<ImDrawList>(ImGui::GetDrawListSharedData()));
    ImDrawList& to = *part_lists_[used];
    to.CmdBuffer.resize(0);
    to.IdxBuffer.resize(0);
    to.VtxBuffer.resize(0);
    vertex_map_.assign(static_cast<std::size_t>(from.VtxBuffer.Size), -1);
    int base = 0;  // the commands' VtxOffset: 16-bit indices count from it
    for (const ImDrawCmd& cmd : from.CmdBuffer) {
      const ImVec4 clip(std::max(cmd.ClipRect.x, rect.x0), std::max(cmd.ClipRect.y, rect.y0),
                        std::min(cmd.ClipRect.z, rect.x1), std::min(cmd.ClipRect.w, rect.y1));
      if (cmd.UserCallback != nullptr) {  // passed on (whole-display damage: ui/draw_damage.hpp)
        ImDrawCmd call = cmd;
        call.ClipRect = clip;
        call.VtxOffset = static_cast<unsigned int>(base);
        call.IdxOffset = static_cast<unsigned int>(to.IdxBuffer.Size);
        call.ElemCount = 0;
        to.CmdBuffer.push_back(call);
        continue;
      }
      if (!(clip.z > clip.x && clip.w > clip.y)) continue;
      ImDrawCmd out;
      out.ClipRect = clip;
      out.TextureId = cmd.TextureId;
      out.VtxOffset = static_cast<unsigned int>(base);
      out.IdxOffset = static_cast<unsigned int>(to.IdxBuffer.Size);
      out.ElemCount = 0;
      const ImDrawVert* vtx = from.VtxBuffer.Data + cmd.VtxOffset;
      const ImDrawIdx* idx = from.IdxBuffer.Data + cmd.IdxOffset;
      for (unsigned int t = 0; t + 2 < cmd.ElemCount; t += 3) {
        const ImDrawVert* v[3] = {&vtx[idx[t]], &vtx[idx[t + 1]], &vtx[idx[t + 2]]};
        if (!may_touch(v[0]->pos, v[1]->pos, v[2]->pos, rect)) continue;
        // Before the indices would overflow: a new base, in a new command
        // (vertices copied below the base are copied again when used).
        if (to.VtxBuffer.Size - base > 0xFFFF - 3) {
          if (out.ElemCount > 0) to.CmdBuffer.push_back(out);
          base = to.VtxBuffer.Size;
          out.VtxOffset = static_cast<unsigned int>(base);
          out.IdxOffset = static_cast<unsigned int>(to.IdxBuffer.Size);
          out.ElemCount = 0;
        }
        for (int k = 0; k < 3; ++k) {
          int& mapped = vertex_map_[static_cast<std::size_t>(v[k] - from.VtxBuffer.Data)];
          if (mapped < base) {  // not copied yet, or below the base
            mapped = to.VtxBuffer.Size;
            to.VtxBuffer.push_back(*v[k]);
          }
          to.IdxBuffer.push_back(static_cast<ImDrawIdx>(mapped - base));
        }
        out.ElemCount += 3;
      }
      if (out.ElemCount > 0) to.CmdBuffer.push_back(out);
    }
    if (!to.CmdBuffer.empty()) ++used;
  }
  part_pointers_.clear();
  for (std::size_t l = 0; l < used; ++l) part_pointers_.push_back(part_lists_[l].get());
  part_ = data;
  part_.CmdLists = part_pointers_.data();
  part_.CmdListsCount = static_cast<int>(used);
  part_.TotalVtxCount = part_.TotalIdxCount = 0;
  for (const ImDrawList* list : part_pointers_) {
    part_.TotalVtxCount += list->VtxBuffer.Size;
    part_.TotalIdxCount += list->IdxBuffer.Size;
  }
  return &part_;
}

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
    ImGui_ImplOpenGL3_RenderDrawData(inside(data, rect));
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
