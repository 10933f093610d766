#pragma once
// The frame kept between frames so that only its damaged rectangles are redrawn
// (ui/draw_damage.hpp). Two ways to keep it:
// - in the window's back buffer, when the window is never swapped but shows
//   rectangles of it with glXCopySubBufferMESA (app/gui/sub_buffer_present.hpp):
//   the back buffer's contents are only undefined after a swap;
// - otherwise in an offscreen framebuffer, copied whole to the back buffer
//   before each swap.
// GL thread only.

#include <imgui.h>

#include <memory>
#include <vector>

#include "ui/draw_damage.hpp"
#include "ui/gl/colour_framebuffer.hpp"
#include "ui/gl/gl_headers.hpp"

namespace sglab::ui::gl {

class RetainedFrame {
 public:
  /// `in_back_buffer`: the window is never swapped (see above).
  explicit RetainedFrame(bool in_back_buffer) : in_back_buffer_(in_back_buffer) {}

  /// Makes the kept image `width` × `height` framebuffer pixels. True when it
  /// was (re)made: its pixels are undefined and the whole frame must be drawn.
  /// False also when no framebuffer object could be made: see ok().
  bool resize(int width, int height);
  bool ok() const { return width_ > 0; }

  /// Clears each rectangle of `damage` (display coordinates) to `clear` and
  /// draws `data` clipped to it into the kept image.
  void render(ImDrawData& data, const std::vector<DamageRect>& damage, const ImVec4& clear);
  /// Offscreen: copies the kept image to the window's back buffer (in the back
  /// buffer: nothing to do). Framebuffer 0 is left bound.
  void copy_to_back_buffer();
  /// The framebuffer holding the kept image (0: the window's).
  GLuint framebuffer() const { return image_ ? image_->id() : 0; }

 private:
  ImDrawData* inside(ImDrawData& data, const DamageRect& rect);

  bool in_back_buffer_;
  std::unique_ptr<ColourFramebuffer> image_;  ///< offscreen only
  int width_ = 0, height_ = 0;
  // inside()'s result and buffers, kept between frames (no allocation per frame).
  ImDrawData part_;
  std::vector<std::unique_ptr<ImDrawList>> part_lists_;
  std::vector<ImDrawList*> part_pointers_;
  std::vector<int> vertex_map_;  ///< a source vertex's index in the part's list (−1: not copied)
};

}  // namespace sglab::ui::gl
