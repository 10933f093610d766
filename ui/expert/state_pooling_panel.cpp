// The state-pooling view: the 2^d states as a grid, coloured by each state's
// BP error (left) and SG error (right) on one shared log scale. Hovering a
// state lights the 2^(d−k) states one expert pools with it (same key, eq 22):
// SG averages the noise of exactly those states, which is why it wins.
#include <algorithm>
#include <cmath>
#include <string>

#include "ui/expert/expert_lab.hpp"
#include "ui/plot/plot_ticks.hpp"

namespace sglab::ui {

namespace {

std::string bits_of(std::uint32_t r, int d) {
  std::string s;
  for (int b = d - 1; b >= 0; --b) s += ((r >> b) & 1u) ? '1' : '0';
  return s;
}

std::string coords_of(std::uint32_t mask, int d) {
  std::string s;
  for (int b = 0; b < d; ++b)
    if ((mask >> b) & 1u) s += (s.empty() ? "" : ", ") + std::to_string(b + 1);
  return "{" + s + "}";
}

// Without GL (tests on the null backend, or a failed shader): rectangles.
// What the pooled feedback is, by noise case (THEORY.md §6): the table averages the
// same thing in every case, but what makes a single state's feedback vary differs.
const char* pooled_feedback(expert::NoiseCase c) {
  switch (c) {
    case expert::NoiseCase::kNoisy: return "noisy feedback (A.1)";
    case expert::NoiseCase::kActivation: return "feedback, scaled by the experts' random firing (A.2),";
    case expert::NoiseCase::kPartial: return "feedback, shifted by an input the experts do not see (A.3),";
  }
  return "feedback";
}

void draw_grid_fallback(ImDrawList* dl, ImVec2 p0, ImVec2 size, const StateGridDraw& g) {
  const int cols = g.layout.cols, rows = g.layout.rows;
  if (static_cast<long>(cols) * rows > 16384) {
    dl->AddText(p0, IM_COL32(120, 0, 0, 255), "grid too large without OpenGL");
    return;
  }
  const float cw = size.x / static_cast<float>(cols), ch = size.y / static_cast<float>(rows);
  for (int row = 0; row < rows; ++row)
    for (int col = 0; col < cols; ++col) {
      const int r = g.layout.state_at(col, row);
      const float v = g.values[r];
      const float t = v > 0 ? (std::log10(v) - g.log_lo) / std::max(g.log_hi - g.log_lo, 1e-6f) : 0.0f;
      ImVec4 c = sequential_colour(t);
      if (g.hovered >= 0 && !pooled_with(static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(g.hovered), g.mask))
        c = ImVec4(c.x * 0.18f + 0.96f * 0.82f, c.y * 0.18f + 0.96f * 0.82f, c.z * 0.18f + 0.96f * 0.82f, 1.0f);
      const ImVec2 a(p0.x + cw * static_cast<float>(col), p0.y + ch * static_cast<float>(row));
      dl->AddRectFilled(a, ImVec2(a.x + cw, a.y + ch), ImGui::ColorConvertFloat4ToU32(c));
      if (r == g.hovered) dl->AddRect(a, ImVec2(a.x + cw, a.y + ch), IM_COL32(0, 0, 0, 255), 0, 0, 2.0f);
    }
}

}  // namespace

void draw_state_pooling(const jobs::ExpertLabResult* r, std::uint64_t snapshot_version,
                        PoolingViewState& view, UiContext& ui, float height) {
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float width = ImGui::GetContentRegionAvail().x;
  ImGui::BeginGroup();
  if (ui.fonts.title) ImGui::PushFont(ui.fonts.title);
  ImGui::TextUnformatted("Why SG wins: the states each expert pools");
  if (ui.fonts.title) ImGui::PopFont();
  if (r == nullptr || r->state_err_bp.empty()) {
    ImGui::TextDisabled("computing…");
    ImGui::Dummy(ImVec2(width, std::max(0.0f, origin.y + height - ImGui::GetCursorScreenPos().y)));
    ImGui::EndGroup();
    return;
  }
  const int d = r->d;
  const StateGridLayout layout = StateGridLayout::for_dim(d);
  view.expert = std::clamp(view.expert, 0, std::max(0, r->m - 1));
  int expert_1 = view.expert + 1;
  ImGui::SetNextItemWidth(ui.px(140));
  if (ImGui::SliderInt("expert", &expert_1, 1, std::max(1, r->m))) view.expert = expert_1 - 1;
  item_tooltip("Which expert's pooling to light up. Each expert sees its own k coordinates.");
  const std::uint32_t mask = r->expert_masks.empty() ? 0u : r->expert_masks[static_cast<std::size_t>(view.expert)];
  ImGui::SameLine();
  ImGui::TextDisabled("sees coordinates %s", coords_of(mask, d).c_str());

  // Shared log colour scale over both grids (positive values only), once per snapshot.
  if (view.scale_version != snapshot_version) {
    float lo = INFINITY, hi = -INFINITY;
    for (const auto* v : {&r->state_err_bp, &r->state_err_sg})
      for (float x : *v)
        if (x > 0) {
          lo = std::min(lo, x);
          hi = std::max(hi, x);
        }
    view.log_lo = std::isfinite(lo) ? std::log10(lo) : -1.0f;
    view.log_hi = std::isfinite(hi) ? std::max(std::log10(hi), view.log_lo + 0.1f) : 0.0f;
    view.scale_version = snapshot_version;
  }
  const float log_lo = view.log_lo, log_hi = view.log_hi;

  // Two grids side by side, same aspect as the layout, inside the space left.
  const float line_h = ImGui::GetTextLineHeightWithSpacing();
  const float gap = ui.px(16);
  const float top_y = ImGui::GetCursorScreenPos().y;
  const float avail_h = std::max(ui.px(60), origin.y + height - top_y - line_h * 5.5f);
  const float aspect = static_cast<float>(layout.cols) / static_cast<float>(layout.rows);
  float grid_w = std::min((width - gap) * 0.5f, avail_h * aspect);
  float grid_h = grid_w / aspect;
  grid_w = std::floor(grid_w);
  grid_h = std::floor(grid_h);

  const int shown_hover = view.hovered >= 0 ? view.hovered : view.pinned;
  int new_hover = -1;
  const char* titles[2] = {"BP error per state", "SG error per state"};
  const std::vector<float>* values[2] = {&r->state_err_bp, &r->state_err_sg};
  const float start_x = origin.x;
  for (int slot = 0; slot < 2; ++slot) {
    const ImVec2 p(start_x + static_cast<float>(slot) * (grid_w + gap), top_y);
    ImGui::SetCursorScreenPos(p);
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(slot == 0 ? palette::kBp : palette::kSg), "%s", titles[slot]);
    const ImVec2 gp(p.x, p.y + line_h);
    StateGridDraw g;
    g.values = values[slot]->data();
    g.values_version = snapshot_version;
    g.layout = layout;
    g.log_lo = log_lo;
    g.log_hi = log_hi;
    g.hovered = shown_hover;
    g.mask = mask;
    g.width_px = static_cast<int>(grid_w * ImGui::GetIO().DisplayFramebufferScale.x);
    g.height_px = static_cast<int>(grid_h * ImGui::GetIO().DisplayFramebufferScale.y);
    ImGui::SetCursorScreenPos(gp);
    ImTextureID tex = ui.grid_renderer ? ui.grid_renderer->render(slot, g) : nullptr;
    if (tex != nullptr) {
      ImGui::Image(tex, ImVec2(grid_w, grid_h), ImVec2(0, 1), ImVec2(1, 0));
    } else {
      ImGui::Dummy(ImVec2(grid_w, grid_h));
      draw_grid_fallback(ImGui::GetWindowDrawList(), gp, ImVec2(grid_w, grid_h), g);
    }
    if (ImGui::IsItemHovered()) {
      const ImVec2 m = ImGui::GetIO().MousePos;
      const int col = std::clamp(static_cast<int>((m.x - gp.x) / grid_w * layout.cols), 0, layout.cols - 1);
      const int row = std::clamp(static_cast<int>((m.y - gp.y) / grid_h * layout.rows), 0, layout.rows - 1);
      new_hover = layout.state_at(col, row);
      if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) view.pinned = view.pinned == new_hover ? -1 : new_hover;
    }
  }
  view.hovered = new_hover;

  // Colour bar and the read-out of the hovered state.
  ImGui::SetCursorScreenPos(ImVec2(start_x, top_y + line_h + grid_h + ui.px(4)));
  {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 a = ImGui::GetCursorScreenPos();
    const float bar_w = std::min(grid_w * 2 + gap, ui.px(360)), bar_h = ui.px(10);
    const int steps = 48;
    for (int i = 0; i < steps; ++i) {
      const float t0 = static_cast<float>(i) / steps, t1 = static_cast<float>(i + 1) / steps;
      dl->AddRectFilled(ImVec2(a.x + t0 * bar_w, a.y), ImVec2(a.x + t1 * bar_w, a.y + bar_h),
                        ImGui::ColorConvertFloat4ToU32(sequential_colour((t0 + t1) * 0.5f)));
    }
    ImGui::Dummy(ImVec2(bar_w, bar_h));
    ImGui::TextDisabled("colour: per-state MSE, log scale, %s … %s", plot::format_number(std::pow(10.0f, log_lo), 2).c_str(),
                        plot::format_number(std::pow(10.0f, log_hi), 2).c_str());
  }
  const int show = new_hover >= 0 ? new_hover : view.pinned;
  if (show >= 0 && static_cast<std::size_t>(show) < r->state_err_bp.size()) {
    const auto u = static_cast<std::uint32_t>(show);
    std::uint32_t key = 0;
    int bit = 0;
    for (int b = 0; b < d; ++b)
      if ((mask >> b) & 1u) key |= ((u >> b) & 1u) << bit++;
    ImGui::PushTextWrapPos(0.0f);
    ImGui::Text("State %d (bits %s): expert %d's key %u is shared by the %s lit states, whose %s "
                "its table averages. Error here: BP %s, SG %s. Hover or click another state.",
                show, bits_of(u, d).c_str(), view.expert + 1, key, plot::format_number(r->class_size, 6).c_str(),
                pooled_feedback(r->scenario.noise_case),
                plot::format_number(r->state_err_bp[u], 3).c_str(), plot::format_number(r->state_err_sg[u], 3).c_str());
    ImGui::PopTextWrapPos();
  } else {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("Each expert's table averages the feedback of the %s states sharing its key. Hover or "
                        "click a state to light them.",
                        plot::format_number(r->class_size, 6).c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::SetCursorScreenPos(ImVec2(origin.x, std::max(ImGui::GetCursorScreenPos().y, origin.y + height)));
  ImGui::Dummy(ImVec2(width, 0));
  ImGui::EndGroup();
}

}  // namespace sglab::ui
