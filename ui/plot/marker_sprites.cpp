#include "ui/plot/marker_sprites.hpp"

#include <cmath>
#include <map>
#include <vector>

namespace sglab::ui::plot {

namespace {

struct Sprite {
  Marker marker;
  float radius;
  int half;     ///< the sprite is 2·half pixels square, the shape centred on its middle corner
  int rect_id;  ///< ImFontAtlas custom rectangle
  ImVec2 uv0, uv1;
  unsigned short x = 0, y = 0;  ///< where it was painted, to recognise the atlas it was painted in
};

// Sprites per atlas: the app's and the PNG export's contexts each build one.
// Only the UI thread builds atlases and draws.
std::map<const ImFontAtlas*, std::vector<Sprite>>& registry() {
  static std::map<const ImFontAtlas*, std::vector<Sprite>> sprites;
  return sprites;
}

constexpr Marker kShapes[] = {Marker::kCircle, Marker::kSquare, Marker::kDiamond, Marker::kTriangle};

// Whether (x, y), relative to the centre, lies in the marker of radius r: the
// shapes draw_marker draws as geometry (plot.cpp).
bool inside(Marker m, float r, float x, float y) {
  switch (m) {
    case Marker::kCircle: return x * x + y * y <= r * r;
    case Marker::kSquare: return std::abs(x) <= r && std::abs(y) <= r;
    case Marker::kDiamond: return std::abs(x) + std::abs(y) <= 1.3f * r;
    case Marker::kTriangle: {
      // Corners (0, −1.3r), (1.2r, 0.8r), (−1.2r, 0.8r): below the top edges, above the base.
      if (y > 0.8f * r) return false;
      const float slope = 2.1f / 1.2f;  // the sides' drop per unit of |x|
      return y >= -1.3f * r + slope * std::abs(x);
    }
    case Marker::kNone: return false;
  }
  return false;
}

int half_size(float r) { return static_cast<int>(std::ceil(1.3f * r)) + 1; }

}  // namespace

void reserve_marker_sprites(ImFontAtlas& atlas, float scale) {
  std::vector<Sprite>& sprites = registry()[&atlas];
  sprites.clear();
  for (float boost : {1.0f, kProjectorLineBoost}) {
    const float r = kMarkerRadius * scale * boost;
    const int half = half_size(r);
    for (Marker m : kShapes) sprites.push_back({m, r, half, atlas.AddCustomRectRegular(2 * half, 2 * half), {}, {}});
  }
}

void paint_marker_sprites(ImFontAtlas& atlas) {
  auto found = registry().find(&atlas);
  if (found == registry().end()) return;
  constexpr int kSamples = 8;  // per pixel and axis
  for (Sprite& s : found->second) {
    const ImFontAtlasCustomRect* rect = atlas.GetCustomRectByIndex(s.rect_id);
    if (rect == nullptr || !rect->IsPacked()) {
      s.rect_id = -1;  // not in the atlas: draw_marker_sprite declines, geometry is drawn
      continue;
    }
    atlas.CalcCustomRectUV(rect, &s.uv0, &s.uv1);
    s.x = rect->X;
    s.y = rect->Y;
    for (int py = 0; py < 2 * s.half; ++py)
      for (int px = 0; px < 2 * s.half; ++px) {
        int covered = 0;
        for (int sy = 0; sy < kSamples; ++sy)
          for (int sx = 0; sx < kSamples; ++sx) {
            const float x = static_cast<float>(px - s.half) + (static_cast<float>(sx) + 0.5f) / kSamples;
            const float y = static_cast<float>(py - s.half) + (static_cast<float>(sy) + 0.5f) / kSamples;
            covered += inside(s.marker, s.radius, x, y) ? 1 : 0;
          }
        const auto alpha = static_cast<unsigned char>((covered * 255 + kSamples * kSamples / 2) / (kSamples * kSamples));
        const int at = (rect->Y + py) * atlas.TexWidth + rect->X + px;
        if (atlas.TexPixelsAlpha8 != nullptr) atlas.TexPixelsAlpha8[at] = alpha;
        if (atlas.TexPixelsRGBA32 != nullptr) atlas.TexPixelsRGBA32[at] = IM_COL32(255, 255, 255, alpha);
      }
  }
}

void forget_marker_sprites(const ImFontAtlas& atlas) { registry().erase(&atlas); }

bool draw_marker_sprite(ImDrawList* dl, ImVec2 c, Marker m, float r, ImU32 col) {
  ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  auto found = registry().find(atlas);
  if (found == registry().end()) return false;
  for (const Sprite& s : found->second) {
    if (s.marker != m || s.rect_id < 0 || std::abs(s.radius - r) > 1e-4f * r) continue;
    // An atlas rebuilt without reserve_marker_sprites (or another one at the
    // same address) no longer holds the sprite: geometry then.
    const ImFontAtlasCustomRect* rect = s.rect_id < atlas->CustomRects.Size ? &atlas->CustomRects[s.rect_id] : nullptr;
    if (rect == nullptr || rect->X != s.x || rect->Y != s.y || rect->Width != 2 * s.half) return false;
    const float x = std::round(c.x) - static_cast<float>(s.half), y = std::round(c.y) - static_cast<float>(s.half);
    const float size = static_cast<float>(2 * s.half);
    dl->AddImage(atlas->TexID, ImVec2(x, y), ImVec2(x + size, y + size), s.uv0, s.uv1, col);
    return true;
  }
  return false;
}

}  // namespace sglab::ui::plot
