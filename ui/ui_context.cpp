#include "ui/ui_context.hpp"

#include <imgui_internal.h>

namespace sglab::ui {

void apply_appearance(UiContext& ui, bool presenter, ColourProfile profile, float window_height) {
  const float scale = presenter ? presenter_scale(window_height) : 1.0f;
  ui.fonts = load_fonts(scale);
  apply_style(scale, profile);
  ui.scale = scale;
  ui.presenter = presenter;
  ui.profile = profile;
  ui.plot_env.scale = scale;
  ui.plot_env.title_font = ui.fonts.title;
  ui.plot_env.high_contrast = profile == ColourProfile::kProjector;
  ui.plot_env.line_boost = ui.plot_env.high_contrast ? plot::kProjectorLineBoost : 1.0f;
  ui.plot_env.one_line_titles = presenter;
}

namespace {
bool listed(const std::vector<std::string>& keys, const char* key) {
  for (const std::string& k : keys)
    if (k == key) return true;
  return false;
}
}  // namespace

bool UiContext::control_shown(const char* lab, const char* key) const {
  if (step_controls.lab != lab || step_controls.shown.empty()) return true;
  return listed(step_controls.shown, key) || listed(step_controls.locked, key);
}

bool UiContext::control_locked(const char* lab, const char* key) const {
  return step_controls.lab == lab && listed(step_controls.locked, key);
}

void UiContext::report_figure(const std::string& id, ImVec2 min, ImVec2 max, float area_h) {
  const ImGuiWindow* window = ImGui::GetCurrentWindow();
  figures.push_back({id, min, max, window->ClipRect.Min, window->ClipRect.Max, area_h});
}

void UiContext::report_last_plot(const std::string& id) {
  report_figure(id, plot_env.last_min, plot_env.last_max, plot_env.last_area_h);
  figures.back().legend_share = plot_env.last_legend_share;
}

void UiContext::report_window_figure(const std::string& id) {
  const ImVec2 pos = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
  // The child window itself is measured against its parent's visible region.
  const ImGuiWindow* window = ImGui::GetCurrentWindow();
  const ImGuiWindow* parent = window->ParentWindow != nullptr ? window->ParentWindow : window;
  figures.push_back({id, pos, ImVec2(pos.x + size.x, pos.y + size.y), parent->ClipRect.Min, parent->ClipRect.Max, -1.0f});
}

void collapsible_text(const char* id, const std::string& text, bool collapse) {
  ImGui::PushID(id);
  bool& open = *ImGui::GetStateStorage()->GetBoolRef(ImGui::GetID("open"), false);
  const float avail = ImGui::GetContentRegionAvail().x;
  if (!collapse || ImGui::CalcTextSize(text.c_str()).x <= avail) {
    text_wrapped_at_spaces(text, avail);
    ImGui::PopID();
    return;
  }
  const float button_w = ImGui::CalcTextSize("more").x + ImGui::GetStyle().FramePadding.x * 2 +
                         ImGui::GetStyle().ItemSpacing.x;
  if (open) {
    text_wrapped_at_spaces(text, avail);
    if (ImGui::SmallButton("less")) open = false;
  } else {
    // The longest prefix, cut at a space, that fits beside "… more".
    const float room = avail - button_w - ImGui::CalcTextSize("…").x;
    std::size_t cut = 0;
    for (std::size_t sp = text.find(' '); sp != std::string::npos; sp = text.find(' ', sp + 1)) {
      if (ImGui::CalcTextSize(text.c_str(), text.c_str() + sp).x > room) break;
      cut = sp;
    }
    if (cut == 0) {  // one long word: cut at a character boundary instead
      while (cut < text.size() && ImGui::CalcTextSize(text.c_str(), text.c_str() + cut + 1).x <= room) ++cut;
      while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 sequence
    }
    const std::string line = text.substr(0, cut) + "…";
    ImGui::TextUnformatted(line.c_str());
    ImGui::SameLine();
    if (ImGui::SmallButton("more")) open = true;
    item_tooltip(text.c_str());
  }
  ImGui::PopID();
}

std::string cut_to_width(const std::string& text, float width) {
  if (ImGui::CalcTextSize(text.c_str()).x <= width) return text;
  const float room = width - ImGui::CalcTextSize("…").x;
  std::size_t cut = 0;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t next = i + 1;
    while (next < text.size() && (static_cast<unsigned char>(text[next]) & 0xC0) == 0x80) ++next;  // whole UTF-8 characters
    if (ImGui::CalcTextSize(text.c_str(), text.c_str() + next).x > room) break;
    cut = next;
    i = next;
  }
  return text.substr(0, cut) + "…";
}

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
