#pragma once
// What plot.cpp and plot_legend.cpp share inside the plot widget: the data
// area's transform (Frame), the widget's rectangle and metrics (Box), the
// legend's layout and the small drawing helpers both use. Not for other files.

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "ui/plot/plot.hpp"

namespace sglab::ui::plot::detail {

inline bool usable(double v, Scale s) {
  return std::isfinite(v) && (s == Scale::kLinear || v > 0.0);
}
inline double to_axis(double v, Scale s) {
  return s == Scale::kLog ? std::log10(v) : v;
}
inline double from_axis(double v, Scale s) {
  return s == Scale::kLog ? std::pow(10.0, v) : v;
}

struct Frame {
  ImVec2 min, max;            // plotting area on screen
  double bx0, bx1, by0, by1;  // bounds in axis space (log10 for log axes)
  Scale sx, sy;
  float px(double x) const {
    return min.x + static_cast<float>((to_axis(x, sx) - bx0) / (bx1 - bx0)) * (max.x - min.x);
  }
  float py(double y) const {
    return max.y - static_cast<float>((to_axis(y, sy) - by0) / (by1 - by0)) * (max.y - min.y);
  }
  ImVec2 p(double x, double y) const { return ImVec2(px(x), py(y)); }
};

// The widget's rectangle and the metrics every part uses.
struct Box {
  ImVec2 origin;
  float width = 0.0f, height = 0.0f, s = 1.0f, line_h = 0.0f;
  float lw = 1.0f;             ///< scale of line widths and markers (s × the projector boost)
  bool high_contrast = false;  ///< the projector profile: darker grid, black frame
};

// Line widths in whole pixels (at least 1). ImGui 1.86 draws an anti-aliased
// line of integer width as 2 triangles per segment, its edges from a texture
// baked in the font atlas; other widths as geometry with fringes, 4 triangles
// per segment up to 1 px and 6 above. Under a software renderer triangles
// cost more than pixels: rounding cut the mixing-dynamics lab's triangles by
// ~18 % (bench/gui_frames_notes.md).
inline float stroke_width(float width) { return std::max(1.0f, std::round(width)); }

// Dashed polyline, dash and gap lengths in pixels: along x when x never
// decreases (a series against the step), else along the path (plot.cpp).
void dashed_polyline(ImDrawList* dl, const std::vector<ImVec2>& pts, ImU32 col, float width,
                     float dash, float gap);
/// The dashes of an x-ordered polyline: "on" while x − x₀ mod (dash + gap) < dash,
/// each dash the points it spans plus the cuts at its ends.
std::vector<std::vector<ImVec2>> dashes_along_x(const std::vector<ImVec2>& pts, float dash, float gap);
void draw_marker(ImDrawList* dl, ImVec2 c, Marker m, float r, ImU32 col);
ImU32 with_alpha(ImU32 col, float alpha);

// Legend entries flow left to right and wrap; the box sits in the plot's top
// band, or (compact: shorter swatches, tight padding) in a band above the data.
struct LegendLayout {
  std::vector<const Series*> rows;
  std::vector<ImVec2> offsets;  // of each entry, from the box's top-left
  ImVec2 size{0, 0};
  float swatch = 0.0f, pad = 0.0f;  // swatch width; swatch-to-text gap and box padding
  float text_size = 0.0f;           // the entries' font size
  float row_h = 0.0f;
};

float legend_text_width(const LegendLayout& l, const std::string& text);
// Compact (above the data): shorter swatches, tight padding and text at 0.85 of
// the font, so on a projector's small plots the legend keeps one row more often.
LegendLayout layout_legend(const PlotSpec& spec, float max_width, float scale,
                           bool compact = false);
// Legend: clicking an entry hides or shows its series.
void draw_legend(const PlotSpec& spec, const LegendLayout& legend, const Frame& f, const Box& box,
                 bool above, PlotState& state, ImDrawList* dl);
// A legend too tall for the plot: a small tab in the corner; hovering it shows
// the entries, clicking it opens the whole legend over the plot until clicked again.
// Returns the tab's height.
float draw_legend_tab(const PlotSpec& spec, const LegendLayout& legend, const Frame& f,
                      const Box& box, PlotState& state, ImDrawList* dl);

}  // namespace sglab::ui::plot::detail
