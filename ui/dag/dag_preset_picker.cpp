// The preset picker: T1 → T5 in the classroom path's order, each preset's own
// description on hover, and the button that opens the path as a lesson (its
// texts carry live numbers and checks: assets/lessons/dag_classroom.json).
#include "ui/dag/dag_lab.hpp"
#include "ui/theme.hpp"

namespace sglab::ui {

int draw_dag_preset_picker(const std::vector<DagPreset>& presets, int current, bool edited, bool& open_lesson,
                           UiContext& ui) {
  int clicked = -1;
  open_lesson = false;
  if (ui.fonts.title) ImGui::PushFont(ui.fonts.title);
  ImGui::TextUnformatted("Presets, T1 → T5");
  if (ui.fonts.title) ImGui::PopFont();
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
    item_tooltip((presets[i].name + ": " + presets[i].description).c_str());
  }
  ImGui::SameLine(0, ui.px(10));
  ImGui::BeginDisabled(current <= 0);
  if (ImGui::ArrowButton("dag_prev", ImGuiDir_Left)) clicked = current - 1;
  ImGui::EndDisabled();
  item_tooltip("previous preset");
  ImGui::SameLine(0, ui.px(4));
  ImGui::BeginDisabled(current + 1 >= static_cast<int>(presets.size()));
  if (ImGui::ArrowButton("dag_next", ImGuiDir_Right)) clicked = current < 0 ? 0 : current + 1;
  ImGui::EndDisabled();
  item_tooltip("next preset");
  if (ImGui::Button("Classroom path (lesson)")) open_lesson = true;
  item_tooltip("Opens the lesson T1 → T5: for each preset what to try and what to look for, with the "
               "numbers measured on the network as it is now.");

  if (current < 0 || current >= static_cast<int>(presets.size())) {
    ImGui::TextDisabled("Your own DAG (edited): pick a preset above.");
    return clicked;
  }
  const DagPreset& p = presets[static_cast<std::size_t>(current)];
  ImGui::Text("%s", p.name.c_str());
  if (edited) ImGui::TextDisabled("(you edited it: click %s to start again)", p.id.c_str());
  collapsible_text("description", p.description, ui.presenter);
  return clicked;
}

}  // namespace sglab::ui
