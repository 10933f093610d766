// Plot markers from the font atlas (ui/plot/marker_sprites.hpp): each shape's
// painted coverage adds up to its area, a sprite is one quad at the nearest
// pixel corner, and radii without a sprite fall back to geometry.
#include <gtest/gtest.h>

#include <cmath>

#include "tests/ui/null_backend.hpp"
#include "ui/plot/marker_sprites.hpp"

namespace sglab::ui::plot {
namespace {

// Coverage of the atlas region a single drawn quad samples: its sum (in
// pixels) and centroid relative to the quad's centre (pixels, y down).
struct Coverage {
  double area = 0.0, cx = 0.0, cy = 0.0;
};
Coverage painted(const ImDrawList& dl) {
  ImFontAtlas& atlas = *ImGui::GetIO().Fonts;
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  atlas.GetTexDataAsAlpha8(&pixels, &w, &h);
  const ImVec2 uv0 = dl.VtxBuffer[0].uv, uv1 = dl.VtxBuffer[2].uv;
  const int x0 = static_cast<int>(std::lround(uv0.x * static_cast<float>(w)));
  const int x1 = static_cast<int>(std::lround(uv1.x * static_cast<float>(w)));
  const int y0 = static_cast<int>(std::lround(uv0.y * static_cast<float>(h)));
  const int y1 = static_cast<int>(std::lround(uv1.y * static_cast<float>(h)));
  Coverage c;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) {
      const double a = pixels[y * w + x] / 255.0;
      c.area += a;
      c.cx += a * (x + 0.5 - 0.5 * (x0 + x1));
      c.cy += a * (y + 0.5 - 0.5 * (y0 + y1));
    }
  c.cx /= c.area;
  c.cy /= c.area;
  return c;
}

TEST(MarkerSprites, CoverageAddsUpToEachShapesArea) {
  for (float scale : {1.0f, 1.75f}) {
    test::NullBackend imgui(scale);
    for (float boost : {1.0f, kProjectorLineBoost}) {
      const float r = kMarkerRadius * scale * boost;
      // Areas, and the centroids' y: the triangle (0, −1.3r), (±1.2r, 0.8r) has its at +0.1r.
      const struct {
        Marker marker;
        double area, cy;
      } shapes[] = {{Marker::kCircle, M_PI * r * r, 0.0},
                    {Marker::kSquare, 4.0 * r * r, 0.0},
                    {Marker::kDiamond, 2.0 * (1.3 * r) * (1.3 * r), 0.0},
                    {Marker::kTriangle, 0.5 * (2.4 * r) * (2.1 * r), 0.1 * r}};
      for (const auto& s : shapes) {
        SCOPED_TRACE("scale " + std::to_string(scale) + ", boost " + std::to_string(boost) + ", marker " +
                     std::to_string(static_cast<int>(s.marker)));
        ImDrawList dl(ImGui::GetDrawListSharedData());
        dl._ResetForNewFrame();
        dl.PushClipRectFullScreen();
        dl.PushTextureID(ImGui::GetIO().Fonts->TexID);
        ASSERT_TRUE(draw_marker_sprite(&dl, ImVec2(100.3f, 50.6f), s.marker, r, IM_COL32(0, 0, 0, 255)));
        ASSERT_EQ(dl.VtxBuffer.Size, 4);  // one quad
        // Centred on the nearest pixel corner (100, 51), whole pixels wide.
        EXPECT_FLOAT_EQ(0.5f * (dl.VtxBuffer[0].pos.x + dl.VtxBuffer[2].pos.x), 100.0f);
        EXPECT_FLOAT_EQ(0.5f * (dl.VtxBuffer[0].pos.y + dl.VtxBuffer[2].pos.y), 51.0f);
        // 8 × 8 samples per pixel: the sum is within a few percent of the area
        // (one sample's area along a perimeter of ~8r pixels, and rounding to 1/255).
        const Coverage c = painted(dl);
        EXPECT_NEAR(c.area, s.area, 0.03 * s.area + 0.5);
        // Centred on the quad (a sprite off by a pixel moves its centroid by 1), and upright.
        EXPECT_NEAR(c.cx, 0.0, 0.05);
        EXPECT_NEAR(c.cy, s.cy, 0.05);
      }
    }
  }
}

TEST(MarkerSprites, OtherRadiiAndAtlasesWithoutSpritesDrawNothing) {
  test::NullBackend imgui(1.0f);
  ImDrawList dl(ImGui::GetDrawListSharedData());
  dl._ResetForNewFrame();
  dl.PushClipRectFullScreen();
  EXPECT_FALSE(draw_marker_sprite(&dl, ImVec2(10, 10), Marker::kCircle, 5.0f, IM_COL32_WHITE));
  EXPECT_FALSE(draw_marker_sprite(&dl, ImVec2(10, 10), Marker::kNone, kMarkerRadius, IM_COL32_WHITE));
  // An atlas rebuilt without the sprites (same address): geometry again.
  ImGui::GetIO().Fonts->Clear();
  ImGui::GetIO().Fonts->AddFontDefault();
  ImGui::GetIO().Fonts->Build();
  EXPECT_FALSE(draw_marker_sprite(&dl, ImVec2(10, 10), Marker::kCircle, kMarkerRadius, IM_COL32_WHITE));
  EXPECT_EQ(dl.VtxBuffer.Size, 0);
}

}  // namespace
}  // namespace sglab::ui::plot
