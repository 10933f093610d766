// The graph view: the network drawn by the GL renderer (or ImDrawList without
// GL), node numbers, a legend that says what discs, rings and edges mean, a
// hover read-out with the node's exact numbers, and click-to-select.
#include <cmath>
#include <cstdio>

#include "core/dag/dag_verdict_text.hpp"
#include "ui/dag/dag_lab.hpp"
#include "ui/theme.hpp"

namespace sglab::ui {

namespace {

std::uint64_t mix_key(std::uint64_t h, std::uint64_t v) {
  return (h ^ (v + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2))) * 0xBF58476D1CE4E5B9ULL;
}

// ImDrawList fallback (tests, or a GL error): the same picture, less smooth.
void draw_scene_with_draw_list(const DagGraphScene& scene, ImVec2 origin) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  for (const DagEdgeLine& e : scene.edges)
    dl->AddLine(ImVec2(origin.x + e.x0, origin.y + e.y0), ImVec2(origin.x + e.x1, origin.y + e.y1),
                e.colour, e.width);
  constexpr float kTau = 6.28318530718f;
  for (const DagDisc& d : scene.discs) {
    const ImVec2 c(origin.x + d.x, origin.y + d.y);
    dl->AddCircleFilled(c, d.radius, d.outline);
    const float ring = std::max(0.2f * d.radius, 3.0f), gap = std::max(0.04f * d.radius, 1.0f);
    const float r_bp = d.radius - d.outline_px, r_sg = r_bp - ring - gap;
    const auto draw_ring = [&](float outer, const std::array<float, 3>& shares) {
      float start = -kTau / 4;
      float sum = shares[0] + shares[1] + shares[2];
      if (sum <= 0) {
        dl->AddCircle(c, outer - ring * 0.5f, IM_COL32(217, 217, 217, 255), 0, ring);
        return;
      }
      for (int k = 0; k < 3; ++k) {
        const float sweep = kTau * shares[static_cast<std::size_t>(k)];
        if (sweep <= 0) continue;
        dl->PathArcTo(c, outer - ring * 0.5f, start, start + sweep);
        dl->PathStroke(scene.share_colours[static_cast<std::size_t>(k)], 0, ring);
        start += sweep;
      }
    };
    draw_ring(r_bp, d.bp_shares);
    dl->AddCircleFilled(c, r_sg, IM_COL32(255, 255, 255, 255));
    draw_ring(r_sg, d.sg_shares);
    dl->AddCircleFilled(c, r_sg - ring, d.fill);
  }
}

void swatch(ImU32 colour, UiContext& ui, bool round = false) {
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float s = ImGui::GetTextLineHeight() * 0.8f, y = p.y + ImGui::GetTextLineHeight() * 0.1f;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  if (round) {
    dl->AddCircleFilled(ImVec2(p.x + s * 0.5f, y + s * 0.5f), s * 0.5f, colour);
    dl->AddCircle(ImVec2(p.x + s * 0.5f, y + s * 0.5f), s * 0.5f, IM_COL32(90, 90, 90, 255));
  } else {
    dl->AddRectFilled(ImVec2(p.x, y), ImVec2(p.x + s, y + s), colour);
  }
  ImGui::Dummy(ImVec2(s, ImGui::GetTextLineHeight()));
  ImGui::SameLine(0, ui.px(3));
}

// Legend entries flow left to right and wrap to a new line when the next one does not fit.
void flow(float width) {
  ImGui::SameLine();
  if (ImGui::GetContentRegionAvail().x < width) ImGui::NewLine();
}

void legend_item(ImU32 colour, const char* text, UiContext& ui, bool round = false) {
  flow(ImGui::GetTextLineHeight() + ui.px(14) + ImGui::CalcTextSize(text).x);
  swatch(colour, ui, round);
  ImGui::TextUnformatted(text);
}

void legend_text(const std::string& text) {
  flow(ImGui::CalcTextSize(text.c_str()).x + ImGui::GetStyle().ItemSpacing.x);
  ImGui::TextDisabled("%s", text.c_str());
}

void node_tooltip(const jobs::DagLabResult& r, int k) {
  const auto& node = r.analysis->nodes[static_cast<std::size_t>(k)];
  const auto& curves = r.curves[static_cast<std::size_t>(k)];
  ImGui::BeginTooltip();
  ImGui::Text("node %d  (layer %d%s, %d parent%s)", node.node, node.layer,
              node.terminal ? ", terminal" : "", node.parent_count,
              node.parent_count == 1 ? "" : "s");
  if (!node.terminal) ImGui::Text("λ = %.3g (weight on the synthetic gradient)", node.lambda);
  ImGui::Separator();
  ImGui::Text("        %10s %10s %10s", "ECV", "VCM", "Bias²");
  ImGui::Text("BP      %10.3g %10.3g %10.3g", node.bp.ecv, node.bp.vcm, node.bp.bias2);
  ImGui::Text("SG      %10.3g %10.3g %10.3g", node.sg.ecv, node.sg.vcm, node.sg.bias2);
  ImGui::Separator();
  ImGui::Text("MSE at n = %g:  BP %.3g,  SG %.3g", r.request.n, curves.mse_bp_at_n,
              curves.mse_sg_at_n);
  if (curves.mse_sg_at_n > 0)
    ImGui::Text("BP / SG = %.3g", curves.mse_bp_at_n / curves.mse_sg_at_n);
  ImGui::TextUnformatted(dag::describe(curves.comparison).c_str());
  if (curves.mixing)
    ImGui::Text("λ*(n = %g) = %s", r.request.n,
                curves.star_at_n.irrelevant
                    ? "irrelevant (a ≡ b)"
                    : std::to_string(curves.star_at_n.value).substr(0, 5).c_str());
  ImGui::Text("Bgap = %.3g  (%.3g %% of E‖g‖²)", node.bgap, 100.0 * node.bgap_relative);
  ImGui::TextDisabled("click to select: the plots below follow the selected node");
  ImGui::EndTooltip();
}

}  // namespace

void draw_dag_graph(const jobs::DagLabResult* r, std::uint64_t version, DagGraphViewState& view,
                    DagGraphRenderer* renderer, UiContext& ui, ImVec2 size) {
  if (ui.fonts.title) ImGui::PushFont(ui.fonts.title);
  ImGui::TextUnformatted("Network: inputs left, terminal right");
  if (ui.fonts.title) ImGui::PopFont();
  const float legend_h =
      view.legend_h > 0 ? view.legend_h : 3.0f * ImGui::GetTextLineHeightWithSpacing();
  const float title_h = ImGui::GetFrameHeightWithSpacing();
  const ImVec2 area(std::floor(size.x),
                    std::floor(std::max(ui.px(60), size.y - legend_h - title_h)));
  if (r == nullptr || !r->network || !r->analysis) {
    ImGui::Dummy(area);
    return;
  }
  const DagGraphLayout layout = layout_dag_graph(*r->network, area);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("dag_graph_area", area);
  const bool hovered_area = ImGui::IsItemHovered();
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  view.hovered =
      hovered_area ? dag_node_at(layout, ImVec2(mouse.x - origin.x, mouse.y - origin.y)) : -1;
  if (view.hovered >= 0 && r->index_of(view.hovered) < 0)
    view.hovered = -1;  // inputs have no numbers
  if (ImGui::IsItemClicked(ImGuiMouseButton_Left) && view.hovered >= 0)
    view.selected = view.hovered;

  std::uint64_t key = mix_key(version, static_cast<std::uint64_t>(view.selected + 2));
  key = mix_key(key, static_cast<std::uint64_t>(view.hovered + 2));
  key = mix_key(key,
                static_cast<std::uint64_t>(area.x) * 65536u + static_cast<std::uint64_t>(area.y));
  key = mix_key(key, static_cast<std::uint64_t>(ui.scale * 100.0f));
  if (key != view.scene_key || view.scene.discs.empty()) {
    view.scene = build_dag_graph_scene(*r, layout, area, ui.scale, view.selected, view.hovered);
    view.scene.version = key;
    view.scene_key = key;
  }
  ImTextureID texture = renderer != nullptr ? renderer->render(view.scene) : nullptr;
  if (texture != nullptr)
    ImGui::GetWindowDrawList()->AddImage(
        texture, origin, ImVec2(origin.x + area.x, origin.y + area.y), ImVec2(0, 1), ImVec2(1, 0));
  else
    draw_scene_with_draw_list(view.scene, origin);

  // Node numbers, centred on the fill; "in" under the inputs.
  ImDrawList* dl = ImGui::GetWindowDrawList();
  for (int i = 0; i < r->network->node_count; ++i) {
    const ImVec2 c = layout.centre[static_cast<std::size_t>(i)];
    char label[16];
    std::snprintf(label, sizeof label, "%d", i);
    const ImVec2 ts = ImGui::CalcTextSize(label);
    dl->AddText(ImVec2(origin.x + c.x - ts.x * 0.5f, origin.y + c.y - ts.y * 0.5f), palette::kBlack,
                label);
  }
  if (view.hovered >= 0) node_tooltip(*r, r->index_of(view.hovered));

  // Legend: what the picture encodes (its height is kept for the next frame's layout).
  const float legend_top = ImGui::GetCursorPosY();
  ImGui::TextDisabled("centre:");
  legend_item(dag_colours::sg_wins(), "SG lower MSE", ui, true);
  legend_item(dag_colours::bp_wins(), "BP lower MSE", ui, true);
  legend_item(dag_colours::tie(), "tie", ui, true);
  char at_n[48];
  std::snprintf(at_n, sizeof at_n, "(at n = %g)", r->request.n);
  legend_text(at_n);
  ImGui::TextDisabled("rings, outer BP, inner SG:");
  legend_item(dag_colours::ecv(), "ECV", ui);
  legend_item(dag_colours::vcm(), "VCM", ui);
  legend_item(dag_colours::bias2(), "Bias²", ui);
  legend_text("(shares at n = 1)");
  ImGui::TextDisabled("edges:");
  legend_text("thicker and bluer = larger λ at the");
  legend_text("receiving (left) node; grey = from an input");
  view.legend_h = ImGui::GetCursorPosY() - legend_top;
}

}  // namespace sglab::ui
