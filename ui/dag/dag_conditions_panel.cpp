// Condition lights A.1 / A.2 / A.3 / B (THEORY.md §3) with the reasons the
// core measured, and the theorem verdict banner (§4) exactly as the core words it.
#include <algorithm>
#include <cstdio>

#include "core/dag/dag_verdict_text.hpp"
#include "ui/dag/dag_lab.hpp"
#include "ui/theme.hpp"

namespace sglab::ui {

namespace {

enum class Light { kOff, kOn, kDeclaredOnly, kHolds, kFails };

ImU32 light_colour(Light l) {
  switch (l) {
    case Light::kOn:
      return palette::kOrange;
    case Light::kDeclaredOnly:
      return palette::kYellow;
    case Light::kHolds:
      return palette::kGreen;
    case Light::kFails:
      return palette::kVermillion;
    case Light::kOff:
      break;
  }
  return IM_COL32(200, 200, 200, 255);
}

const char* light_word(Light l) {
  switch (l) {
    case Light::kOn:
      return "holds";
    case Light::kDeclaredOnly:
      return "declared, no effect";
    case Light::kHolds:
      return "holds";
    case Light::kFails:
      return "fails";
    case Light::kOff:
      break;
  }
  return "off";
}

Light a_light(const dag::DagConditionStatus& s) {
  if (s.effective) return Light::kOn;
  return s.declared ? Light::kDeclaredOnly : Light::kOff;
}

void draw_light(const char* label, const char* meaning, Light light, const std::string& headline,
                const std::string& reason, float width, UiContext& ui) {
  ImGui::BeginGroup();
  const float r = ui.px(8);
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float line_h = ImGui::GetTextLineHeight();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddCircleFilled(ImVec2(p.x + r, p.y + line_h * 0.5f), r, light_colour(light));
  dl->AddCircle(ImVec2(p.x + r, p.y + line_h * 0.5f), r, IM_COL32(60, 60, 60, 255), 0, ui.px(1.2f));
  ImGui::Dummy(ImVec2(2 * r + ui.px(4), line_h));
  ImGui::SameLine();
  if (ui.fonts.title) ImGui::PushFont(ui.fonts.title);
  ImGui::Text("%s %s", label, light_word(light));
  if (ui.fonts.title) ImGui::PopFont();
  if (!headline.empty()) text_wrapped_at_spaces(headline, width);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  text_wrapped_at_spaces(std::string(meaning) + ": " + reason, width);
  ImGui::PopStyleColor();
  ImGui::EndGroup();
}

std::string percent(double fraction) {
  char buf[32];
  std::snprintf(buf, sizeof buf, fraction >= 0.1 ? "%.0f %%" : "%.2g %%", 100.0 * fraction);
  return buf;
}

}  // namespace

std::string dag_b_headline(const jobs::DagLabResult& r) {
  const dag::DagConditions& c = r.conditions;
  if (c.b.effective) return "";  // the reason already says "Bgap = 0 at every node"
  return "B fails at node " + std::to_string(c.b.measured_node) +
         ": Bgap = " + percent(c.b.measured) + " of E‖g‖².";
}

namespace {

// One line: "● A.1 holds  ● A.2 off  ● A.3 off  ● B fails", each light's
// meaning, measured reason and headline in its tooltip.
void draw_lights_compact(const dag::DagConditions& c, const std::string& b_headline, UiContext& ui) {
  struct Item {
    const char* label;
    const char* meaning;
    Light light;
    dag::DagCondition which;
  };
  const Item items[] = {{"A.1", "noisy feedback", a_light(c.a1), dag::DagCondition::a1},
                        {"A.2", "stochastic nodes", a_light(c.a2), dag::DagCondition::a2},
                        {"A.3", "sparse wiring", a_light(c.a3), dag::DagCondition::a3},
                        {"B", "cond.-mean sufficiency", c.b.effective ? Light::kHolds : Light::kFails,
                         dag::DagCondition::b}};
  const float r = ui.px(7);
  const float line_h = ImGui::GetTextLineHeight();
  for (std::size_t k = 0; k < 4; ++k) {
    const Item& it = items[k];
    if (k > 0) ImGui::SameLine(0, ui.px(18));
    ImGui::BeginGroup();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddCircleFilled(ImVec2(p.x + r, p.y + line_h * 0.5f), r, light_colour(it.light));
    dl->AddCircle(ImVec2(p.x + r, p.y + line_h * 0.5f), r, IM_COL32(60, 60, 60, 255), 0, ui.px(1.2f));
    ImGui::Dummy(ImVec2(2 * r + ui.px(2), line_h));
    ImGui::SameLine();
    ImGui::Text("%s %s", it.label, light_word(it.light));
    ImGui::EndGroup();
    const std::string why = (it.which == dag::DagCondition::b && !b_headline.empty() ? b_headline + "\n" : std::string()) +
                            it.meaning + ": " + dag::describe(c, it.which);
    item_tooltip(why.c_str());
  }
}

}  // namespace

void draw_dag_conditions(const jobs::DagLabResult* r, bool stale, UiContext& ui, bool compact) {
  if (r == nullptr) {
    ImGui::TextDisabled("computing the exact analysis…");
    return;
  }
  if (!r->error.empty()) {
    ImGui::TextColored(ImVec4(0.7f, 0.1f, 0.0f, 1.0f), "This DAG cannot be analysed: %s",
                       r->error.c_str());
    return;
  }
  if (!r->analysis) return;
  const dag::DagConditions& c = r->conditions;
  if (compact) {
    draw_lights_compact(c, dag_b_headline(*r), ui);
    if (!c.verdicts.empty()) {
      const std::vector<std::string> verdicts = dag::describe_verdicts(c);
      if (ui.fonts.title) ImGui::PushFont(ui.fonts.title);
      collapsible_text("dag_verdict", (stale ? "(updating…) " : "") + verdicts.front(), true);
      if (ui.fonts.title) ImGui::PopFont();
    }
    return;
  }
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const float width = (ImGui::GetContentRegionAvail().x - 3 * spacing) / 4.0f;
  const float x0 = ImGui::GetCursorPosX();
  const float y0 = ImGui::GetCursorPosY();
  float bottom = y0;
  const auto column = [&](int k, auto&& body) {
    ImGui::SetCursorPos(ImVec2(x0 + static_cast<float>(k) * (width + spacing), y0));
    body();
    bottom = std::max(bottom, ImGui::GetCursorPosY());
  };
  column(0,
         [&] { draw_light("A.1", "noisy feedback", a_light(c.a1), "", dag::describe(c, dag::DagCondition::a1), width, ui); });
  column(1,
         [&] { draw_light("A.2", "stochastic nodes", a_light(c.a2), "", dag::describe(c, dag::DagCondition::a2), width, ui); });
  column(2, [&] { draw_light("A.3", "sparse wiring", a_light(c.a3), "", dag::describe(c, dag::DagCondition::a3), width, ui); });
  column(3, [&] {
    draw_light("B", "cond.-mean sufficiency", c.b.effective ? Light::kHolds : Light::kFails,
               dag_b_headline(*r), dag::describe(c, dag::DagCondition::b), width, ui);
  });
  ImGui::SetCursorPos(ImVec2(x0, bottom));

  // The verdict banner: the core's first verdict, in the core's words.
  if (!c.verdicts.empty()) {
    const std::vector<std::string> verdicts = dag::describe_verdicts(c);
    ImGui::PushStyleColor(ImGuiCol_ChildBg, c.verdicts.front().theorem_applies()
                                                ? ImVec4(0.88f, 0.95f, 0.90f, 1.0f)
                                                : ImVec4(0.96f, 0.94f, 0.86f, 1.0f));
    const float wrap = ImGui::GetContentRegionAvail().x - 2 * ImGui::GetStyle().WindowPadding.x;
    std::string text = verdicts.front();
    if (stale) text += "  (updating…)";
    if (ui.fonts.title) ImGui::PushFont(ui.fonts.title);  // measured in the font it is drawn in
    const float h = ImGui::CalcTextSize(text.c_str(), nullptr, false, wrap).y +
                    ImGui::GetTextLineHeight() * 0.25f;
    if (ui.fonts.title) ImGui::PopFont();
    ImGui::BeginChild("dag_verdict",
                      ImVec2(0, h + 2 * ImGui::GetStyle().WindowPadding.y + ui.px(2)), true,
                      ImGuiWindowFlags_NoScrollbar);
    if (ui.fonts.title) ImGui::PushFont(ui.fonts.title);
    text_wrapped_at_spaces(text, wrap);
    if (ui.fonts.title) ImGui::PopFont();
    ImGui::EndChild();
    ImGui::PopStyleColor();
    if (verdicts.size() > 1 && ImGui::IsItemHovered()) {
      ImGui::BeginTooltip();
      ImGui::PushTextWrapPos(ImGui::GetFontSize() * 40.0f);
      for (std::size_t i = 1; i < verdicts.size(); ++i) ImGui::TextUnformatted(verdicts[i].c_str());
      ImGui::PopTextWrapPos();
      ImGui::EndTooltip();
    }
  }
}

}  // namespace sglab::ui
