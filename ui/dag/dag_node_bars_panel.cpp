// Per-node bars (THEORY.md §2, Lemma 1 at n = 1): for every non-input node a
// BP bar beside an SG bar, each stacked ECV / VCM / Bias². Optionally each
// node is scaled by its own BP total, so nodes of very different size read
// alike and "SG shorter than BP" means "SG wins". Click a bar to select its node.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "ui/dag/dag_bar_labels.hpp"
#include "ui/dag/dag_lab.hpp"
#include "ui/plot/plot_ticks.hpp"
#include "ui/theme.hpp"

namespace sglab::ui {

namespace {

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

double total(const dag::DagEstimatorMoments& m) {
  return m.ecv + m.vcm + m.bias2;
}

}  // namespace

void draw_dag_node_bars(const jobs::DagLabResult* r, int& selected, bool& relative, UiContext& ui,
                        ImVec2 size) {
  const ImVec2 start = ImGui::GetCursorPos();
  if (ui.fonts.title) ImGui::PushFont(ui.fonts.title);
  text_wrapped_at_spaces("Per node: BP beside SG, ECV + VCM + Bias² (n = 1)");
  if (ui.fonts.title) ImGui::PopFont();
  ImGui::Checkbox("each node relative to its BP bar", &relative);
  item_tooltip(
      "On: every node's bars are divided by that node's BP total, so the BP bar is 1 and a shorter "
      "SG "
      "bar means SG has lower MSE at n = 1. Off: absolute values (nodes can differ by orders of "
      "magnitude).");
  if (r == nullptr || !r->analysis || r->analysis->nodes.empty()) return;
  const auto& nodes = r->analysis->nodes;

  const float line_h = ImGui::GetTextLineHeightWithSpacing();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float used = ImGui::GetCursorPosY() - start.y;
  const float axis_w = ui.px(52), bottom_h = 2.0f * line_h, legend_h = line_h;
  const ImVec2 plot_min(origin.x + axis_w, origin.y + legend_h + ui.px(4));
  const ImVec2 plot_max(origin.x + size.x - ui.px(6),
                        origin.y + std::max(ui.px(60), size.y - used - bottom_h));
  if (plot_max.x <= plot_min.x + 10 || plot_max.y <= plot_min.y + 10) return;

  double top = 0.0;
  for (const auto& n : nodes) {
    const double scale = relative ? total(n.bp) : 1.0;
    if (scale <= 0) continue;
    top = std::max({top, total(n.bp) / scale, total(n.sg) / scale});
  }
  if (!(top > 0)) top = 1.0;
  top *= 1.08;

  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float h = plot_max.y - plot_min.y;
  const auto y_of = [&](double v) { return plot_max.y - static_cast<float>(v / top) * h; };
  for (const plot::Tick& tick : plot::linear_ticks(0.0, top, 4)) {
    if (!tick.major || tick.value > top) continue;
    const float y = y_of(tick.value);
    dl->AddLine(ImVec2(plot_min.x - ui.px(4), y), ImVec2(plot_max.x, y),
                IM_COL32(210, 210, 210, 255));
    const std::string& label = tick.label;
    const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
    dl->AddText(ImVec2(plot_min.x - ui.px(6) - ts.x, y - ts.y * 0.5f), palette::kGrey,
                label.c_str());
  }
  dl->AddLine(ImVec2(plot_min.x, plot_min.y), ImVec2(plot_min.x, plot_max.y), palette::kGrey);

  // Legend.
  float lx = plot_min.x;
  const ImU32 colours[3] = {dag_colours::ecv(), dag_colours::vcm(), dag_colours::bias2()};
  const char* names[3] = {"ECV", "VCM", "Bias²"};
  for (int k = 0; k < 3; ++k) {
    const float s = ImGui::GetTextLineHeight() * 0.8f;
    dl->AddRectFilled(ImVec2(lx, origin.y + 2), ImVec2(lx + s, origin.y + 2 + s), colours[k]);
    dl->AddText(ImVec2(lx + s + ui.px(3), origin.y), palette::kBlack, names[k]);
    lx += s + ui.px(3) + ImGui::CalcTextSize(names[k]).x + ui.px(12);
  }

  const float group_w = (plot_max.x - plot_min.x) / static_cast<float>(nodes.size());
  const float bar_w = std::min(group_w * 0.36f, ui.px(40));
  float long_w = 0.0f, short_w = 0.0f;
  for (const auto& n : nodes) {
    long_w = std::max(long_w, ImGui::CalcTextSize(("node " + std::to_string(n.node)).c_str()).x);
    short_w = std::max(short_w, ImGui::CalcTextSize(std::to_string(n.node).c_str()).x);
  }
  const BarLabelPlan labels = plan_bar_labels(group_w, long_w, short_w, ImGui::CalcTextSize("BP").x, bar_w,
                                              ui.px(6));
  if (!labels.long_form) {  // "node" once, left of the numbers
    const ImVec2 ts = ImGui::CalcTextSize("node");
    dl->AddText(ImVec2(plot_min.x - ui.px(6) - ts.x, plot_max.y + ui.px(2) + line_h), palette::kBlack, "node");
  }
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const bool window_hovered = ImGui::IsWindowHovered();
  int hovered_node = -1;
  bool hovered_sg = false;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const auto& n = nodes[i];
    const double scale = relative ? (total(n.bp) > 0 ? total(n.bp) : 1.0) : 1.0;
    const float centre = plot_min.x + group_w * (static_cast<float>(i) + 0.5f);
    if (n.node == selected)
      dl->AddRectFilled(ImVec2(centre - group_w * 0.5f + 1, plot_min.y),
                        ImVec2(centre + group_w * 0.5f - 1, plot_max.y), IM_COL32(0, 0, 0, 18));
    for (int which = 0; which < 2; ++which) {
      const dag::DagEstimatorMoments& m = which == 0 ? n.bp : n.sg;
      const float x0 = which == 0 ? centre - bar_w - ui.px(1) : centre + ui.px(1);
      const double parts[3] = {m.ecv / scale, m.vcm / scale, m.bias2 / scale};
      double base = 0.0;
      for (int k = 0; k < 3; ++k) {
        if (parts[k] <= 0) continue;
        dl->AddRectFilled(ImVec2(x0, y_of(base + parts[k])), ImVec2(x0 + bar_w, y_of(base)),
                          colours[k]);
        base += parts[k];
      }
      dl->AddRect(ImVec2(x0, y_of(base)), ImVec2(x0 + bar_w, plot_max.y),
                  which == 0 ? palette::kBp : palette::kSg, 0, 0, ui.px(1.5f));
      const char* tag = which == 0 ? "BP" : "SG";
      const ImVec2 ts = ImGui::CalcTextSize(tag);
      if (labels.tags)
        dl->AddText(ImVec2(x0 + bar_w * 0.5f - ts.x * 0.5f, plot_max.y + ui.px(2)),
                    which == 0 ? palette::kBp : palette::kSg, tag);
      if (window_hovered && mouse.x >= x0 && mouse.x <= x0 + bar_w && mouse.y >= plot_min.y &&
          mouse.y <= plot_max.y) {
        hovered_node = static_cast<int>(i);
        hovered_sg = which == 1;
      }
    }
    if (static_cast<int>(i) % labels.stride != 0) continue;
    const std::string label = (labels.long_form ? "node " : "") + std::to_string(n.node);
    const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
    dl->AddText(ImVec2(centre - ts.x * 0.5f, plot_max.y + ui.px(2) + line_h), palette::kBlack,
                label.c_str());
  }
  ImGui::Dummy(ImVec2(size.x - ui.px(8), plot_max.y - origin.y + bottom_h));
  if (hovered_node >= 0) {
    const auto& n = nodes[static_cast<std::size_t>(hovered_node)];
    const dag::DagEstimatorMoments& m = hovered_sg ? n.sg : n.bp;
    ImGui::BeginTooltip();
    ImGui::Text("node %d, %s%s", n.node, hovered_sg ? "SG" : "BP",
                n.terminal ? " (terminal: SG = BP)" : "");
    ImGui::Text("ECV %s   VCM %s   Bias² %s", number(m.ecv).c_str(), number(m.vcm).c_str(),
                number(m.bias2).c_str());
    ImGui::Text("MSE at n = 1: %s", number(total(m)).c_str());
    ImGui::TextDisabled("click to select this node");
    ImGui::EndTooltip();
    if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) selected = n.node;
  }
}

}  // namespace sglab::ui
