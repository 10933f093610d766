#pragma once
// The application shell (DESIGN.md, "The GUI"): one full-window ImGui window
// with the menu (presets, open / save / copy / paste a scenario, export,
// presenter mode, Debug, Help), the labs as tabs (ImGui 1.86 has no docking),
// an error banner and the status bar. It knows no lab: it loops over the
// registry (ui/lab_registry.hpp). Platform-free: app/gui wires it to GLFW and GL.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/config/scenario.hpp"
#include "ui/app_settings.hpp"
#include "ui/lab.hpp"
#include "ui/lesson/lesson_panel.hpp"
#include "ui/ui_context.hpp"
#include "ui/undo_history.hpp"

namespace sglab::ui {

class AppShell {
 public:
  /// `assets_dir` holds presets/; `threads` for the labs' workers (0 = the labs' default).
  explicit AppShell(std::string assets_dir, int threads = 0);

  /// Loads a scenario file into every lab and shows its active lab; on any
  /// error keeps the default scenario and shows a banner naming the problem.
  /// Returns the error ("" on success).
  std::string open_scenario(const std::string& path);
  /// The same for scenario text (Paste scenario); `source` names it in messages.
  std::string open_scenario_text(const std::string& text, const std::string& source);
  /// Opens a lesson file (issue 11) at its first step; on error keeps the labs
  /// as they are and shows a banner. Returns the error ("" on success).
  std::string open_lesson(const std::string& path);
  LessonPanel& lesson_panel() { return *lesson_; }
  /// Every lab's state, the active tab and the scenario's name.
  config::Scenario current_scenario() const;
  /// Saves current_scenario(); returns "" or the error (also shown). The file is
  /// then the one Ctrl+S writes (quick_save_path()).
  std::string save_scenario(const std::string& path);
  /// True when some lab's state differs from the scenario last opened (or the default).
  bool modified_since_opened() const;
  /// The name and description the Save dialog proposes: the opened scenario's while
  /// nothing changed; once the state differs, its name marked "(modified)" and a
  /// description that says what it was modified from (the old one would describe
  /// another state, e.g. case 1's text after switching to case 3).
  struct SaveText {
    std::string name, description;
  };
  SaveText save_text() const;
  void set_scenario_text(std::string name, std::string description) {
    scenario_name_ = std::move(name);
    scenario_description_ = std::move(description);
  }

  /// Draws one frame of the whole UI (the keyboard shortcuts included: ui/shortcuts.hpp).
  void draw(UiContext& ui);

  /// Ctrl+Z: puts the shown lab back as it was before its last knob or editor
  /// change (one slider drag is one change) and says what changed in the status
  /// bar ("Undo: k = 4 → 3"). False when there is nothing to undo.
  bool undo(UiContext& ui);
  /// Ctrl+Shift+Z / Ctrl+Y: re-applies what undo took back.
  bool redo(UiContext& ui);
  /// A lab's undo history (by lab id).
  const UndoHistory& history(const std::string& lab_id) { return history_[lab_id]; }
  /// Ctrl+S: saves to the file this session saved to last (no dialog); before
  /// the first save, and after opening another scenario, opens Save as….
  void quick_save(UiContext& ui);
  /// The file Ctrl+S writes ("" until a Save as…).
  const std::string& quick_save_path() const { return quick_save_path_; }
  /// Help → Keyboard and mouse (F1).
  bool keyboard_help_shown() const { return show_keys_; }
  /// The lines that window shows, in order: the version, the app's shortcuts
  /// (app_shortcuts()), then each lab's title (heading) and its keyboard_help().
  struct HelpLine {
    std::string text;
    bool heading = false;  ///< a lab's title (else a bullet, or the version line first)
  };
  std::vector<HelpLine> keyboard_help_lines() const;
  void show_keyboard_help(bool on) { show_keys_ = on; }

  bool presenter() const { return presenter_; }
  void set_presenter(bool on) { presenter_ = on; }
  /// The projector colour profile (View menu, --projector, kept in the settings).
  bool projector() const { return projector_; }
  void set_projector(bool on) { projector_ = on; }
  bool quit_requested() const { return quit_; }
  const std::string& error_banner() const { return banner_; }
  void show_error(std::string message) { banner_ = std::move(message); }

  const std::vector<std::unique_ptr<Lab>>& labs() const { return labs_; }
  /// The lab with this id, or nullptr.
  Lab* lab(const std::string& id) const;
  /// The lab with this id as its own type (tests, the app's flags); throws when absent.
  template <class L>
  L& lab_as(const std::string& id) const {
    auto* l = dynamic_cast<L*>(lab(id));
    if (!l) throw std::logic_error("no lab \"" + id + "\" of that type");
    return *l;
  }
  /// True while any lab's background work runs.
  bool busy() const;
  /// Brings a lab's tab to the front on the next frame; false for an unknown id.
  bool select_lab(const std::string& id);
  const Lab& active_lab() const { return *labs_[active_]; }
  /// Writes the active lab's open plots (CSV now, PNG after the next frame).
  void export_active_plots(UiContext& ui);
  /// The comment lines every CSV export starts with: version and the whole scenario.
  std::string csv_preamble() const;

  void apply_settings(const AppSettings& s);
  void store_settings(AppSettings& s) const;

  /// Preset files found under assets_dir/presets.
  struct Preset {
    std::string lab, name, path, description;
  };
  const std::vector<Preset>& presets();

 private:
  void apply_scenario(const config::Scenario& s);
  std::string open_with_fallback(const std::function<config::Scenario()>& read, const std::string& what);
  void draw_menu(UiContext& ui);
  void draw_file_menu(UiContext& ui);
  static void draw_png_size_menu(plot::PlotEnv& env);
  void draw_help_windows(UiContext& ui);
  void draw_open_popup(UiContext& ui);
  void draw_save_popup(UiContext& ui);
  void begin_save_popup();
  void draw_banner(UiContext& ui);
  void draw_status_bar(UiContext& ui);
  void draw_tabs(UiContext& ui);
  void draw_keyboard_help(UiContext& ui);
  // app_shell_keys.cpp: shortcuts and undo.
  void handle_shortcuts(UiContext& ui);
  void record_edits();
  void record_lab_states();
  nlohmann::json undo_state(const Lab& lab, nlohmann::json* view) const;
  bool restore_undo_entry(Lab& lab, const UndoHistory::Entry& entry);
  bool step_history(UiContext& ui, bool forward);

  std::string assets_dir_;
  std::vector<std::unique_ptr<Lab>> labs_;
  std::size_t active_ = 0;
  int pending_tab_ = -1;
  std::string scenario_name_, scenario_description_;
  bool presenter_ = false;
  bool projector_ = false;
  bool quit_ = false;
  bool show_demo_ = false, show_metrics_ = false, show_about_ = false, show_keys_ = false;
  bool open_popup_ = false, save_popup_ = false;
  char path_buffer_[1024] = {};
  char name_buffer_[256] = {};
  char description_buffer_[1024] = {};
  std::string overwrite_armed_;  ///< the existing file a second Save click replaces
  std::map<std::string, nlohmann::json> opened_bodies_;  ///< every lab's state right after opening
  std::string banner_;
  std::vector<Preset> presets_;
  bool presets_scanned_ = false;
  std::unique_ptr<LessonPanel> lesson_;
  std::map<std::string, UndoHistory> history_;  ///< per lab id
  bool item_was_active_ = false;                ///< an ImGui item was active last frame (an edit under way)
  std::string quick_save_path_;                 ///< what Ctrl+S writes
};

}  // namespace sglab::ui
