#pragma once
// Plot markers baked into the font atlas. A marker drawn as geometry with
// ImGui's anti-aliased fill costs 3N − 2 triangles for an N-sided outline (22
// for a small circle, 10 for a diamond); the same marker as an image from the
// atlas costs 2, and the font atlas is already the texture of every plot
// triangle, so no draw call is added. Under a software renderer triangles cost
// more than pixels: a mixing-dynamics frame drew ~200 λ_batch circles and
// ~200 diamonds (bench/gui_frames_notes.md).
//
// The sprites hold each shape's pixel coverage (8 × 8 samples per pixel) at
// the radii the plots use at the atlas' scale; a marker of another radius is
// drawn as geometry, as before. An atlas must be built through load_fonts
// (ui/theme.hpp), which reserves and paints them; one rebuilt otherwise is
// recognised (its rectangles moved or are gone) and gets geometry.

#include <imgui.h>

#include "ui/plot/plot.hpp"

namespace sglab::ui::plot {

/// Radius of a plot marker at scale 1, in pixels (times the plot's line scale).
constexpr float kMarkerRadius = 3.5f;

/// Reserves sprites for every marker shape at radius kMarkerRadius × scale ×
/// each line boost in use (1 and the projector profile's): call after adding
/// the fonts and before atlas.Build().
void reserve_marker_sprites(ImFontAtlas& atlas, float scale);

/// Paints the reserved sprites into the built atlas (before its texture is
/// read with GetTexDataAsRGBA32 or uploaded).
void paint_marker_sprites(ImFontAtlas& atlas);

/// Drops the sprites of an atlas about to be destroyed (an ImGui context's
/// end), so that another atlas later built at its address starts clean.
void forget_marker_sprites(const ImFontAtlas& atlas);

/// Draws marker `m` of radius `r` centred near `c` (on the nearest pixel
/// corner) from the current atlas' sprites; false, drawing nothing, when the
/// atlas has no sprite of that shape and radius.
bool draw_marker_sprite(ImDrawList* dl, ImVec2 c, Marker m, float r, ImU32 col);

}  // namespace sglab::ui::plot
