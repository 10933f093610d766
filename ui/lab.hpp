#pragma once
// The lab contract (DESIGN.md, "The lab contract"): what the application shell
// needs from a lab, and nothing else. A lab is one folder under ui/ with a class
// implementing Lab, plus one line in ui/lab_registry.cpp.
//
// A lab's whole state lives in its scenario body (the science, read by the CLI
// too: core/labs/scenario_files.hpp) and its view object (what only the app
// shows: selection, scrub position…). load() then store() must give back the
// same scenario, field for field: the round-trip test checks every lab.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/config/scenario.hpp"
#include "ui/app_settings.hpp"
#include "ui/ui_context.hpp"

namespace sglab::ui {

/// One line of the keyboard help (Help → Keyboard).
struct KeyHelp {
  std::string keys;
  std::string action;
};

/// The transport keys the shell hands the shown lab (space, the arrows; Shift
/// with an arrow is the "far" move). What each does there, the lab's
/// keyboard_help() says.
enum class TransportKey { kPlayPause, kBack, kForward, kBackFar, kForwardFar };

class Lab;

/// What the shell hands every lab when it makes it.
struct LabEnvironment {
  std::string assets_dir;  ///< holds presets/
  int threads = 0;         ///< worker threads (0: the lab's default)
  /// Another lab by id (labs registered before this one), or nullptr.
  std::function<Lab*(const std::string& id)> find;
};

class Lab {
 public:
  virtual ~Lab() = default;

  /// The scenario's "lab" value and the command line's --lab name ("expert").
  virtual const char* id() const = 0;
  /// The tab's text ("Expert network").
  virtual const char* title() const = 0;

  /// Draws the lab into the current window region.
  virtual void draw(UiContext& ui) = 0;
  /// The status bar's part: job progress, timing, Cancel.
  virtual void draw_status(UiContext& ui) = 0;
  /// Called every frame, shown or not (training goes on behind another tab).
  virtual void tick() {}
  /// True while the lab's background work runs.
  virtual bool busy() = 0;
  /// Writes every open plot as CSV now and queues its PNG.
  virtual void export_plots(UiContext& ui) = 0;

  /// Takes the whole state from the scenario: its body and view, the defaults
  /// where the file has none. Throws sglab::Error naming the key for a bad view.
  virtual void load(const config::Scenario& scenario) = 0;
  /// Writes the whole state: the body (and view) of this lab.
  virtual void store(config::Scenario& scenario) const = 0;

  /// Pin (Ctrl+P, the lab's Pin button): keeps the current results of every
  /// plot as grey ghosts under the live curves (ui/plot/pin_set.hpp).
  virtual void pin_results(UiContext& /*ui*/) {}

  /// Lines for Help → Keyboard: the lab's mouse gestures and what the transport keys do here.
  virtual std::vector<KeyHelp> keyboard_help() const { return {}; }
  /// Does what `key` means in this lab; false when it means nothing here.
  virtual bool on_transport_key(TransportKey /*key*/) { return false; }
  /// Keys of the view that are knobs, undone with the body (Ctrl+Z): e.g. the
  /// DAG lab's n. The rest of the view (selection, scrub position) is not undone.
  virtual std::vector<std::string> undoable_view_keys() const { return {}; }
  /// Items of this lab in the View menu.
  virtual void draw_view_menu(UiContext& /*ui*/) {}
  /// App settings this lab keeps across runs (panels open…).
  virtual void load_settings(const AppSettings& /*settings*/) {}
  virtual void store_settings(AppSettings& /*settings*/) const {}
  /// One line for the --frame-log summary about the lab's background work
  /// (e.g. training steps done and the rate); "" = nothing to say.
  virtual std::string frame_log_note(double /*seconds*/) const { return {}; }
};

}  // namespace sglab::ui
