// sglab: the desktop app (DESIGN.md, "The GUI"). Entry point only: flags,
// the GLFW window and GL context, the frame loop, screenshots and the frame
// log. Everything drawn lives in ui/, everything computed in core/.
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <CLI/CLI.hpp>

#include <cfloat>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "app/gui/asset_dir.hpp"
#include "app/gui/frame_log.hpp"
#include "ui/app_settings.hpp"
#include "ui/app_shell.hpp"
#include "ui/gl/dag_graph_renderer.hpp"
#include "ui/gl/frame_capture.hpp"
#include "ui/gl/gl_headers.hpp"
#include "ui/gl/state_grid_renderer.hpp"
#include "ui/theme.hpp"
#include "ui/ui_context.hpp"
#include "sglab/version.hpp"

namespace {

struct Options {
  std::string scenario;
  std::string screenshot;
  int frames = 0;  // 0: run until the window closes
  std::string frame_log;
  bool presenter = false;
  std::string size;
  std::string settings;
  bool no_settings = false;
  int threads = 0;
  std::string assets;  // resolved by sglab::gui::resolve_assets_dir
  std::string export_dir;
  double wait_timeout = 120.0;
  std::string export_plots;
  std::string lab;
  bool play = false;
  int steps_per_frame = 0;
  std::string dynamics_network;
};

// GLFW errors are reported, never fatal (RandR warnings appear with no monitor).
// Until the window exists they are only remembered, so that "no display" is one line.
bool g_glfw_quiet = true;
std::string g_glfw_last_error;
void on_glfw_error(int code, const char* message) {
  g_glfw_last_error = message ? message : "";
  if (!g_glfw_quiet) std::fprintf(stderr, "sglab: GLFW error %d: %s\n", code, g_glfw_last_error.c_str());
}

bool parse_size(const std::string& text, int& w, int& h) {
  return std::sscanf(text.c_str(), "%dx%d", &w, &h) == 2 && w >= 320 && h >= 240 && w <= 16384 && h <= 16384;
}

double now_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Rebuilds the fonts at the presenter size and re-uploads the atlas.
void apply_scale(sglab::ui::UiContext& ui, bool presenter, bool upload) {
  const float scale = presenter ? sglab::ui::kPresenterScale : 1.0f;
  ui.fonts = sglab::ui::load_fonts(scale);
  sglab::ui::apply_style(scale);
  ui.scale = scale;
  ui.plot_env.scale = scale;
  ui.plot_env.title_font = ui.fonts.title;
  if (upload) {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  CLI::App cli{"sglab: when do synthetic gradients beat backpropagation? (desktop app)"};
  cli.add_option("--scenario", opt.scenario, "Scenario JSON file to open (bad files open the default, with an error)");
  cli.add_option("--screenshot", opt.screenshot, "Write the window as PNG after --frames frames, then exit");
  cli.add_option("--frames", opt.frames, "Render this many frames, then exit (with --screenshot: "
                                          "then wait for the running job, up to --wait-timeout s)")
      ->check(CLI::Range(1, 1000000));
  cli.add_option("--frame-log", opt.frame_log, "Write per-frame times (CSV) and print a p50/p99 summary");
  cli.add_flag("--presenter", opt.presenter, "Start in presenter mode (large text)");
  cli.add_option("--size", opt.size, "Window size WIDTHxHEIGHT, e.g. 1920x1080");
  cli.add_option("--settings", opt.settings, "Settings file (default: ~/.config/sglab/settings.json; "
                                             "not used with --frames unless given)");
  cli.add_flag("--no-settings", opt.no_settings, "Neither read nor write the settings file");
  cli.add_option("--threads", opt.threads, "Worker threads for the science (0: all cores but one)")
      ->check(CLI::Range(0, 256));
  cli.add_option("--assets", opt.assets, "Folder holding presets/ (default: $SGLAB_ASSETS, else ../share/sglab "
                                         "beside the executable)");
  cli.set_version_flag("--version", std::string("sglab ") + sglab::kVersion);
  cli.add_option("--export-dir", opt.export_dir, "Folder for CSV and PNG exports");
  cli.add_option("--export-plots", opt.export_plots, "After --frames frames and the job, write every open "
                                                     "plot as CSV and PNG into this folder, then exit");
  cli.add_option("--lab", opt.lab, "Open this lab's tab: expert, dag or dynamics (after --scenario)")
      ->check(CLI::IsMember({"expert", "dag", "dynamics"}));
  cli.add_flag("--play", opt.play, "Start training in the mixing-dynamics lab (stops after --frames frames)");
  cli.add_option("--steps-per-frame", opt.steps_per_frame, "Mixing-dynamics lab: training steps asked per frame")
      ->check(CLI::Range(1, 100000));
  cli.add_option("--dynamics-network", opt.dynamics_network,
                 "Mixing-dynamics lab: train T1..T5, \"dag\" (the DAG lab's network) or \"sparse40\"")
      ->check(CLI::IsMember({"T1", "T2", "T3", "T4", "T5", "dag", "sparse40"}));
  cli.add_option("--wait-timeout", opt.wait_timeout, "Seconds a screenshot waits for the running job")
      ->check(CLI::Range(0.0, 3600.0));
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }
  opt.assets = sglab::gui::resolve_assets_dir(opt.assets);
  if (const std::string w = sglab::gui::assets_warning(opt.assets); !w.empty()) std::fprintf(stderr, "sglab: %s\n", w.c_str());
  int width = 0, height = 0;
  if (!opt.size.empty() && !parse_size(opt.size, width, height)) {
    std::fprintf(stderr, "sglab: error: --size \"%s\" is not WIDTHxHEIGHT within 320x240..16384x16384\n", opt.size.c_str());
    return 2;
  }
  if ((!opt.screenshot.empty() || !opt.export_plots.empty()) && opt.frames == 0) opt.frames = 1;
  const bool scripted = opt.frames > 0;
  std::string settings_path = opt.settings;
  if (settings_path.empty() && !scripted) settings_path = sglab::ui::default_settings_path();
  if (opt.no_settings) settings_path.clear();
  std::string settings_warning;
  sglab::ui::AppSettings settings = sglab::ui::load_settings(settings_path, &settings_warning);
  if (!settings_warning.empty()) std::fprintf(stderr, "sglab: %s\n", settings_warning.c_str());
  if (width > 0) {
    settings.window_width = width;
    settings.window_height = height;
  }
  if (opt.presenter) settings.presenter = true;
  if (!opt.export_dir.empty()) settings.export_dir = opt.export_dir;

  // ---- Window and GL context -------------------------------------------------------
  glfwSetErrorCallback(on_glfw_error);
  if (!glfwInit()) {
    std::fprintf(stderr, "sglab: cannot open a window: no display available (%s); run under xvfb-run or "
                         "use sglab-cli\n", g_glfw_last_error.c_str());
    return 2;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  GLFWwindow* window = glfwCreateWindow(settings.window_width, settings.window_height,
                                        "sglab: synthetic-gradient lab", nullptr, nullptr);
  if (window == nullptr) {
    std::fprintf(stderr, "sglab: cannot create an OpenGL 3.3 window (%s)\n", g_glfw_last_error.c_str());
    glfwTerminate();
    return 2;
  }
  g_glfw_quiet = false;
  glfwMakeContextCurrent(window);
  glfwSwapInterval(1);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  std::string ini_path;
  if (!settings_path.empty()) {
    ini_path = (std::filesystem::path(settings_path).parent_path() / "imgui.ini").string();
    io.IniFilename = ini_path.c_str();
  } else {
    io.IniFilename = nullptr;
  }
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");

  sglab::ui::UiContext ui;
  std::vector<sglab::ui::plot::PngRequest> png_requests;
  ui.plot_env.png_requests = &png_requests;
  ui.plot_env.export_dir = settings.export_dir;
  bool presenter_applied = settings.presenter;
  apply_scale(ui, presenter_applied, false);
  if (!ui.fonts.message.empty()) std::fprintf(stderr, "sglab: %s\n", ui.fonts.message.c_str());

  int exit_code = 0;
  {
    sglab::ui::gl::GlStateGridRenderer grid_renderer;
    if (!grid_renderer.error().empty())
      std::fprintf(stderr, "sglab: state-grid shader: %s (falling back to plain rectangles)\n",
                   grid_renderer.error().c_str());
    ui.grid_renderer = &grid_renderer;
    sglab::ui::gl::GlDagGraphRenderer dag_renderer;
    if (!dag_renderer.error().empty())
      std::fprintf(stderr, "sglab: DAG graph shaders: %s (falling back to ImDrawList)\n", dag_renderer.error().c_str());

    sglab::ui::AppShell shell(opt.assets, opt.threads);
    shell.dag().set_graph_renderer(dag_renderer.error().empty() ? &dag_renderer : nullptr);
    shell.apply_settings(settings);
    if (opt.presenter) shell.set_presenter(true);
    if (!opt.scenario.empty()) {
      const std::string error = shell.open_scenario(opt.scenario);
      if (!error.empty()) std::fprintf(stderr, "sglab: %s (opened the default scenario instead)\n", error.c_str());
    }
    if (!opt.lab.empty()) shell.select_lab(*sglab::ui::lab_tab_from_name(opt.lab));
    if (opt.steps_per_frame > 0) shell.dynamics().set_steps_per_frame(opt.steps_per_frame);
    if (!opt.dynamics_network.empty()) {
      const std::string& n = opt.dynamics_network;
      const auto count = static_cast<int>(sglab::ui::dynamics_network_choices(shell.dag()).size());
      shell.dynamics().choose_network(n == "sparse40" ? count - 1 : n == "dag" ? count - 2 : n[1] - '1');
    }
    if (opt.play) shell.dynamics().set_playing(true);

    sglab::gui::FrameLog frame_log;
    const double start_ms = now_ms();
    double last_frame_start = start_ms;
    int frame = 0;
    int settle_frames = -1;  // frames to draw after the job finished, before the screenshot
    bool screenshot_written = false;
    int export_frames_left = -1;  // frames until the queued plot PNGs are written
    bool f11_down = false;
    constexpr double kTargetFrameMs = 1000.0 / 60.0;

    while (!glfwWindowShouldClose(window) && !shell.quit_requested()) {
      const bool busy = shell.busy();
      if (scripted || busy || frame < 3) glfwPollEvents();
      else glfwWaitEventsTimeout(0.1);  // idle: wake on input, or 10 times a second

      const double frame_start = now_ms();
      const double interval = frame_start - last_frame_start;
      last_frame_start = frame_start;

      const bool f11 = glfwGetKey(window, GLFW_KEY_F11) == GLFW_PRESS;
      if (f11 && !f11_down) shell.set_presenter(!shell.presenter());
      f11_down = f11;
      if (shell.presenter() != presenter_applied) {
        presenter_applied = shell.presenter();
        apply_scale(ui, presenter_applied, true);
      }

      ImGui_ImplOpenGL3_NewFrame();
      ImGui_ImplGlfw_NewFrame();
      // A screenshot shows the app, not wherever Xvfb left the pointer (no hover tooltips).
      if (!opt.screenshot.empty() || !opt.export_plots.empty()) io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
      ImGui::NewFrame();
      shell.draw(ui);
      ImGui::Render();

      int fb_w = 0, fb_h = 0;
      glfwGetFramebufferSize(window, &fb_w, &fb_h);
      glViewport(0, 0, fb_w, fb_h);
      glClearColor(0.97f, 0.97f, 0.96f, 1.0f);
      glClear(GL_COLOR_BUFFER_BIT);
      ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

      if (!png_requests.empty()) {
        for (const auto& message :
             sglab::ui::gl::serve_png_requests(png_requests, io.DisplayFramebufferScale.x,
                                              io.DisplayFramebufferScale.y, fb_w, fb_h))
          ui.notify(message);
      }

      ++frame;
      bool done = false;
      const bool waits_for_job = !opt.screenshot.empty() || !opt.export_plots.empty();
      if (opt.frames > 0 && frame >= opt.frames) {
        shell.dynamics().set_playing(false);  // a scripted run trains only during its --frames frames
        if (!waits_for_job) {
          done = true;
        } else {
          // Wait for the running job (bounded), then draw two more frames so the
          // newest snapshot is on screen, and read the back buffer before swapping.
          const bool timed_out = (now_ms() - start_ms) > opt.wait_timeout * 1000.0;
          if (settle_frames < 0 && (!shell.busy() || timed_out)) settle_frames = 2;
          if (settle_frames == 0) {
            if (!opt.screenshot.empty() && !screenshot_written) {
              const std::string error =
                  sglab::ui::gl::write_back_buffer_png(opt.screenshot, 0, 0, fb_w, fb_h, fb_h);
              if (!error.empty()) {
                std::fprintf(stderr, "sglab: screenshot failed: %s\n", error.c_str());
                exit_code = 1;
              } else {
                std::printf("sglab: wrote %s (%dx%d)%s\n", opt.screenshot.c_str(), fb_w, fb_h,
                            timed_out ? " before the job finished (--wait-timeout)" : "");
              }
              screenshot_written = true;
            }
            if (!opt.export_plots.empty() && export_frames_left < 0) {
              ui.plot_env.export_dir = opt.export_plots;
              shell.export_active_plots(ui);  // CSVs now, PNGs read back after the next frame
              export_frames_left = 2;
            }
            if (export_frames_left > 0) {
              --export_frames_left;
            } else {
              if (!opt.export_plots.empty()) std::printf("sglab: %s\n", ui.status_message.c_str());
              done = true;
            }
          } else if (settle_frames > 0) {
            --settle_frames;
          }
        }
      }
      glfwSwapBuffers(window);

      const double work = now_ms() - frame_start;
      if (!opt.frame_log.empty()) frame_log.add({frame == 1 ? 0.0 : interval, work, busy});
      if (done) break;
      // Frame limiter: never spin faster than 60 Hz (Xvfb has no vsync).
      if (work < kTargetFrameMs)
        std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(kTargetFrameMs - work));
    }

    if (!opt.frame_log.empty()) {
      const std::string summary = frame_log.write(opt.frame_log);
      if (!summary.empty()) std::printf("sglab: %s\n", summary.c_str());
    }
    if (!settings_path.empty()) {
      glfwGetWindowSize(window, &settings.window_width, &settings.window_height);
      shell.store_settings(settings);
      settings.export_dir = ui.plot_env.export_dir;
      const std::string error = sglab::ui::save_settings(settings_path, settings);
      if (!error.empty()) std::fprintf(stderr, "sglab: settings not saved: %s\n", error.c_str());
    }
    ui.grid_renderer = nullptr;
  }  // GL objects die here, while the context is current

  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return exit_code;
}
