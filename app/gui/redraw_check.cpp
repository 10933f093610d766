#include "app/gui/redraw_check.hpp"

#include "ui/gl/gl_headers.hpp"

namespace sglab::gui {

namespace {

void read_rgba(GLuint framebuffer, GLenum buffer, int width, int height, std::vector<std::uint8_t>& out) {
  out.resize(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 4);
  glBindFramebuffer(GL_READ_FRAMEBUFFER, framebuffer);
  glReadBuffer(buffer);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, out.data());
  glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
}

}  // namespace

void RedrawCheck::check(ui::gl::RetainedFrame& frame_kept, ImDrawData& data, const ImVec4& clear, int width,
                        int height) {
  const int frame = frames_++;
  const GLuint fb = frame_kept.framebuffer();
  const GLenum buffer = fb == 0 ? GL_BACK : GL_COLOR_ATTACHMENT0;
  read_rgba(fb, buffer, width, height, shown_);
  const ui::DamageRect whole{data.DisplayPos.x, data.DisplayPos.y, data.DisplayPos.x + data.DisplaySize.x,
                             data.DisplayPos.y + data.DisplaySize.y};
  frame_kept.render(data, {whole}, clear);
  read_rgba(fb, buffer, width, height, whole_);
  long bad = 0;
  int bad_x = 0, bad_y = 0;
  for (std::size_t p = 0; p < shown_.size(); p += 4) {
    // RGB only: the window's alpha channel may not exist.
    if (shown_[p] != whole_[p] || shown_[p + 1] != whole_[p + 1] || shown_[p + 2] != whole_[p + 2]) {
      if (bad++ == 0) {
        bad_x = static_cast<int>((p / 4) % static_cast<std::size_t>(width));
        bad_y = height - 1 - static_cast<int>((p / 4) / static_cast<std::size_t>(width));
      }
    }
  }
  if (bad == 0) return;
  if (mismatched_frames_++ == 0) {
    first_bad_frame_ = frame;
    first_bad_x_ = bad_x;
    first_bad_y_ = bad_y;
    first_bad_pixels_ = bad;
  }
}

std::string RedrawCheck::summary() const {
  std::string s = "redraw check: partial redraws equal whole redraws in " +
                  std::to_string(frames_ - mismatched_frames_) + " of " + std::to_string(frames_) + " drawn frames";
  if (!ok())
    s += "; first difference in drawn frame " + std::to_string(first_bad_frame_) + ": " +
         std::to_string(first_bad_pixels_) + " pixels, the first at (" + std::to_string(first_bad_x_) + ", " +
         std::to_string(first_bad_y_) + ") from the top left";
  return s;
}

}  // namespace sglab::gui
