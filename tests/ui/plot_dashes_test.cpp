// Dashed series drawn against the step are dashed along x (ui/plot/plot.cpp):
// the dashes sit at x0 + k·(dash + gap), each is one polyline through the
// points it spans, and a dense jagged series costs no more points than its
// solid line (dashing it along the path cut it into hundreds of tiny dashes).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "ui/plot/plot_internal.hpp"

namespace sglab::ui::plot::detail {
namespace {

TEST(PlotDashes, AHorizontalLineGetsRegularDashes) {
  const auto dashes = dashes_along_x({ImVec2(10, 5), ImVec2(130, 5)}, 7.0f, 5.0f);
  ASSERT_EQ(dashes.size(), 10u);  // starts at 10, 22, …, 118 (the last cut at 125)
  for (std::size_t k = 0; k < dashes.size(); ++k) {
    ASSERT_EQ(dashes[k].size(), 2u);
    EXPECT_FLOAT_EQ(dashes[k].front().x, 10.0f + 12.0f * static_cast<float>(k));
    EXPECT_FLOAT_EQ(dashes[k].back().x, 17.0f + 12.0f * static_cast<float>(k));
    EXPECT_FLOAT_EQ(dashes[k].back().y, 5.0f);
  }
}

TEST(PlotDashes, ADenseJaggedSeriesKeepsItsPointsInsideTheDashes) {
  // 1,200 points over 120 px, swinging 200 px up and down at every point.
  std::vector<ImVec2> pts;
  for (int i = 0; i < 1200; ++i) pts.emplace_back(0.1f * static_cast<float>(i), (i % 2) ? 200.0f : 0.0f);
  const auto dashes = dashes_along_x(pts, 7.0f, 5.0f);
  ASSERT_EQ(dashes.size(), 10u);
  std::size_t points = 0;
  for (const auto& d : dashes) {
    points += d.size();
    EXPECT_LE(d.back().x - d.front().x, 7.0f + 1e-3f);
    for (std::size_t i = 1; i < d.size(); ++i) EXPECT_GE(d[i].x, d[i - 1].x);
  }
  // About 7/12 of the points, plus the two cuts of each dash: never more than the solid line.
  EXPECT_LE(points, pts.size());
  EXPECT_GE(points, 7 * pts.size() / 12 - 10);
}

TEST(PlotDashes, CutsInterpolateTheSegment) {
  const auto dashes = dashes_along_x({ImVec2(0, 0), ImVec2(10, 100)}, 4.0f, 2.0f);
  ASSERT_EQ(dashes.size(), 2u);  // [0, 4] and [6, 10]
  EXPECT_FLOAT_EQ(dashes[0].back().y, 40.0f);
  EXPECT_FLOAT_EQ(dashes[1].front().y, 60.0f);
  EXPECT_FLOAT_EQ(dashes[1].back().x, 10.0f);
}

}  // namespace
}  // namespace sglab::ui::plot::detail
