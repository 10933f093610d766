// The preset picker and the classroom path: T1 → T5 in order, each with a
// one-line story, what to try and what to look for.
#include "ui/dag/dag_lab.hpp"
#include "ui/theme.hpp"

namespace sglab::ui {

int draw_dag_classroom(const std::vector<DagPreset>& presets, int current, bool edited,
                       UiContext& ui) {
  int clicked = -1;
  if (ui.fonts.title) ImGui::PushFont(ui.fonts.title);
  ImGui::TextUnformatted("Classroom path, T1 → T5");
  if (ui.fonts.title) ImGui::PopFont();
  ImGui::TextDisabled("As a lesson with live numbers: File → Open lesson → dag_classroom.json");
  if (presets.empty()) {
    ImGui::TextDisabled("No T1–T5 presets found in assets/presets.");
    return -1;
  }
  for (std::size_t i = 0; i < presets.size(); ++i) {
    if (i > 0) ImGui::SameLine(0, ui.px(4));
    const bool on = static_cast<int>(i) == current;
    if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    if (ImGui::Button(presets[i].id.c_str())) clicked = static_cast<int>(i);
    if (on) ImGui::PopStyleColor();
    if (presets[i].step) item_tooltip((presets[i].name + ": " + presets[i].step->story).c_str());
  }
  ImGui::SameLine(0, ui.px(10));
  ImGui::BeginDisabled(current <= 0);
  if (ImGui::ArrowButton("dag_prev", ImGuiDir_Left)) clicked = current - 1;
  ImGui::EndDisabled();
  item_tooltip("previous step");
  ImGui::SameLine(0, ui.px(4));
  ImGui::BeginDisabled(current + 1 >= static_cast<int>(presets.size()));
  if (ImGui::ArrowButton("dag_next", ImGuiDir_Right)) clicked = current < 0 ? 0 : current + 1;
  ImGui::EndDisabled();
  item_tooltip("next step");

  if (current < 0 || current >= static_cast<int>(presets.size())) {
    ImGui::TextDisabled("Your own DAG (edited): pick a preset above to follow the path.");
    return clicked;
  }
  const DagPreset& p = presets[static_cast<std::size_t>(current)];
  ImGui::Text("Step %d of %d: %s", current + 1, static_cast<int>(presets.size()), p.name.c_str());
  if (edited) ImGui::TextDisabled("(you edited it: click %s to start again)", p.id.c_str());
  if (p.step == nullptr) return clicked;
  collapsible_text("story", p.step->story, ui.presenter);
  ImGui::Spacing();
  ImGui::TextColored(ImVec4(0.0f, 0.35f, 0.6f, 1.0f), "Try this");
  collapsible_text("try", p.step->try_this, ui.presenter);
  ImGui::Spacing();
  ImGui::TextColored(ImVec4(0.0f, 0.35f, 0.6f, 1.0f), "Look for");
  collapsible_text("look", p.step->look_for, ui.presenter);
  return clicked;
}

}  // namespace sglab::ui
