#include "ui/gl/frame_capture.hpp"

#include <stb_image_write.h>

#include <algorithm>
#include <cmath>

#include "ui/gl/gl_headers.hpp"
#include "ui/gl/plot_png_renderer.hpp"

namespace sglab::ui::gl {

std::string write_back_buffer_png(const std::string& path, int x, int y, int w, int h,
                                  int framebuffer_height) {
  return write_framebuffer_png(path, x, y, w, h, framebuffer_height, GL_BACK);
}

std::string write_framebuffer_png(const std::string& path, int x, int y, int w, int h, int framebuffer_height,
                                  unsigned read_buffer) {
  if (w <= 0 || h <= 0) return "empty region";
  std::vector<unsigned char> pixels(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 3);
  GLint last_read = 0, last_pack = 0;
  glGetIntegerv(GL_READ_BUFFER, &last_read);
  glGetIntegerv(GL_PACK_ALIGNMENT, &last_pack);
  glReadBuffer(static_cast<GLenum>(read_buffer));
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  // GL's origin is bottom-left: flip the rows while writing.
  glReadPixels(x, framebuffer_height - y - h, w, h, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
  glPixelStorei(GL_PACK_ALIGNMENT, last_pack);
  glReadBuffer(static_cast<GLenum>(last_read));
  if (glGetError() != GL_NO_ERROR) return "glReadPixels failed";
  stbi_flip_vertically_on_write(1);
  const int ok = stbi_write_png(path.c_str(), w, h, 3, pixels.data(), w * 3);
  stbi_flip_vertically_on_write(0);
  return ok ? std::string() : "cannot write " + path;
}

std::vector<std::string> serve_png_requests(std::vector<plot::PngRequest>& requests, float sx, float sy,
                                            int fb_width, int fb_height) {
  std::vector<std::string> messages;
  for (const auto& r : requests) {
    if (r.plot) {  // a plot: drawn alone at the chosen size
      const std::string error = render_plot_png(r);
      messages.push_back(error.empty() ? "Saved " + r.path + " (" + std::to_string(r.width) + "×" +
                                             std::to_string(r.height) + ")"
                                       : "PNG export failed: " + error);
      continue;
    }
    const int x0 = std::clamp(static_cast<int>(std::floor(r.min.x * sx)), 0, fb_width);
    const int y0 = std::clamp(static_cast<int>(std::floor(r.min.y * sy)), 0, fb_height);
    const int x1 = std::clamp(static_cast<int>(std::ceil(r.max.x * sx)), 0, fb_width);
    const int y1 = std::clamp(static_cast<int>(std::ceil(r.max.y * sy)), 0, fb_height);
    const std::string error = write_back_buffer_png(r.path, x0, y0, x1 - x0, y1 - y0, fb_height);
    messages.push_back(error.empty() ? "Saved " + r.path : "PNG export failed: " + error);
  }
  requests.clear();
  return messages;
}

}  // namespace sglab::ui::gl
