#pragma once
// How many pixels a frame's draw data asks the rasteriser to shade: the sum of
// its triangles' areas, each clipped to its command's clip rectangle. Under a
// software renderer (Mesa llvmpipe) a frame's GL time grows with this number,
// so --frame-log reports it: a figure that does not depend on the machine's load.

#include <imgui.h>

#include <vector>

#include "ui/draw_damage.hpp"

namespace sglab::ui {

/// Area of the triangle (a, b, c) inside the rectangle [lo, hi], in square pixels.
double clipped_triangle_area(ImVec2 a, ImVec2 b, ImVec2 c, ImVec2 lo, ImVec2 hi);

/// Pixels shaded by `data` (overlaps counted as often as they are drawn).
double draw_data_fill_pixels(const ImDrawData& data);

/// Pixels shaded when `data` is drawn once inside each rectangle of `within`
/// (the frame loop's redraw of the damaged parts, ui/draw_damage.hpp).
double draw_data_fill_pixels(const ImDrawData& data, const std::vector<DamageRect>& within);

}  // namespace sglab::ui
