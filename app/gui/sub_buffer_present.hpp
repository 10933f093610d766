#pragma once
// Shows a frame by copying only its changed rectangles from the back buffer to
// the window (GLX_MESA_copy_sub_buffer, which Mesa's drivers, llvmpipe
// included, provide) instead of swapping the whole window. Under a software
// renderer a swap copies every pixel (and a back buffer kept offscreen must
// first be copied whole into it: ~7 ms of llvmpipe CPU at 1600×900); with this,
// a frame whose progress text changed costs the text's pixels. The window is
// then never swapped, so its back buffer keeps the last frame
// (ui/gl/retained_frame.hpp). Where the extension is missing, available() is
// false and the frame loop swaps.

#include <vector>

#include "ui/draw_damage.hpp"

namespace sglab::gui {

class SubBufferPresent {
 public:
  /// Uses the current GL context's window; `enabled` false: never available.
  explicit SubBufferPresent(bool enabled);
  bool available() const { return copy_ != nullptr; }
  /// Copies each rectangle (display coordinates, scaled by `scale` to
  /// framebuffer pixels; `framebuffer_height` flips to GL's bottom-left origin).
  void present(const std::vector<ui::DamageRect>& rects, float scale_x, float scale_y, int framebuffer_height) const;

 private:
  // GLX types kept opaque here (no X11 headers for the frame loop): the .cpp casts them back.
  void* display_ = nullptr;        ///< Display*
  unsigned long drawable_ = 0;     ///< GLXDrawable
  void (*copy_)() = nullptr;       ///< glXCopySubBufferMESA
};

}  // namespace sglab::gui
