#pragma once
// The app's frame loop: events, the presenter scale (F11 is the shell's), one ImGui frame of the
// shell, GL rendering, PNG read-backs, the scripted end of a run (wait for the
// jobs, screenshot, plot export) and the 60 Hz frame limiter.

#include "app/gui/frame_log.hpp"
#include "app/gui/gui_options.hpp"
#include "app/gui/gui_window.hpp"
#include "app/gui/redraw_check.hpp"
#include "app/gui/soak_driver.hpp"
#include "app/gui/sub_buffer_present.hpp"
#include "ui/app_shell.hpp"
#include "ui/draw_damage.hpp"
#include "ui/gl/retained_frame.hpp"
#include "ui/plot/plot.hpp"
#include "ui/ui_context.hpp"

#include <cstdint>
#include <memory>
#include <vector>

namespace sglab::gui {

class FrameLoop {
 public:
  FrameLoop(GuiWindow& window, ui::AppShell& shell, ui::UiContext& ui, const GuiOptions& options,
            std::vector<ui::plot::PngRequest>& png_requests);
  /// Runs until the window closes, Quit, or the scripted frames are done; returns the exit code.
  int run();

 private:
  void poll_events(bool busy);
  void render_frame();
  /// The scripted end: true when the run is over.
  bool scripted_end_step();
  void write_screenshot();
  void pace(double frame_start);
  /// Shows the frame just drawn: its damaged rectangles, or a swap.
  void present();
  /// The rectangles where `data` differs from the frame on screen (empty: not redrawn).
  std::vector<ui::DamageRect> damage_since_shown(ImDrawData& data, const ImVec4& clear);

  GuiWindow& window_;
  ui::AppShell& shell_;
  ui::UiContext& ui_;
  const GuiOptions& options_;
  std::vector<ui::plot::PngRequest>& png_requests_;
  FrameLog frame_log_;
  std::unique_ptr<SoakDriver> soak_;  ///< --soak
  int frame_ = 0;
  int fb_w_ = 0, fb_h_ = 0;
  double start_ms_ = 0.0;
  bool presenter_applied_ = false;
  bool projector_applied_ = false;
  int height_applied_ = 0;  // window height the presenter scale was computed for
  int settle_frames_ = -1;      ///< frames to draw after the jobs finished, before the screenshot
  bool screenshot_written_ = false;
  bool timed_out_ = false;
  int export_frames_left_ = -1;  ///< frames until the queued plot PNGs are written
  int exit_code_ = 0;
  double last_own_cpu_ms_ = 0.0;  ///< --frame-log: our CPU time in the last render_frame
  int last_vertices_ = 0;         ///< --frame-log: vertices of the last frame
  double last_fill_mpx_ = 0.0;  ///< --frame-log: pixels the last frame shaded, in millions
  bool last_frame_skipped_ = false;  ///< the last frame equalled the one on screen: not rendered, not swapped
  std::uint64_t shown_texture_writes_ = 0;  ///< ui::gl::texture_writes() when the last frame was drawn
  ImVec4 shown_clear_{-1, -1, -1, -1};      ///< the background colour the last frame was cleared to
  ui::DrawDamage damage_;
  std::vector<ui::DamageRect> last_damage_;  ///< what the last drawn frame changed: presented by present()
  bool present_whole_ = false;               ///< the last drawn frame must be shown whole (an expose)
  SubBufferPresent sub_buffer_;
  ui::gl::RetainedFrame retained_;
  std::unique_ptr<RedrawCheck> redraw_check_;  ///< --verify-redraw
};

}  // namespace sglab::gui
