#pragma once
// `sglab --verify-redraw`: after every drawn frame, the kept frame (what the
// damaged-rectangle redraw made of the previous one: ui/draw_damage.hpp,
// ui/gl/retained_frame.hpp) is read, the whole frame drawn anew over it and
// read again. A scissored draw shades each pixel exactly as the unscissored one,
// so the two must be equal bit for bit: any difference is a changed triangle the
// damage missed. (The same target both times: an offscreen framebuffer of
// another pixel format may blend with other roundings.) For tests: it draws
// every frame twice and reads it back twice.

#include <imgui.h>

#include <cstdint>
#include <string>
#include <vector>

#include "ui/gl/retained_frame.hpp"

namespace sglab::gui {

class RedrawCheck {
 public:
  /// `frame_kept` holds the frame just drawn (`data`, cleared to `clear`).
  void check(ui::gl::RetainedFrame& frame_kept, ImDrawData& data, const ImVec4& clear, int width, int height);
  bool ok() const { return mismatched_frames_ == 0; }
  /// "partial redraws equal whole redraws in N of N frames" (or the first difference).
  std::string summary() const;

 private:
  std::vector<std::uint8_t> shown_, whole_;
  int frames_ = 0, mismatched_frames_ = 0;
  int first_bad_frame_ = -1, first_bad_x_ = 0, first_bad_y_ = 0;
  long first_bad_pixels_ = 0;
};

}  // namespace sglab::gui
