#pragma once
// What persists between runs: window size, presenter mode, which panels are
// open, the active lab and the export folder. A small JSON file of our own
// ($XDG_CONFIG_HOME/sglab/settings.json); ImGui's own imgui.ini sits beside it.

#include <map>
#include <string>

namespace sglab::ui {

struct AppSettings {
  int window_width = 1600;
  int window_height = 900;
  bool presenter = false;
  bool projector = false;  ///< the projector colour profile
  std::map<std::string, bool> open_panels;  ///< panel name → open
  std::string active_lab = "expert";
  std::string export_dir = "sglab-exports";

  bool operator==(const AppSettings& o) const;
};

/// Default location: $XDG_CONFIG_HOME/sglab/settings.json, else ~/.config/sglab/…
std::string default_settings_path();

/// Reads settings; a missing file gives defaults. A damaged file gives
/// defaults and a message in *warning (never throws).
AppSettings load_settings(const std::string& path, std::string* warning = nullptr);
/// Writes atomically, creating the folder; returns "" or the error.
std::string save_settings(const std::string& path, const AppSettings& settings);

}  // namespace sglab::ui
