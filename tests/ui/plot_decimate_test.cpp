// Screen-resolution decimation of plot lines (ui/plot/plot_decimate.hpp): at
// most four vertices per pixel column, each column's vertical extent and the
// series' end points unchanged, short series untouched.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <utility>
#include <vector>

#include "ui/plot/plot_decimate.hpp"

namespace sglab::ui::plot {
namespace {

struct Pt {
  float x, y;
};

std::map<int, std::pair<float, float>> column_extents(const std::vector<Pt>& pts) {
  std::map<int, std::pair<float, float>> out;
  for (const Pt& p : pts) {
    const int c = static_cast<int>(std::floor(p.x));
    auto it = out.find(c);
    if (it == out.end()) out[c] = {p.y, p.y};
    else it->second = {std::min(it->second.first, p.y), std::max(it->second.second, p.y)};
  }
  return out;
}

TEST(PlotDecimate, DenseSeriesKeepsEveryColumnsExtentWithFourVerticesPerColumn) {
  // 100,000 points of a noisy sine across 800 pixels (fixed pseudo-noise, no seed needed).
  std::vector<Pt> pts;
  for (int i = 0; i < 100000; ++i) {
    const float x = 10.0f + 800.0f * static_cast<float>(i) / 100000.0f;
    const float noise = static_cast<float>(std::sin(i * 12.9898) * 43758.5453);
    pts.push_back({x, 300.0f + 100.0f * std::sin(x / 50.0f) + 5.0f * (noise - std::floor(noise))});
  }
  const auto before = column_extents(pts);
  const Pt first = pts.front(), last = pts.back();
  decimate_to_pixel_columns(pts);
  EXPECT_LE(pts.size(), 4 * before.size());
  EXPECT_GE(pts.size(), before.size());
  EXPECT_EQ(column_extents(pts), before);
  EXPECT_EQ(pts.front().x, first.x);
  EXPECT_EQ(pts.front().y, first.y);
  EXPECT_EQ(pts.back().x, last.x);
  EXPECT_EQ(pts.back().y, last.y);
  for (std::size_t i = 1; i < pts.size(); ++i) EXPECT_LE(pts[i - 1].x, pts[i].x) << "order kept at " << i;
}

TEST(PlotDecimate, SparseSeriesIsUnchanged) {
  std::vector<Pt> pts;
  for (int i = 0; i < 50; ++i) pts.push_back({3.0f * static_cast<float>(i), static_cast<float>(i % 7)});
  const std::vector<Pt> original = pts;
  decimate_to_pixel_columns(pts);
  ASSERT_EQ(pts.size(), original.size());
  for (std::size_t i = 0; i < pts.size(); ++i) {
    EXPECT_EQ(pts[i].x, original[i].x);
    EXPECT_EQ(pts[i].y, original[i].y);
  }
}

TEST(PlotDecimate, ColumnKeepsFirstLowHighLastInOrder) {
  // Column 5 holds first (5.0, 2), high (5.2, 9), low (5.4, -3), last (5.9, 1); column 6 one point.
  std::vector<Pt> pts = {{5.0f, 2.0f}, {5.1f, 1.0f}, {5.2f, 9.0f}, {5.3f, 4.0f}, {5.4f, -3.0f}, {5.9f, 1.0f}, {6.5f, 0.0f}};
  decimate_to_pixel_columns(pts);
  const std::vector<std::pair<float, float>> want = {{5.0f, 2.0f}, {5.2f, 9.0f}, {5.4f, -3.0f}, {5.9f, 1.0f}, {6.5f, 0.0f}};
  ASSERT_EQ(pts.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(pts[i].x, want[i].first);
    EXPECT_EQ(pts[i].y, want[i].second);
  }
}

}  // namespace
}  // namespace sglab::ui::plot
