#include "ui/app_shell.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "core/dag/dag_spec_json.hpp"
#include "core/scenario/json_reader.hpp"

namespace sglab::ui {

std::optional<LabTab> lab_tab_from_name(const std::string& name) {
  if (name == "expert") return LabTab::kExpert;
  if (name == "dag") return LabTab::kDag;
  if (name == "dynamics") return LabTab::kDynamics;
  return std::nullopt;
}

const char* lab_tab_name(LabTab tab) {
  switch (tab) {
    case LabTab::kDag: return "dag";
    case LabTab::kDynamics: return "dynamics";
    case LabTab::kExpert: break;
  }
  return "expert";
}

AppShell::AppShell(std::string assets_dir, int threads)
    : assets_dir_(std::move(assets_dir)), expert_(threads), dag_(assets_dir_, threads), dynamics_(dag_) {
  apply_scenario(scenario::default_scenario());
}

void AppShell::select_lab(LabTab tab) { pending_tab_ = tab; }

void AppShell::apply_scenario(const scenario::Scenario& s) {
  scenario_name_ = s.name;
  scenario_description_ = s.description;
  if (s.expert || s.lab == scenario::Lab::kExpert) expert_.set_scenario(s.expert_or_default());
  if (s.lab == scenario::Lab::kDag) {
    // The body is already canonical (the scenario codec resolved it); a file
    // without one opens the DAG lab's first preset.
    if (!s.dag.is_null()) dag_.set_spec(dag::dag_spec_from_json(s.dag), s.name, s.description);
    else dag_.open_preset(0);
    select_lab(LabTab::kDag);
  } else {
    select_lab(LabTab::kExpert);
  }
}

std::string AppShell::open_scenario(const std::string& path) {
  try {
    apply_scenario(scenario::load_scenario(path));
    banner_.clear();
    return {};
  } catch (const std::exception& e) {
    apply_scenario(scenario::default_scenario());
    banner_ = std::string("Could not open the scenario: ") + e.what() + ". Showing the default scenario.";
    return e.what();
  }
}

scenario::Scenario AppShell::current_scenario() const {
  scenario::Scenario s;
  s.lab = active_ == LabTab::kDag ? scenario::Lab::kDag : scenario::Lab::kExpert;
  s.name = s.lab == scenario::Lab::kDag ? dag_.name() : scenario_name_;
  s.description = s.lab == scenario::Lab::kDag ? dag_.description() : scenario_description_;
  // Only the active lab's body, so the file also opens in that lab's CLI command.
  if (s.lab == scenario::Lab::kDag)
    s.dag = dag::dag_spec_to_json(dag_.spec());  // throws sglab::Error for a spec the editor made invalid
  else
    s.expert = expert_.scenario();
  return s;
}

std::string AppShell::save_scenario(const std::string& path) {
  try {
    scenario::save_scenario(path, current_scenario());
    return {};
  } catch (const std::exception& e) {
    banner_ = std::string("Could not save the scenario: ") + e.what();
    return e.what();
  }
}

void AppShell::apply_settings(const AppSettings& s) {
  presenter_ = s.presenter;
  expert_.load_panels(s.open_panels);
  if (const auto tab = lab_tab_from_name(s.active_lab)) select_lab(*tab);
}

void AppShell::store_settings(AppSettings& s) const {
  s.presenter = presenter_;
  expert_.save_panels(s.open_panels);
  s.active_lab = lab_tab_name(active_);
}

void AppShell::export_active_plots(UiContext& ui) {
  if (active_ == LabTab::kDag) dag_.export_all(ui);
  else if (active_ == LabTab::kDynamics) dynamics_.export_all(ui);
  else expert_.export_all(ui);
}

const std::vector<AppShell::Preset>& AppShell::presets() {
  if (presets_scanned_) return presets_;
  presets_scanned_ = true;
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path dir = fs::path(assets_dir_) / "presets";
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() != ".json") continue;
    try {
      const scenario::Scenario s = scenario::load_scenario(it->path().string());
      if (s.lab != scenario::Lab::kExpert) continue;  // the DAG lab lists T1-T5 in its own picker
      presets_.push_back({s.name, it->path().string(), s.description});
    } catch (const std::exception&) {
      // A broken preset is skipped here; the preset test catches it.
    }
  }
  std::sort(presets_.begin(), presets_.end(), [](const Preset& a, const Preset& b) { return a.path < b.path; });
  return presets_;
}

void AppShell::draw_menu(UiContext& ui) {
  if (!ImGui::BeginMenuBar()) return;
  if (ImGui::BeginMenu("File")) {
    if (ImGui::BeginMenu("Presets")) {
      for (const auto& p : presets()) {
        if (ImGui::MenuItem(p.name.c_str())) {
          const std::string error = open_scenario(p.path);
          ui.notify(error.empty() ? "Opened preset \"" + p.name + "\"" : "Preset failed: " + error);
        }
        if (!p.description.empty()) item_tooltip(p.description.c_str());
      }
      if (presets().empty()) ImGui::TextDisabled("no presets in %s/presets", assets_dir_.c_str());
      ImGui::EndMenu();
    }
    if (ImGui::MenuItem("Open scenario…")) open_popup_ = true;
    if (ImGui::MenuItem("Save scenario as…")) save_popup_ = true;
    ImGui::Separator();
    if (ImGui::MenuItem("Export this lab's plots (CSV + PNG)")) export_active_plots(ui);
    ImGui::Separator();
    if (ImGui::MenuItem("Quit")) quit_ = true;
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    ImGui::MenuItem("Presenter mode (large text)", "F11", &presenter_);
    ImGui::Separator();
    for (int i = 0; i < static_cast<int>(ExpertPanel::kCount); ++i) {
      const auto p = static_cast<ExpertPanel>(i);
      bool open = expert_.panel_open(p);
      if (ImGui::MenuItem(panel_title(p), nullptr, &open)) expert_.set_panel_open(p, open);
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Debug")) {
    ImGui::MenuItem("ImGui demo window", nullptr, &show_demo_);
    ImGui::MenuItem("ImGui metrics window", nullptr, &show_metrics_);
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Help")) {
    ImGui::MenuItem("About sglab", nullptr, &show_about_);
    ImGui::EndMenu();
  }
  ImGui::EndMenuBar();
}

void AppShell::draw_popups(UiContext& ui) {
  if (open_popup_) {
    ImGui::OpenPopup("Open scenario");
    open_popup_ = false;
  }
  if (save_popup_) {
    ImGui::OpenPopup("Save scenario");
    save_popup_ = false;
    if (path_buffer_[0] == '\0') std::snprintf(path_buffer_, sizeof path_buffer_, "scenario.json");
  }
  const ImVec2 centre = ImGui::GetMainViewport()->GetCenter();
  ImGui::SetNextWindowPos(centre, ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  if (ImGui::BeginPopupModal("Open scenario", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::TextUnformatted("Scenario file (JSON):");
    ImGui::SetNextItemWidth(ui.px(520));
    const bool enter = ImGui::InputText("##path", path_buffer_, sizeof path_buffer_, ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::TextDisabled("Presets:");
    for (const auto& p : presets())
      if (ImGui::Selectable(p.name.c_str())) std::snprintf(path_buffer_, sizeof path_buffer_, "%s", p.path.c_str());
    if (ImGui::Button("Open") || enter) {
      const std::string error = open_scenario(path_buffer_);
      ui.notify(error.empty() ? std::string("Opened ") + path_buffer_ : "Open failed: " + error);
      ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
  }
  ImGui::SetNextWindowPos(centre, ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  if (ImGui::BeginPopupModal("Save scenario", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::TextUnformatted("Save the current settings to (JSON):");
    ImGui::SetNextItemWidth(ui.px(520));
    const bool enter = ImGui::InputText("##path", path_buffer_, sizeof path_buffer_, ImGuiInputTextFlags_EnterReturnsTrue);
    if (ImGui::Button("Save") || enter) {
      const std::string error = save_scenario(path_buffer_);
      ui.notify(error.empty() ? std::string("Saved ") + path_buffer_ : "Save failed: " + error);
      ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
  }
}

void AppShell::draw_status_bar(UiContext& ui) {
  ImGui::Separator();
  ImGui::Text("%.0f FPS", static_cast<double>(ImGui::GetIO().Framerate));
  ImGui::SameLine();
  ImGui::TextDisabled("|");
  ImGui::SameLine();
  if (active_ == LabTab::kDag) dag_.draw_status(ui);
  else if (active_ == LabTab::kDynamics) dynamics_.draw_status(ui);
  else expert_.draw_status(ui);
  if (!ui.status_message.empty() && ImGui::GetTime() - ui.status_time < 8.0) {
    ImGui::SameLine();
    ImGui::TextDisabled("|");
    ImGui::SameLine();
    ImGui::TextUnformatted(ui.status_message.c_str());
  }
}

void AppShell::draw(UiContext& ui) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_MenuBar |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoBackground;
  ImGui::Begin("sglab", nullptr, flags);
  draw_menu(ui);

  if (!banner_.empty()) {
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

  const float status_h = ImGui::GetFrameHeightWithSpacing() + ImGui::GetStyle().ItemSpacing.y * 2;
  dynamics_.tick();  // training goes on while another tab is shown
  if (ImGui::BeginTabBar("labs")) {
    const auto flags_for = [&](LabTab tab) {
      return pending_tab_ == tab ? ImGuiTabItemFlags_SetSelected : ImGuiTabItemFlags_None;
    };
    if (ImGui::BeginTabItem("Expert network", nullptr, flags_for(LabTab::kExpert))) {
      active_ = LabTab::kExpert;
      ImGui::BeginChild("expert_lab", ImVec2(0, -status_h), false);
      expert_.draw(ui);
      ImGui::EndChild();
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("DAG lab", nullptr, flags_for(LabTab::kDag))) {
      active_ = LabTab::kDag;
      ImGui::BeginChild("dag_lab", ImVec2(0, -status_h), false);
      dag_.draw(ui);
      ImGui::EndChild();
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Mixing dynamics", nullptr, flags_for(LabTab::kDynamics))) {
      active_ = LabTab::kDynamics;
      ImGui::BeginChild("dynamics_lab", ImVec2(0, -status_h), false);
      dynamics_.draw(ui);
      ImGui::EndChild();
      ImGui::EndTabItem();
    }
    pending_tab_.reset();
    ImGui::EndTabBar();
  }
  draw_status_bar(ui);
  draw_popups(ui);
  ImGui::End();

  if (show_demo_) ImGui::ShowDemoWindow(&show_demo_);
  if (show_metrics_) ImGui::ShowMetricsWindow(&show_metrics_);
  if (show_about_) {
    ImGui::SetNextWindowSize(ImVec2(ui.px(520), 0), ImGuiCond_Appearing);
    if (ImGui::Begin("About sglab", &show_about_)) {
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

}  // namespace sglab::ui
