#include "ui/dag/dag_graph_scene.hpp"

#include <algorithm>
#include <cmath>

#include "ui/theme.hpp"

namespace sglab::ui {

namespace dag_colours {
ImU32 ecv() {
  return palette::kOrange;
}
ImU32 vcm() {
  return palette::kGreen;
}
ImU32 bias2() {
  return palette::kPurple;
}
ImU32 sg_wins() {
  return IM_COL32(150, 200, 235, 255);
}  // light SG blue
ImU32 bp_wins() {
  return IM_COL32(245, 180, 140, 255);
}  // light BP vermillion
ImU32 tie() {
  return IM_COL32(225, 225, 225, 255);
}
ImU32 input() {
  return IM_COL32(255, 255, 255, 255);
}
}  // namespace dag_colours

DagGraphLayout layout_dag_graph(const dag::DagNetwork& net, ImVec2 size) {
  DagGraphLayout out;
  out.centre.resize(static_cast<std::size_t>(net.node_count));
  const int layers = net.layer_count + 1;
  int widest = 1;
  for (int w : net.layer_width) widest = std::max(widest, w);
  const float col_w = size.x / static_cast<float>(layers);
  const float row_h = size.y / static_cast<float>(widest);
  out.radius = std::clamp(0.36f * std::min(col_w, row_h), 6.0f, 60.0f);
  int node = 0;
  for (int l = 0; l < layers; ++l) {
    const int width = net.layer_width[static_cast<std::size_t>(l)];
    const float x = col_w * (static_cast<float>(l) + 0.5f);
    const float top = 0.5f * (size.y - row_h * static_cast<float>(width));
    for (int j = 0; j < width; ++j, ++node)
      out.centre[static_cast<std::size_t>(node)] =
          ImVec2(x, top + row_h * (static_cast<float>(j) + 0.5f));
  }
  return out;
}

int dag_node_at(const DagGraphLayout& layout, ImVec2 point) {
  const float r2 = layout.radius * layout.radius;
  for (std::size_t i = 0; i < layout.centre.size(); ++i) {
    const float dx = point.x - layout.centre[i].x, dy = point.y - layout.centre[i].y;
    if (dx * dx + dy * dy <= r2) return static_cast<int>(i);
  }
  return -1;
}

namespace {

std::array<float, 3> shares(const dag::DagEstimatorMoments& m) {
  const double total = m.ecv + m.vcm + m.bias2;
  if (!(total > 0.0)) return {0.0f, 0.0f, 0.0f};
  return {static_cast<float>(m.ecv / total), static_cast<float>(m.vcm / total),
          static_cast<float>(m.bias2 / total)};
}

ImU32 blend(ImU32 a, ImU32 b, float t, float alpha) {
  const ImVec4 ca = ImGui::ColorConvertU32ToFloat4(a), cb = ImGui::ColorConvertU32ToFloat4(b);
  return ImGui::ColorConvertFloat4ToU32(
      ImVec4(ca.x + (cb.x - ca.x) * t, ca.y + (cb.y - ca.y) * t, ca.z + (cb.z - ca.z) * t, alpha));
}

}  // namespace

DagGraphScene build_dag_graph_scene(const jobs::DagLabResult& r, const DagGraphLayout& layout,
                                    ImVec2 size, float scale, int selected, int hovered) {
  DagGraphScene scene;
  scene.width_px = static_cast<int>(size.x);
  scene.height_px = static_cast<int>(size.y);
  scene.share_colours = {dag_colours::ecv(), dag_colours::vcm(), dag_colours::bias2()};
  if (!r.network || !r.analysis) return scene;
  const dag::DagNetwork& net = *r.network;

  // Edges p → c carry the message that reaches p, mixed with λ_p (THEORY.md §1.2,
  // one weight per receiving node): width and colour grow with λ_p.
  for (int c = net.input_count; c < net.node_count; ++c) {
    for (int e = net.parent_begin[static_cast<std::size_t>(c)];
         e < net.parent_begin[static_cast<std::size_t>(c) + 1]; ++e) {
      const int p = net.parent[static_cast<std::size_t>(e)];
      DagEdgeLine line;
      const ImVec2 a = layout.centre[static_cast<std::size_t>(p)],
                   b = layout.centre[static_cast<std::size_t>(c)];
      line.x0 = a.x;
      line.y0 = a.y;
      line.x1 = b.x;
      line.y1 = b.y;
      const bool touches = p == selected || c == selected || p == hovered || c == hovered;
      if (p < net.input_count) {
        line.width = 1.5f * scale;
        line.colour = IM_COL32(150, 150, 150, touches ? 255 : 150);
      } else {
        const float lambda =
            static_cast<float>(std::clamp(net.lambda[static_cast<std::size_t>(p)], 0.0, 1.0));
        line.width = (1.5f + 5.0f * lambda) * scale;
        line.colour =
            blend(palette::kBp, palette::kSg, lambda, touches ? 1.0f : 0.45f + 0.4f * lambda);
      }
      scene.edges.push_back(line);
    }
  }

  for (int i = 0; i < net.node_count; ++i) {
    DagDisc d;
    const ImVec2 c = layout.centre[static_cast<std::size_t>(i)];
    d.x = c.x;
    d.y = c.y;
    d.radius = layout.radius;
    d.fill = dag_colours::input();
    const int k = r.index_of(i);
    if (k >= 0) {
      const auto& node = r.analysis->nodes[static_cast<std::size_t>(k)];
      d.bp_shares = shares(node.bp);
      d.sg_shares = shares(node.sg);
      const int w = r.curves[static_cast<std::size_t>(k)].winner_at_n;
      d.fill =
          w > 0 ? dag_colours::sg_wins() : (w < 0 ? dag_colours::bp_wins() : dag_colours::tie());
    }
    d.outline = i == selected ? palette::kBlack
                              : (i == hovered ? palette::kGrey : IM_COL32(90, 90, 90, 255));
    d.outline_px = (i == selected ? 4.0f : (i == hovered ? 3.0f : 1.5f)) * scale;
    scene.discs.push_back(d);
  }
  return scene;
}

}  // namespace sglab::ui
