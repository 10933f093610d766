#include "ui/ui_context.hpp"

namespace sglab::ui {

void item_tooltip(const char* text) {
  if (!ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) return;
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28.0f);
  ImGui::TextUnformatted(text);
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

void text_wrapped_at_spaces(const std::string& text, float width) {
  if (width <= 0.0f) width = ImGui::GetContentRegionAvail().x;
  std::string line;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t next = text.find(' ', pos);
    if (next == std::string::npos) next = text.size();
    const std::string word = text.substr(pos, next - pos);
    const std::string candidate = line.empty() ? word : line + " " + word;
    if (!line.empty() && ImGui::CalcTextSize(candidate.c_str()).x > width) {
      ImGui::TextUnformatted(line.c_str());
      line = word;
    } else {
      line = candidate;
    }
    pos = next + 1;
  }
  if (!line.empty()) ImGui::TextUnformatted(line.c_str());
}

void help_marker(const char* text) {
  ImGui::SameLine();
  ImGui::TextDisabled("(?)");
  item_tooltip(text);
}

}  // namespace sglab::ui
