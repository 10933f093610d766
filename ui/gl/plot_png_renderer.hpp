#pragma once
// PNG export of one plot at a chosen size, without the app around it: the plot
// is laid out by the plot widget in a second ImGui context (fonts rasterised
// at the image's scale, so text is sharp and lines keep their proportions) and
// rendered by the OpenGL 3 backend into an offscreen framebuffer.

#include <string>

#include "ui/plot/plot.hpp"

namespace sglab::ui::gl {

/// The text and line scale of an exported image: 1 at 800×500 (a plot's size on
/// a laptop screen), growing with the image so a 1600×1000 export looks like
/// the same plot printed twice as large.
float png_export_scale(int width, int height);

/// Draws `request.plot` into a request.width × request.height framebuffer and
/// writes it to request.path. Needs a current GL 3.3 context with the ImGui
/// OpenGL3 backend initialised in the current ImGui context (which stays
/// current). Returns "" on success, else the reason.
std::string render_plot_png(const plot::PngRequest& request);

}  // namespace sglab::ui::gl
