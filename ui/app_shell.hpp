#pragma once
// The application shell (DESIGN.md, "The GUI"): one full-window ImGui window
// with the menu (scenario open/save, export, presenter mode, Debug), the labs
// as tabs (ImGui 1.86 has no docking), an error banner and the status bar
// (FPS, job progress, seed). Platform-free: app/gui wires it to GLFW and GL.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/scenario/scenario_file.hpp"
#include "ui/app_settings.hpp"
#include "ui/dag/dag_lab.hpp"
#include "ui/dynamics/dynamics_lab.hpp"
#include "ui/expert/expert_lab.hpp"
#include "ui/ui_context.hpp"

namespace sglab::ui {

/// The labs, as tabs.
enum class LabTab { kExpert, kDag, kDynamics };
/// "expert", "dag", "dynamics"; std::nullopt for anything else.
std::optional<LabTab> lab_tab_from_name(const std::string& name);
const char* lab_tab_name(LabTab tab);

class AppShell {
 public:
  /// `assets_dir` holds presets/; `threads` for the labs' workers (0 = cores − 1).
  explicit AppShell(std::string assets_dir, int threads = 0);

  /// Loads a scenario file; on any error keeps the default scenario and shows
  /// a banner naming the problem. Returns the error ("" on success).
  std::string open_scenario(const std::string& path);
  void apply_scenario(const scenario::Scenario& s);
  scenario::Scenario current_scenario() const;
  /// Saves the current scenario; returns "" or the error (also shown).
  std::string save_scenario(const std::string& path);

  /// Draws one frame of the whole UI.
  void draw(UiContext& ui);

  bool presenter() const { return presenter_; }
  void set_presenter(bool on) { presenter_ = on; }
  bool quit_requested() const { return quit_; }
  const std::string& error_banner() const { return banner_; }
  void show_error(std::string message) { banner_ = std::move(message); }
  ExpertLab& expert() { return expert_; }
  DagLab& dag() { return dag_; }
  DynamicsLab& dynamics() { return dynamics_; }
  /// True while any lab's job runs.
  bool busy() { return expert_.runner().busy() || dag_.runner().busy() || dynamics_.engine().busy(); }
  /// Brings a lab's tab to the front on the next frame.
  void select_lab(LabTab tab);
  LabTab active_lab() const { return active_; }
  /// Writes the active lab's open plots (CSV now, PNG after the next frame).
  void export_active_plots(UiContext& ui);

  void apply_settings(const AppSettings& s);
  void store_settings(AppSettings& s) const;

  /// Preset files found under assets_dir/presets (name and path).
  struct Preset {
    std::string name, path, description;
  };
  const std::vector<Preset>& presets();

 private:
  void draw_menu(UiContext& ui);
  void draw_popups(UiContext& ui);
  void draw_status_bar(UiContext& ui);

  std::string assets_dir_;
  ExpertLab expert_;
  DagLab dag_;
  DynamicsLab dynamics_;  // after dag_: reads the DAG lab's presets
  LabTab active_ = LabTab::kExpert;
  std::optional<LabTab> pending_tab_;
  std::string scenario_name_, scenario_description_;
  bool presenter_ = false;
  bool quit_ = false;
  bool show_demo_ = false, show_metrics_ = false, show_about_ = false;
  bool open_popup_ = false, save_popup_ = false;
  char path_buffer_[1024] = {};
  std::string banner_;
  std::vector<Preset> presets_;
  bool presets_scanned_ = false;
};

}  // namespace sglab::ui
