#pragma once
// Reads the back buffer (after rendering, before swapping) into PNG files:
// the whole window for --screenshot, a plot's rectangle for PNG export.

#include <string>
#include <vector>

#include "ui/plot/plot.hpp"

namespace sglab::ui::gl {

/// Writes the framebuffer region (x, y, w, h), top-left origin in framebuffer
/// pixels, as an RGB PNG. Returns "" on success, else the reason.
std::string write_back_buffer_png(const std::string& path, int x, int y, int w, int h,
                                  int framebuffer_height);

/// Serves queued plot exports: ImGui coordinates are scaled by `fb_scale`.
/// Returns one message per request (saved path or error) and clears the queue.
std::vector<std::string> serve_png_requests(std::vector<plot::PngRequest>& requests, float fb_scale_x,
                                            float fb_scale_y, int fb_width, int fb_height);

}  // namespace sglab::ui::gl
