#include "app/gui/gui_options.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <vector>

#include "sglab/version.hpp"
#include "ui/lab_registry.hpp"

namespace sglab::gui {

namespace {

bool parse_size(const std::string& text, int& w, int& h) {
  return std::sscanf(text.c_str(), "%dx%d", &w, &h) == 2 && w >= 320 && h >= 240 && w <= 16384 && h <= 16384;
}

std::vector<std::string> lab_ids() {
  std::vector<std::string> ids;
  for (const auto& entry : ui::lab_registry()) ids.emplace_back(entry.id);
  return ids;
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

std::optional<int> parse_gui_options(int argc, char** argv, GuiOptions& o) {
  std::string size, png_size;
  CLI::App cli{"sglab: when do synthetic gradients beat backpropagation? (desktop app)"};
  cli.add_option("--scenario", o.scenario, "Scenario JSON file to open (bad files open the default, with an error)");
  cli.add_option("--screenshot", o.screenshot, "Write the window as PNG after --frames frames, then exit");
  cli.add_option("--frames", o.frames, "Render this many frames, then exit (with --screenshot: "
                                        "then wait for the running job, up to --wait-timeout s)")
      ->check(CLI::Range(1, 1000000));
  cli.add_option("--frame-log", o.frame_log, "Write per-frame times (CSV) and print a p50/p99 summary");
  cli.add_flag("--verify-redraw", o.verify_redraw,
               "Check every frame: the changed parts redrawn must equal the whole frame drawn anew "
               "(slow; exits 1 on a difference)");
  cli.add_flag("--swap-whole", o.swap_whole,
               "Show each frame by swapping the whole window, as where GLX_MESA_copy_sub_buffer is missing "
               "(default: copy only the changed parts)");
  cli.add_flag("--presenter", o.presenter, "Start in presenter mode (figures first, large text)");
  cli.add_flag("--projector", o.projector, "Use the projector colour profile (high contrast, thick lines)");
  cli.add_option("--size", size, "Window size WIDTHxHEIGHT, e.g. 1920x1080");
  cli.add_option("--settings", o.settings, "Settings file (default: ~/.config/sglab/settings.json; "
                                           "not used with --frames unless given)");
  cli.add_flag("--no-settings", o.no_settings, "Neither read nor write the settings file");
  cli.add_option("--threads", o.threads, "Worker threads for the science (0: all cores but one)")
      ->check(CLI::Range(0, 256));
  cli.add_option("--assets", o.assets, "Folder holding presets/ (default: $SGLAB_ASSETS, else ../share/sglab "
                                       "next to the executable, else the source tree of a build-tree run)");
  cli.set_version_flag("--version", std::string("sglab ") + sglab::kVersion);
  cli.add_option("--export-dir", o.export_dir, "Folder for CSV and PNG exports");
  cli.add_option("--export-plots", o.export_plots, "After --frames frames and the job, write every open "
                                                   "plot as CSV and PNG into this folder, then exit");
  cli.add_option("--png-size", png_size, "Size of exported plot PNGs WIDTHxHEIGHT (64x64..8192x8192; default "
                                         "1600x1000; File -> PNG export size)");
  const std::vector<std::string> ids = lab_ids();
  cli.add_option("--lab", o.lab, "Open this lab's tab: " + joined(ids) + " (after --scenario)")
      ->check(CLI::IsMember(ids));
  cli.add_flag("--play", o.play, "Start training in the bandit lab when --lab bandit, else in the mixing-dynamics lab (stops after --frames frames)");
  cli.add_option("--steps-per-frame", o.steps_per_frame, "Training steps asked per frame (the bandit lab when --lab bandit, else the mixing-dynamics lab)")
      ->check(CLI::Range(1, 100000));
  cli.add_option("--dynamics-network", o.dynamics_network,
                 "Mixing-dynamics lab: train a DAG preset by its id (T1..T5), \"dag\" (the DAG lab's network) "
                 "or \"sparse40\"");
  cli.add_option("--soak", o.soak_seconds,
                 "Drive the app for this many seconds (cycle the labs, restart the jobs, keep training), "
                 "log RSS and frame times every 10 s, then exit (tools/soak.sh)")
      ->check(CLI::Range(1.0, 7.0 * 24 * 3600));
  cli.add_option("--soak-log", o.soak_log, "CSV file for the --soak log lines");
  cli.add_option("--lesson", o.lesson, "Lesson JSON file to open at its first step (File -> Open lesson)");
  cli.add_option("--lesson-step", o.lesson_step, "With --lesson: show this step (1-based)")->check(CLI::Range(1, 1000));
  cli.add_option("--predict", o.predict, "With --lesson: enter this prediction for the step's question and reveal");
  cli.add_option("--wait-timeout", o.wait_timeout, "Seconds a screenshot waits for the running job")
      ->check(CLI::Range(0.0, 3600.0));
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }
  if (!size.empty() && !parse_size(size, o.width, o.height)) {
    std::fprintf(stderr, "sglab: error: --size \"%s\" is not WIDTHxHEIGHT within 320x240..16384x16384\n",
                 size.c_str());
    return 2;
  }
  if (!png_size.empty() && (std::sscanf(png_size.c_str(), "%dx%d", &o.png_width, &o.png_height) != 2 ||
                            o.png_width < 64 || o.png_height < 64 || o.png_width > 8192 || o.png_height > 8192)) {
    std::fprintf(stderr, "sglab: error: --png-size \"%s\" is not WIDTHxHEIGHT within 64x64..8192x8192\n",
                 png_size.c_str());
    return 2;
  }
  if (o.soak_seconds > 0 && (o.scripted() || o.waits_for_jobs())) {
    std::fprintf(stderr, "sglab: error: --soak runs on its own clock; drop --frames, --screenshot and --export-plots\n");
    return 2;
  }
  if (!o.soak_log.empty() && o.soak_seconds <= 0) {
    std::fprintf(stderr, "sglab: error: --soak-log needs --soak SECONDS\n");
    return 2;
  }
  o.has_predict = cli.count("--predict") > 0;
  if (o.waits_for_jobs() && o.frames == 0) o.frames = 1;
  return std::nullopt;
}

}  // namespace sglab::gui
