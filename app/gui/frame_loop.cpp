#include "app/gui/frame_loop.hpp"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <cfloat>
#include <ctime>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <thread>
#include <utility>

#include "app/gui/driver_threads.hpp"
#include "app/gui/key_tap_latch.hpp"
#include "app/gui/redraw_check.hpp"
#include "ui/bandit/bandit_lab.hpp"
#include "ui/draw_fill.hpp"
#include "ui/dynamics/dynamics_lab.hpp"
#include "ui/gl/frame_capture.hpp"
#include "ui/gl/texture_writes.hpp"
#include "ui/gl/gl_headers.hpp"

namespace sglab::gui {

namespace {

constexpr double kTargetFrameMs = 1000.0 / 60.0;

double now_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// CPU time of the calling thread: what our frame code costs, whatever else the machine runs.
double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) * 1e-6;
}

// Set by GLFW when the window system asks for the window's contents again (an
// expose): the next frame is drawn even if it is identical to the last.
bool g_refresh_requested = false;
void on_window_refresh(GLFWwindow*) { g_refresh_requested = true; }

}  // namespace

FrameLoop::FrameLoop(GuiWindow& window, ui::AppShell& shell, ui::UiContext& ui, const GuiOptions& options,
                     std::vector<ui::plot::PngRequest>& png_requests)
    : window_(window), shell_(shell), ui_(ui), options_(options), png_requests_(png_requests),
      presenter_applied_(shell.presenter()), projector_applied_(shell.projector()), sub_buffer_(!options.swap_whole),
      retained_(sub_buffer_.available()) {
  // height_applied_ starts at 0: in presenter mode the first frame sizes the text
  // for the window as it really opened (the settings' height may differ).
  if (options.verify_redraw) redraw_check_ = std::make_unique<RedrawCheck>();
  if (options.soak_seconds > 0) soak_ = std::make_unique<SoakDriver>(options.soak_seconds, options.soak_log);
  glfwSetWindowRefreshCallback(window.handle(), on_window_refresh);
}

// Which rectangles of the frame to redraw (ui/draw_damage.hpp): none when the
// draw data equals the frame on screen and no shown texture was written since.
// Under llvmpipe a frame costs the pixels it shades (15-30 ms of CPU for the
// whole window), so a job's progress text repaints the status bar, not six plots.
std::vector<ui::DamageRect> FrameLoop::damage_since_shown(ImDrawData& data, const ImVec4& clear) {
  const std::uint64_t writes = ui::gl::texture_writes();
  const bool textures_written = writes != shown_texture_writes_;
  shown_texture_writes_ = writes;
  // A new background colour (the projector profile) shows where no triangle is.
  const bool new_clear = clear.x != shown_clear_.x || clear.y != shown_clear_.y || clear.z != shown_clear_.z;
  shown_clear_ = clear;
  if (retained_.resize(fb_w_, fb_h_) || !retained_.ok() || new_clear) damage_.invalidate();
  return damage_.update(data, textures_written, ImGui::GetIO().Fonts->TexID);
}

void FrameLoop::poll_events(bool busy) {
  if (options_.scripted() || soak_ || busy || frame_ < 3) glfwPollEvents();
  else glfwWaitEventsTimeout(0.1);  // idle: wake on input, or 10 times a second
  int w = 0, h = 0;
  glfwGetWindowSize(window_.handle(), &w, &h);
  // Presenter text follows the window's height; a resize by a few pixels does not rebuild the fonts.
  const bool height_changed = shell_.presenter() && h > 0 && std::abs(h - height_applied_) > 24;
  if (shell_.presenter() != presenter_applied_ || shell_.projector() != projector_applied_ || height_changed) {
    presenter_applied_ = shell_.presenter();
    projector_applied_ = shell_.projector();
    if (h > 0) height_applied_ = h;
    GuiWindow::apply_scale(ui_, presenter_applied_, projector_applied_, static_cast<float>(height_applied_), true);
    damage_.invalidate();  // a new font atlas: glyphs may change where no vertex does
  }
}

void FrameLoop::render_frame() {
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  // A screenshot shows the app, not wherever Xvfb left the pointer (no hover tooltips).
  if (options_.waits_for_jobs()) ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
  const double cpu_start = thread_cpu_ms();
  key_tap_latch().before_frame(ImGui::GetIO());
  ImGui::NewFrame();
  shell_.draw(ui_);
  ImGui::Render();
  key_tap_latch().after_frame(ImGui::GetIO());
  last_own_cpu_ms_ = thread_cpu_ms() - cpu_start;
  last_vertices_ = ImGui::GetDrawData()->TotalVtxCount;

  glfwGetFramebufferSize(window_.handle(), &fb_w_, &fb_h_);
  ImDrawData& data = *ImGui::GetDrawData();
  const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];  // white in the projector profile
  const std::vector<ui::DamageRect> damage = damage_since_shown(data, bg);
  // Read-backs (screenshots, exports, PNG requests) and exposes need the frame
  // in the back buffer even when nothing changed.
  present_whole_ = std::exchange(g_refresh_requested, false);
  const bool must_show = !options_.screenshot.empty() || !options_.export_plots.empty() || !png_requests_.empty() ||
                         present_whole_;
  last_frame_skipped_ = damage.empty() && !must_show;
  last_damage_ = damage;
  if (!options_.frame_log.empty()) last_fill_mpx_ = ui::draw_data_fill_pixels(data, damage) * 1e-6;
  if (last_frame_skipped_) return;
  if (retained_.ok()) {
    retained_.render(data, damage, bg);
    if (redraw_check_) redraw_check_->check(retained_, data, bg, fb_w_, fb_h_);
    retained_.copy_to_back_buffer();
  } else {  // no offscreen framebuffer: the whole frame, straight into the back buffer
    glViewport(0, 0, fb_w_, fb_h_);
    glClearColor(bg.x, bg.y, bg.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(&data);
  }

  if (!png_requests_.empty()) {
    const ImGuiIO& io = ImGui::GetIO();
    for (const auto& message : ui::gl::serve_png_requests(png_requests_, io.DisplayFramebufferScale.x,
                                                          io.DisplayFramebufferScale.y, fb_w_, fb_h_))
      ui_.notify(message);
  }
}

void FrameLoop::write_screenshot() {
  const std::string error = ui::gl::write_back_buffer_png(options_.screenshot, 0, 0, fb_w_, fb_h_, fb_h_);
  if (!error.empty()) {
    std::fprintf(stderr, "sglab: screenshot failed: %s\n", error.c_str());
    exit_code_ = 1;
  } else {
    std::printf("sglab: wrote %s (%dx%d)%s\n", options_.screenshot.c_str(), fb_w_, fb_h_,
                timed_out_ ? " before the job finished (--wait-timeout)" : "");
  }
  screenshot_written_ = true;
}

bool FrameLoop::scripted_end_step() {
  if (!options_.scripted() || frame_ < options_.frames) return false;
  // A scripted run trains only during its --frames frames.
  if (auto* dynamics = dynamic_cast<ui::DynamicsLab*>(shell_.lab("dynamics"))) dynamics->set_playing(false);
  if (auto* bandit = dynamic_cast<ui::BanditLab*>(shell_.lab("bandit"))) bandit->set_playing(false);
  if (!options_.waits_for_jobs()) return true;
  // Wait for the running jobs (bounded), then draw two more frames so the
  // newest snapshot is on screen, and read the back buffer before swapping.
  if (settle_frames_ < 0) {
    const bool busy = shell_.busy();
    timed_out_ = busy && (now_ms() - start_ms_) > options_.wait_timeout * 1000.0;
    if (!busy || timed_out_) settle_frames_ = 2;
    return false;
  }
  if (settle_frames_ > 0) {
    --settle_frames_;
    return false;
  }
  if (!options_.screenshot.empty() && !screenshot_written_) write_screenshot();
  if (!options_.export_plots.empty() && export_frames_left_ < 0) {
    ui_.plot_env.export_dir = options_.export_plots;
    shell_.export_active_plots(ui_);  // CSVs now, PNGs read back after the next frame
    export_frames_left_ = 2;
  }
  if (export_frames_left_ > 0) {
    --export_frames_left_;
    return false;
  }
  if (!options_.export_plots.empty()) std::printf("sglab: %s\n", ui_.status_message.c_str());
  return true;
}

void FrameLoop::present() {
  if (!sub_buffer_.available() || !retained_.ok()) {
    glfwSwapBuffers(window_.handle());
    return;
  }
  // The damage is in display coordinates; the window's pixels start at DisplayPos.
  const ImDrawData& data = *ImGui::GetDrawData();
  const ImVec2 origin = data.DisplayPos;
  std::vector<ui::DamageRect> rects;
  if (present_whole_) rects.push_back({0, 0, data.DisplaySize.x, data.DisplaySize.y});
  else
    for (const ui::DamageRect& r : last_damage_)
      rects.push_back({r.x0 - origin.x, r.y0 - origin.y, r.x1 - origin.x, r.y1 - origin.y});
  sub_buffer_.present(rects, data.FramebufferScale.x, data.FramebufferScale.y, fb_h_);
}

void FrameLoop::pace(double frame_start) {
  // Frame limiter: never spin faster than 60 Hz (Xvfb has no vsync).
  const double work = now_ms() - frame_start;
  if (work < kTargetFrameMs)
    std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(kTargetFrameMs - work));
}

int FrameLoop::run() {
  if (soak_ && !soak_->error().empty()) {
    std::fprintf(stderr, "sglab: error: %s\n", soak_->error().c_str());
    return 2;
  }
  start_ms_ = now_ms();
  double last_frame_start = start_ms_;
  double driver_cpu_start = 0.0;  // the GL driver threads' CPU when frame 1 ends (start-up excluded)
  while (!window_.should_close() && !shell_.quit_requested()) {
    const bool busy = shell_.busy();
    poll_events(busy);
    const double frame_start = now_ms();
    const double frame_cpu_start = thread_cpu_ms();
    const double interval = frame_start - last_frame_start;
    last_frame_start = frame_start;
    render_frame();
    ++frame_;
    const bool done = scripted_end_step() || (soak_ && soak_->on_frame(shell_, now_ms(), interval));
    if (!last_frame_skipped_) present();
    if (!options_.frame_log.empty()) {
      frame_log_.add({frame_ == 1 ? 0.0 : interval, now_ms() - frame_start, busy, last_own_cpu_ms_, last_vertices_,
                      last_fill_mpx_, thread_cpu_ms() - frame_cpu_start, !last_frame_skipped_});
      if (frame_ == 1) driver_cpu_start = driver_threads_cpu_ms();
    }
    if (done) break;
    pace(frame_start);
  }
  if (!options_.frame_log.empty()) {
    frame_log_.set_driver_thread_cpu_ms(driver_threads_cpu_ms() - driver_cpu_start);
    const std::string summary = frame_log_.write(options_.frame_log);
    if (!summary.empty()) std::printf("sglab: %s\n", summary.c_str());
    const std::string note = shell_.active_lab().frame_log_note((now_ms() - start_ms_) / 1000.0);
    if (!note.empty()) std::printf("sglab: %s\n", note.c_str());
  }
  if (redraw_check_) {
    std::printf("sglab: %s\n", redraw_check_->summary().c_str());
    if (!redraw_check_->ok()) exit_code_ = 1;
  }
  return exit_code_;
}

}  // namespace sglab::gui
