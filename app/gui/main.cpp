// sglab: the desktop app (DESIGN.md, "The GUI"). Entry point only: flags,
// settings, the window, the shell and the frame loop. Everything drawn lives
// in ui/, everything computed in core/.
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "app/gui/asset_dir.hpp"
#include "core/labs/scenario_files.hpp"
#include "core/util/heap_reuse.hpp"
#include "app/gui/frame_loop.hpp"
#include "app/gui/gui_options.hpp"
#include "app/gui/gui_window.hpp"
#include "ui/app_settings.hpp"
#include "ui/app_shell.hpp"
#include "ui/bandit/bandit_lab.hpp"
#include "ui/dynamics/dynamics_lab.hpp"
#include "ui/gl/dag_graph_renderer.hpp"
#include "ui/gl/gl_image_textures.hpp"
#include "ui/gl/state_grid_renderer.hpp"
#include "ui/ui_context.hpp"


namespace {

using sglab::gui::GuiOptions;

std::string settings_path_for(const GuiOptions& opt) {
  if (opt.no_settings) return {};
  if (!opt.settings.empty()) return opt.settings;
  return opt.scripted() ? std::string() : sglab::ui::default_settings_path();
}

// `--lab X --scenario F` where F has no part for lab X: the lab shows its defaults,
// which the user did not ask for; say so rather than silently (issue 11). "" otherwise.
std::string missing_part_note(const std::string& path, const std::string& lab) {
  const sglab::config::Scenario s = sglab::labs::read_scenario(path);
  for (const auto& b : sglab::labs::lab_bodies())
    if (b.lab == lab && s.body(b.body_key) == nullptr)
      return path + " has no \"" + b.body_key + "\" part: the " + lab + " lab shows its defaults (the file is a " +
             s.lab + " scenario)";
  return {};
}

// The flags that pick what the shell shows first (after the settings and the scenario).
int apply_start_flags(sglab::ui::AppShell& shell, sglab::ui::UiContext& ui, const GuiOptions& opt) {
  if (opt.presenter) shell.set_presenter(true);
  if (opt.projector) shell.set_projector(true);
  std::string open_error;
  if (!opt.scenario.empty()) {
    open_error = shell.open_scenario(opt.scenario);
    if (!open_error.empty())
      std::fprintf(stderr, "sglab: %s (opened the default scenario instead)\n", open_error.c_str());
  }
  if (!opt.lab.empty()) {
    shell.select_lab(opt.lab);
    if (!opt.scenario.empty() && open_error.empty()) {
      const std::string note = missing_part_note(opt.scenario, opt.lab);
      if (!note.empty()) {
        std::fprintf(stderr, "sglab: note: %s\n", note.c_str());
        ui.notify(note);
      }
    }
  }
  if (!opt.lesson.empty()) {
    const std::string error = shell.open_lesson(opt.lesson);
    if (!error.empty()) std::fprintf(stderr, "sglab: %s\n", error.c_str());
    if (error.empty() && opt.lesson_step > 0) shell.lesson_panel().go_to(opt.lesson_step - 1);
    if (error.empty() && opt.has_predict) shell.lesson_panel().predict(opt.predict);
  }
  if (!opt.lab.empty() && !opt.lesson.empty()) shell.select_lab(opt.lab);  // --lab wins over the lesson's lab
  auto& dynamics = shell.lab_as<sglab::ui::DynamicsLab>("dynamics");
  // --play and --steps-per-frame drive the bandit lab when it is shown, else the mixing-dynamics lab.
  auto* bandit = dynamic_cast<sglab::ui::BanditLab*>(shell.lab("bandit"));
  if (bandit && std::string(shell.active_lab().id()) != "bandit") bandit = nullptr;
  if (opt.steps_per_frame > 0 && bandit) bandit->set_steps_per_frame(opt.steps_per_frame);
  if (opt.steps_per_frame > 0 && !bandit) dynamics.set_steps_per_frame(opt.steps_per_frame);
  if (!opt.dynamics_network.empty() && !dynamics.choose_network(opt.dynamics_network)) {
    std::fprintf(stderr, "sglab: error: --dynamics-network \"%s\" is not a network of the list (T1..T5, dag, sparse40)\n",
                 opt.dynamics_network.c_str());
    return 2;
  }
  if (opt.play && bandit) bandit->set_playing(true);
  if (opt.play && !bandit) dynamics.set_playing(true);
  return 0;
}

// Window, GL renderers, shell and frame loop; returns the exit code.
int run_app(const GuiOptions& opt, sglab::ui::AppSettings& settings, const std::string& settings_path) {
  const std::string ini_path =
      settings_path.empty() ? "" : (std::filesystem::path(settings_path).parent_path() / "imgui.ini").string();
  sglab::gui::GuiWindow window(settings.window_width, settings.window_height, ini_path);
  if (!window.error().empty()) {
    std::fprintf(stderr, "sglab: %s\n", window.error().c_str());
    return 2;
  }
  sglab::ui::UiContext ui;
  std::vector<sglab::ui::plot::PngRequest> png_requests;
  ui.plot_env.png_requests = &png_requests;
  ui.plot_env.export_dir = settings.export_dir;
  if (opt.png_width > 0) {
    ui.plot_env.png_width = opt.png_width;
    ui.plot_env.png_height = opt.png_height;
  }
  sglab::gui::GuiWindow::apply_scale(ui, settings.presenter || opt.presenter, settings.projector || opt.projector,
                                     static_cast<float>(settings.window_height), false);
  if (!ui.fonts.message.empty()) std::fprintf(stderr, "sglab: %s\n", ui.fonts.message.c_str());

  // GL objects live inside this scope, while the context is current.
  sglab::ui::gl::GlStateGridRenderer grid_renderer;
  if (!grid_renderer.error().empty())
    std::fprintf(stderr, "sglab: state-grid shader: %s (falling back to plain rectangles)\n",
                 grid_renderer.error().c_str());
  sglab::ui::gl::GlDagGraphRenderer dag_renderer;
  if (!dag_renderer.error().empty())
    std::fprintf(stderr, "sglab: DAG graph shaders: %s (falling back to ImDrawList)\n", dag_renderer.error().c_str());
  sglab::ui::gl::GlImageTextures images;
  ui.grid_renderer = &grid_renderer;
  ui.images = &images;
  ui.dag_renderer = dag_renderer.error().empty() ? &dag_renderer : nullptr;

  sglab::ui::AppShell shell(opt.assets, opt.threads);
  shell.apply_settings(settings);
  if (const int code = apply_start_flags(shell, ui, opt)) return code;
  sglab::gui::FrameLoop loop(window, shell, ui, opt, png_requests);
  const int exit_code = loop.run();

  if (!settings_path.empty()) {
    glfwGetWindowSize(window.handle(), &settings.window_width, &settings.window_height);
    shell.store_settings(settings);
    settings.export_dir = ui.plot_env.export_dir;
    const std::string error = sglab::ui::save_settings(settings_path, settings);
    if (!error.empty()) std::fprintf(stderr, "sglab: settings not saved: %s\n", error.c_str());
  }
  return exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  sglab::keep_freed_heap_for_reuse();
  GuiOptions opt;
  if (const auto code = sglab::gui::parse_gui_options(argc, argv, opt)) return *code;
  opt.assets = sglab::gui::resolve_assets_dir(opt.assets);
  if (const std::string w = sglab::gui::assets_warning(opt.assets); !w.empty()) std::fprintf(stderr, "sglab: %s\n", w.c_str());
  const std::string settings_path = settings_path_for(opt);
  std::string warning;
  sglab::ui::AppSettings settings = sglab::ui::load_settings(settings_path, &warning);
  if (!warning.empty()) std::fprintf(stderr, "sglab: %s\n", warning.c_str());
  if (opt.width > 0) {
    settings.window_width = opt.width;
    settings.window_height = opt.height;
  }
  if (opt.presenter) settings.presenter = true;
  if (opt.projector) settings.projector = true;
  if (!opt.export_dir.empty()) settings.export_dir = opt.export_dir;
  return run_app(opt, settings, settings_path);
}
