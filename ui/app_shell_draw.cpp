// The shell's drawing: menu, popups, banner, tabs, status bar, help windows.
#include <cstdio>
#include <filesystem>
#include <optional>
#include <utility>

#include "sglab/version.hpp"
#include "ui/app_shell.hpp"
#include "ui/shortcuts.hpp"

namespace sglab::ui {

void AppShell::draw_file_menu(UiContext& ui) {
  if (ImGui::BeginMenu("Presets")) {
    for (const auto& l : labs_) {
      if (!ImGui::BeginMenu(l->title())) continue;
      for (const auto& p : presets()) {
        if (p.lab != l->id()) continue;
        if (ImGui::MenuItem(p.name.c_str())) {
          const std::string error = open_scenario(p.path);
          ui.notify(error.empty() ? "Opened preset \"" + p.name + "\"" : "Preset failed: " + error);
        }
        if (!p.description.empty()) item_tooltip(p.description.c_str());
      }
      ImGui::EndMenu();
    }
    if (presets().empty()) ImGui::TextDisabled("no presets in %s/presets", assets_dir_.c_str());
    ImGui::EndMenu();
  }
  if (ImGui::MenuItem("Open scenario…")) open_popup_ = true;
  if (ImGui::MenuItem("Save scenario", "Ctrl+S")) quick_save(ui);
  item_tooltip(quick_save_path_.empty() ? "Asks where (Save as…); from then on Ctrl+S writes that file."
                                        : ("Writes " + quick_save_path_ + " again.").c_str());
  if (ImGui::MenuItem("Save scenario as…")) save_popup_ = true;
  item_tooltip("Saves every lab's state and the active tab: opening the file restores all of it.");
  if (ImGui::MenuItem("Open lesson…")) lesson_->request_open_dialog();
  item_tooltip("A lesson file: a teacher's path through the labs, step by step (assets/lessons).");
  ImGui::Separator();
  if (ImGui::MenuItem("Copy scenario")) {
    try {
      ImGui::SetClipboardText(config::scenario_to_text(current_scenario()).c_str());
      ui.notify("Copied the scenario (JSON) to the clipboard");
    } catch (const std::exception& e) {
      banner_ = std::string("Could not copy the scenario: ") + e.what();
    }
  }
  item_tooltip("The whole scenario as JSON text, to share in a chat message; Paste opens it.");
  if (ImGui::MenuItem("Paste scenario")) {
    const char* text = ImGui::GetClipboardText();
    const std::string error = open_scenario_text(text ? text : "", "clipboard");
    ui.notify(error.empty() ? "Opened the scenario from the clipboard" : "Paste failed: " + error);
  }
  ImGui::Separator();
  if (ImGui::MenuItem("Export this lab's plots (CSV + PNG)")) export_active_plots(ui);
  draw_png_size_menu(ui.plot_env);
  ImGui::Separator();
  if (ImGui::MenuItem("Quit")) quit_ = true;
}

// PNG exports draw each plot alone at this size, text and lines scaled with it.
void AppShell::draw_png_size_menu(plot::PlotEnv& env) {
  if (!ImGui::BeginMenu("PNG export size")) return;
  static constexpr int kSizes[][2] = {{800, 500}, {1280, 800}, {1600, 1000}, {1920, 1080}, {2400, 1500}, {3200, 2000}};
  for (const auto& size : kSizes) {
    const std::string label = std::to_string(size[0]) + " × " + std::to_string(size[1]);
    if (ImGui::MenuItem(label.c_str(), nullptr, env.png_width == size[0] && env.png_height == size[1])) {
      env.png_width = size[0];
      env.png_height = size[1];
    }
  }
  ImGui::EndMenu();
}

void AppShell::draw_menu(UiContext& ui) {
  if (!ImGui::BeginMenuBar()) return;
  if (ImGui::BeginMenu("File")) {
    draw_file_menu(ui);
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Edit")) {
    Lab& shown = *labs_[active_];
    const UndoHistory& h = history(shown.id());
    if (ImGui::MenuItem("Undo", "Ctrl+Z", false, h.can_undo())) undo(ui);
    if (ImGui::MenuItem("Redo", "Ctrl+Shift+Z", false, h.can_redo())) redo(ui);
    item_tooltip("Undo and redo act on the shown lab's knobs and editor (not on its selection or scrub position).");
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    ImGui::MenuItem("Presenter mode (figures first)", "F11", &presenter_);
    item_tooltip("Large text; every lab's figures fit the window without scrolling, long texts fold to one "
                 "line with \"more\".");
    ImGui::MenuItem("Projector colours", nullptr, &projector_);
    item_tooltip("High contrast, thicker lines and markers, no light grey on white (--projector).");
    ImGui::Separator();
    labs_[active_]->draw_view_menu(ui);
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Debug")) {
    ImGui::MenuItem("ImGui demo window", nullptr, &show_demo_);
    ImGui::MenuItem("ImGui metrics window", nullptr, &show_metrics_);
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Help")) {
    ImGui::MenuItem("Keyboard and mouse", "F1", &show_keys_);
    ImGui::MenuItem("About sglab", nullptr, &show_about_);
    ImGui::EndMenu();
  }
  ImGui::EndMenuBar();
}

namespace {

bool escape_pressed() { return key_pressed(Key::kEscape); }

std::string absolute_path(const std::string& path) {
  std::error_code ec;
  const std::filesystem::path p = std::filesystem::absolute(path, ec);
  return ec ? path : p.lexically_normal().string();
}

}  // namespace

void AppShell::draw_open_popup(UiContext& ui) {
  const ImVec2 centre = ImGui::GetMainViewport()->GetCenter();
  ImGui::SetNextWindowPos(centre, ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  if (!ImGui::BeginPopupModal("Open scenario", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
  ImGui::TextUnformatted("Scenario file (JSON):");
  ImGui::SetNextItemWidth(ui.px(520));
  const bool enter = ImGui::InputText("##path", path_buffer_, sizeof path_buffer_, ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::TextDisabled("%s", absolute_path(path_buffer_).c_str());
  ImGui::TextDisabled("Presets:");
  for (const auto& p : presets())
    if (ImGui::Selectable(p.name.c_str())) std::snprintf(path_buffer_, sizeof path_buffer_, "%s", p.path.c_str());
  if (ImGui::Button("Open") || enter) {
    const std::string error = open_scenario(path_buffer_);
    ui.notify(error.empty() ? "Opened " + absolute_path(path_buffer_) : "Open failed: " + error);
    ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (ImGui::Button("Cancel") || escape_pressed()) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
}

void AppShell::begin_save_popup() {
  if (path_buffer_[0] == '\0') std::snprintf(path_buffer_, sizeof path_buffer_, "scenario.json");
  const SaveText text = save_text();
  std::snprintf(name_buffer_, sizeof name_buffer_, "%s", text.name.c_str());
  std::snprintf(description_buffer_, sizeof description_buffer_, "%s", text.description.c_str());
  overwrite_armed_.clear();
}

// Saving asks for the scenario's name and description (proposed by save_text()),
// shows the absolute path it writes, and replaces an existing file only on a
// second click.
void AppShell::draw_save_popup(UiContext& ui) {
  const ImVec2 centre = ImGui::GetMainViewport()->GetCenter();
  ImGui::SetNextWindowPos(centre, ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  if (!ImGui::BeginPopupModal("Save scenario", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
  ImGui::TextUnformatted("Save every lab's state to (JSON):");
  ImGui::SetNextItemWidth(ui.px(520));
  bool enter = ImGui::InputText("##path", path_buffer_, sizeof path_buffer_, ImGuiInputTextFlags_EnterReturnsTrue);
  const std::string target = absolute_path(path_buffer_);
  std::error_code ec;
  const bool exists = std::filesystem::exists(path_buffer_, ec);
  if (overwrite_armed_ != target) overwrite_armed_.clear();
  ImGui::TextDisabled("writes %s", target.c_str());
  ImGui::SetNextItemWidth(ui.px(520));
  enter |= ImGui::InputText("name", name_buffer_, sizeof name_buffer_, ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::InputTextMultiline("description", description_buffer_, sizeof description_buffer_,
                            ImVec2(ui.px(520), ImGui::GetTextLineHeight() * 4));
  if (exists) ImGui::TextColored(ImVec4(0.7f, 0.3f, 0.0f, 1.0f), overwrite_armed_.empty() ? "This file exists." :
                                 "This file exists: press Replace to overwrite it.");
  if (ImGui::Button(exists && !overwrite_armed_.empty() ? "Replace" : "Save") || enter) {
    if (exists && overwrite_armed_.empty()) {
      overwrite_armed_ = target;  // the next click replaces it
    } else {
      set_scenario_text(name_buffer_, description_buffer_);
      const std::string error = save_scenario(path_buffer_);
      ui.notify(error.empty() ? "Saved " + target : "Save failed: " + error);
      if (error.empty()) opened_bodies_ = current_scenario().bodies;  // saved = the new reference
      ImGui::CloseCurrentPopup();
    }
  }
  ImGui::SameLine();
  if (ImGui::Button("Cancel") || escape_pressed()) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
}

void AppShell::draw_banner(UiContext& ui) {
  if (banner_.empty()) return;
  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(1.0f, 0.90f, 0.85f, 1.0f));
  const float wrap_w = ImGui::GetContentRegionAvail().x - ui.px(110);
  const float text_h = ImGui::CalcTextSize(banner_.c_str(), nullptr, false, wrap_w).y;
  ImGui::BeginChild("banner", ImVec2(0, text_h + ImGui::GetStyle().WindowPadding.y * 2 + ui.px(4)), true,
                    ImGuiWindowFlags_NoScrollbar);
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap_w);
  ImGui::TextColored(ImVec4(0.55f, 0.05f, 0.0f, 1.0f), "%s", banner_.c_str());
  ImGui::PopTextWrapPos();
  ImGui::SameLine(ImGui::GetWindowWidth() - ui.px(90));
  if (ImGui::Button("Dismiss")) banner_.clear();
  ImGui::EndChild();
  ImGui::PopStyleColor();
}

void AppShell::draw_status_bar(UiContext& ui) {
  ImGui::Separator();
  ImGui::Text("%.0f FPS", static_cast<double>(ImGui::GetIO().Framerate));
  ImGui::SameLine();
  ImGui::TextDisabled("|");
  ImGui::SameLine();
  labs_[active_]->draw_status(ui);
  if (!ui.status_message.empty() && ImGui::GetTime() - ui.status_time < 8.0) {
    ImGui::SameLine();
    ImGui::TextDisabled("|");
    ImGui::SameLine();
    ImGui::TextUnformatted(ui.status_message.c_str());
  }
}

void AppShell::draw_tabs(UiContext& ui) {
  const float status_h = ImGui::GetFrameHeightWithSpacing() + ImGui::GetStyle().ItemSpacing.y * 2;
  if (!ImGui::BeginTabBar("labs")) return;
  for (std::size_t i = 0; i < labs_.size(); ++i) {
    Lab& l = *labs_[i];
    const ImGuiTabItemFlags flags =
        pending_tab_ == static_cast<int>(i) ? ImGuiTabItemFlags_SetSelected : ImGuiTabItemFlags_None;
    if (ImGui::BeginTabItem(l.title(), nullptr, flags)) {
      if (pending_tab_ < 0) active_ = i;
      ImGui::BeginChild((std::string(l.id()) + "_lab").c_str(), ImVec2(0, -status_h), false);
      if (lesson_->hides(l.id())) lesson_->draw_hidden_notice(ui);
      else l.draw(ui);
      ImGui::EndChild();
      ImGui::EndTabItem();
    }
  }
  pending_tab_ = -1;
  ImGui::EndTabBar();
}

void AppShell::draw_help_windows(UiContext& ui) {
  if (show_demo_) ImGui::ShowDemoWindow(&show_demo_);
  if (show_metrics_) ImGui::ShowMetricsWindow(&show_metrics_);
  if (show_keys_) draw_keyboard_help(ui);
  if (show_about_) {
    ImGui::SetNextWindowSize(ImVec2(ui.px(520), 0), ImGuiCond_Appearing);
    if (ImGui::Begin("About sglab", &show_about_)) {
      ImGui::Text("sglab %s", kVersion);
      ImGui::PushTextWrapPos(0.0f);
      ImGui::TextUnformatted(
          "sglab: when do synthetic gradients beat backpropagation? An interactive lab for "
          "\"Is Backpropagation Optimal? When Synthetic Gradients Improve Sample Efficiency\" "
          "(Zhang, Tang, Koyejo, 2026). The expert network is the paper's §5: SG's error is "
          "2^(d−k) times smaller than BP's when each expert pools 2^(d−k) states.");
      ImGui::PopTextWrapPos();
    }
    ImGui::End();
  }
}

std::vector<AppShell::HelpLine> AppShell::keyboard_help_lines() const {
  std::vector<HelpLine> lines;
  lines.push_back({std::string("sglab ") + kVersion, false});
  for (const auto& k : app_shortcuts()) lines.push_back({k.keys + ": " + k.action, false});
  for (const auto& l : labs_) {
    const auto keys = l->keyboard_help();
    if (keys.empty()) continue;
    lines.push_back({l->title(), true});
    for (const auto& k : keys) lines.push_back({k.keys + ": " + k.action, false});
  }
  return lines;
}

// Help → Keyboard and mouse (F1): the version, the app's shortcuts (one table:
// app_shortcuts()) and each lab's keys and mouse gestures.
void AppShell::draw_keyboard_help(UiContext& ui) {
  ImGui::SetNextWindowSize(ImVec2(ui.px(640), 0), ImGuiCond_Appearing);
  if (ImGui::Begin("Keyboard and mouse", &show_keys_)) {
    const std::vector<HelpLine> lines = keyboard_help_lines();
    ImGui::TextUnformatted(lines.front().text.c_str());  // the version
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("Shortcuts wait while you type in a text field (the field has the keys, its own Ctrl+Z "
                        "included) and while a menu or dialog is open; F11 always works.");
    ImGui::Separator();
    for (std::size_t i = 1; i < lines.size(); ++i) {
      if (lines[i].heading) {
        ImGui::Separator();
        ImGui::TextUnformatted(lines[i].text.c_str());
      } else {
        ImGui::Bullet();
        ImGui::TextUnformatted(lines[i].text.c_str());
      }
    }
    ImGui::PopTextWrapPos();
  }
  ImGui::End();
}

void AppShell::draw(UiContext& ui) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_MenuBar |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoBackground;
  ImGui::Begin("sglab", nullptr, flags);
  ui.plot_env.describe = [this] { return csv_preamble(); };  // CSV exports name their scenario
  ui.figures.clear();  // the labs report the figures they draw this frame
  handle_shortcuts(ui);
  draw_menu(ui);
  draw_banner(ui);
  lesson_->tick(ui);
  lesson_->draw(ui);
  for (const auto& l : labs_) l->tick();  // training goes on while another tab is shown
  draw_tabs(ui);
  draw_status_bar(ui);
  if (open_popup_) {
    ImGui::OpenPopup("Open scenario");
    open_popup_ = false;
  }
  if (save_popup_) {
    ImGui::OpenPopup("Save scenario");
    save_popup_ = false;
    begin_save_popup();
  }
  draw_open_popup(ui);
  draw_save_popup(ui);
  std::optional<std::string> lesson = lesson_->draw_open_dialog(ui);
  if (!ui.requested_lesson.empty()) lesson = std::exchange(ui.requested_lesson, {});  // a lab's "lesson" button
  if (lesson) {
    const std::string error = open_lesson(*lesson);
    ui.notify(error.empty() ? "Opened the lesson " + *lesson : "Open lesson failed: " + error);
  }
  ImGui::End();
  draw_help_windows(ui);
  record_edits();  // after every window: an edit that ended this frame is one undo step
  ui.plot_env.hide_buttons = false;  // a captured frame (export_active_plots) is over
}

}  // namespace sglab::ui
