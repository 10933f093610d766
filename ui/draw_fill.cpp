#include "ui/draw_fill.hpp"

#include <algorithm>
#include <cmath>

namespace sglab::ui {

namespace {

// One Sutherland–Hodgman pass: keeps the part of the polygon where
// inside(p) ≥ 0, `inside` linear along each edge.
template <class Inside>
int clip_polygon(const ImVec2* in, int n, ImVec2* out, Inside inside) {
  int m = 0;
  for (int i = 0; i < n; ++i) {
    const ImVec2 p = in[i], q = in[(i + 1) % n];
    const float dp = inside(p), dq = inside(q);
    if (dp >= 0.0f) out[m++] = p;
    if ((dp >= 0.0f) != (dq >= 0.0f)) {
      const float t = dp / (dp - dq);
      out[m++] = ImVec2(p.x + t * (q.x - p.x), p.y + t * (q.y - p.y));
    }
  }
  return m;
}

}  // namespace

double clipped_triangle_area(ImVec2 a, ImVec2 b, ImVec2 c, ImVec2 lo, ImVec2 hi) {
  // A triangle clipped by four half-planes has at most 3 + 4 corners.
  ImVec2 poly[8] = {a, b, c}, tmp[8];
  int n = 3;
  // Most triangles lie wholly inside or outside the rectangle: no clipping then
  // (the same corners, so the same sum below). This runs for every triangle of
  // every logged frame, and the log should not slow the frames it measures.
  const float x0 = std::min({a.x, b.x, c.x}), x1 = std::max({a.x, b.x, c.x});
  const float y0 = std::min({a.y, b.y, c.y}), y1 = std::max({a.y, b.y, c.y});
  if (x1 <= lo.x || x0 >= hi.x || y1 <= lo.y || y0 >= hi.y) return 0.0;
  if (!(x0 >= lo.x && x1 <= hi.x && y0 >= lo.y && y1 <= hi.y)) {
    n = clip_polygon(poly, n, tmp, [&](ImVec2 p) { return p.x - lo.x; });
    n = clip_polygon(tmp, n, poly, [&](ImVec2 p) { return hi.x - p.x; });
    n = clip_polygon(poly, n, tmp, [&](ImVec2 p) { return p.y - lo.y; });
    n = clip_polygon(tmp, n, poly, [&](ImVec2 p) { return hi.y - p.y; });
  }
  double twice = 0.0;
  for (int i = 0; i < n; ++i) {
    const ImVec2 p = poly[i], q = poly[(i + 1) % n];
    twice += static_cast<double>(p.x) * q.y - static_cast<double>(q.x) * p.y;
  }
  return 0.5 * std::abs(twice);
}

double draw_data_fill_pixels(const ImDrawData& data) {
  return draw_data_fill_pixels(data, {{-1e9f, -1e9f, 1e9f, 1e9f}});  // each command's clip only
}

double draw_data_fill_pixels(const ImDrawData& data, const std::vector<DamageRect>& within) {
  double total = 0.0;
  for (const DamageRect& r : within) {
    for (int l = 0; l < data.CmdListsCount; ++l) {
    const ImDrawList& list = *data.CmdLists[l];
    for (const ImDrawCmd& cmd : list.CmdBuffer) {
      if (cmd.UserCallback != nullptr) continue;
      // Clip rectangles and vertices are in the same (screen) coordinates.
      const ImVec2 lo(std::max(cmd.ClipRect.x, r.x0), std::max(cmd.ClipRect.y, r.y0));
      const ImVec2 hi(std::min(cmd.ClipRect.z, r.x1), std::min(cmd.ClipRect.w, r.y1));
      if (hi.x <= lo.x || hi.y <= lo.y) continue;
      const ImDrawVert* v = list.VtxBuffer.Data + cmd.VtxOffset;
      for (unsigned int i = 0; i + 2 < cmd.ElemCount; i += 3) {
        const ImDrawIdx* idx = list.IdxBuffer.Data + cmd.IdxOffset + i;
        total += clipped_triangle_area(v[idx[0]].pos, v[idx[1]].pos, v[idx[2]].pos, lo, hi);
      }
    }
    }
  }
  return total;
}

}  // namespace sglab::ui
