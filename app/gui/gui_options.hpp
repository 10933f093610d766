#pragma once
// The desktop app's command line (sglab --help).

#include <optional>
#include <string>

namespace sglab::gui {

struct GuiOptions {
  std::string scenario;
  std::string screenshot;
  int frames = 0;  ///< 0: run until the window closes
  std::string frame_log;
  bool verify_redraw = false;
  bool swap_whole = false;  ///< --swap-whole: never present by GLX_MESA_copy_sub_buffer (app/gui/sub_buffer_present.hpp)  ///< compare every partial redraw with a whole one (app/gui/redraw_check.hpp)
  bool presenter = false;
  bool projector = false;  ///< the projector colour profile
  int width = 0, height = 0;  ///< 0: from the settings
  std::string settings;
  bool no_settings = false;
  int threads = 0;
  std::string assets;  ///< --assets, then resolved by resolve_assets_dir
  std::string export_dir;
  double wait_timeout = 120.0;
  std::string export_plots;
  int png_width = 0, png_height = 0;  ///< --png-size (0: the default 1600×1000)
  std::string lab;
  bool play = false;
  int steps_per_frame = 0;
  std::string dynamics_network;
  double soak_seconds = 0.0;  ///< > 0: the app drives itself this long (app/gui/soak_driver.hpp)
  std::string soak_log;
  std::string lesson;  ///< --lesson: a lesson file to open at its first step
  int lesson_step = 0;  ///< --lesson-step: 1-based step to show (0: the first)
  double predict = 0.0;  ///< --predict: enter this prediction and reveal (scripted runs)
  bool has_predict = false;

  /// A scripted run renders --frames frames and exits (tests, screenshots).
  bool scripted() const { return frames > 0; }
  /// The run waits for the labs' jobs before its last frame.
  bool waits_for_jobs() const { return !screenshot.empty() || !export_plots.empty(); }
};

/// Parses the flags; returns an exit code when the program should stop now
/// (--help, or a bad flag after its one-line message), std::nullopt to go on.
/// `out.assets` is the --assets value ("" when not given: app/gui/asset_dir.hpp resolves it).
std::optional<int> parse_gui_options(int argc, char** argv, GuiOptions& out);

}  // namespace sglab::gui
