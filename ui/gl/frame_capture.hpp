#pragma once
// Reads the back buffer (after rendering, before swapping) into PNG files:
// the whole window for --screenshot, a figure's rectangle for the PNG export of
// figures that are not plots (plots are drawn alone: plot_png_renderer). The one
// PNG writer of the app.

#include <string>
#include <vector>

#include "ui/plot/plot.hpp"

namespace sglab::ui::gl {

/// Writes the framebuffer region (x, y, w, h), top-left origin in framebuffer
/// pixels, as an RGB PNG. Returns "" on success, else the reason.
std::string write_back_buffer_png(const std::string& path, int x, int y, int w, int h,
                                  int framebuffer_height);

/// The same from the framebuffer bound now, reading colour buffer `read_buffer`
/// (GL_BACK, GL_COLOR_ATTACHMENT0…).
std::string write_framebuffer_png(const std::string& path, int x, int y, int w, int h, int framebuffer_height,
                                  unsigned read_buffer);

/// Serves queued PNG exports: plots drawn offscreen at their requested size,
/// screen regions read back (ImGui coordinates scaled by `fb_scale`).
/// Returns one message per request (saved path or error) and clears the queue.
std::vector<std::string> serve_png_requests(std::vector<plot::PngRequest>& requests, float fb_scale_x,
                                            float fb_scale_y, int fb_width, int fb_height);

}  // namespace sglab::ui::gl
