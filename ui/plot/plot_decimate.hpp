#pragma once
// Screen-resolution decimation of a polyline (issue 12, GUI frames): a series
// of 10^5 points drawn into 800 pixels needs at most four vertices per pixel
// column to look the same. Each run of consecutive points whose x falls in the
// same pixel column keeps its first point, its lowest and highest point and
// its last point, in their original order: the column's vertical extent and
// the joins to the neighbouring columns are unchanged. Only the drawing uses
// the result; hover read-outs search the full data (plot.cpp).

#include <cmath>
#include <cstddef>
#include <utility>
#include <vector>

namespace sglab::ui::plot {

/// Decimates `pts` (screen coordinates, anything with float members x and y) in place.
template <typename Point>
void decimate_to_pixel_columns(std::vector<Point>& pts) {
  if (pts.size() <= 4) return;
  std::size_t out = 0;
  std::size_t begin = 0;
  std::vector<Point> run;  // the kept points of one column, written after the column is read
  while (begin < pts.size()) {
    const float column = std::floor(pts[begin].x);
    std::size_t end = begin + 1, lo = begin, hi = begin;
    while (end < pts.size() && std::floor(pts[end].x) == column) {
      if (pts[end].y < pts[lo].y) lo = end;
      if (pts[end].y > pts[hi].y) hi = end;
      ++end;
    }
    run.clear();
    std::size_t picks[4] = {begin, lo, hi, end - 1};
    if (picks[1] > picks[2]) std::swap(picks[1], picks[2]);  // original order
    for (std::size_t k = 0; k < 4; ++k)
      if (k == 0 || picks[k] != picks[k - 1]) run.push_back(pts[picks[k]]);
    // out <= begin always (at most end − begin points kept per run), so writing never overtakes reading.
    for (const Point& p : run) pts[out++] = p;
    begin = end;
  }
  pts.resize(out);
}

}  // namespace sglab::ui::plot
