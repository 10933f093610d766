#pragma once
// Pieces every lab tab draws the same way: the job status in the status bar,
// PNG export of a plot's child window, and the plot layer's messages.

#include <functional>
#include <string>
#include <vector>

#include "core/jobs/job_runner.hpp"
#include "ui/plot/plot.hpp"
#include "ui/ui_context.hpp"

namespace sglab::ui {

/// While `runner` is busy: its label, a progress bar and a Cancel button
/// (with `cancel_tooltip`); after a failed job: the error in red. Returns
/// false when neither applies, so the lab can show its own idle text.
bool draw_job_progress(UiContext& ui, jobs::JobRunner& runner, const char* cancel_tooltip);

/// Queues the current child window as the PNG export of figure `figure_id` (a
/// figure that is not a plot: read back from the screen) when the lab asked for
/// an export this frame.
void queue_window_png(UiContext& ui, bool export_requested, const std::string& figure_id);

/// Queues the PNG export of a plot (drawn alone at the chosen PNG size) when
/// the lab asked for an export this frame.
void queue_plot_png(UiContext& ui, bool export_requested, const plot::PlotSpec& spec, const plot::PlotState& state);

/// Writes the CSV of every plot in specs[0, count) (ids not empty) for which
/// `include(index)` holds, and notifies "Exported N <what> (CSV + PNG) to …"
/// or the last error. The PNGs follow on the next frame (queue_plot_png).
void export_plots_csv(UiContext& ui, const plot::PlotSpec* specs, std::size_t count, const std::string& what,
                      const std::function<bool(std::size_t)>& include = {});

/// One knob under the open lesson step's control list (UiContext::step_controls):
///   if (ControlGate gate(ui, "expert", "d"); gate.shown()) { …draw the slider… }
/// Hidden when the step shows other controls only; drawn disabled while locked.
class ControlGate {
 public:
  ControlGate(const UiContext& ui, const char* lab, const char* key);
  ~ControlGate();
  ControlGate(const ControlGate&) = delete;
  ControlGate& operator=(const ControlGate&) = delete;
  bool shown() const { return shown_; }

 private:
  bool shown_ = true, disabled_ = false;
};

/// A line under a lab's control column heading while a lesson step hides some
/// of its controls ("This lesson step shows: d, k, n"); nothing otherwise.
void draw_step_controls_note(const UiContext& ui, const char* lab);

/// Call last inside a scrolling control column: while the mouse drags in it, the
/// column's content keeps the tallest height it had since the drag began, so a
/// knob that removes rows (fewer nodes, a closed section) cannot make the column
/// scroll under the mouse mid-drag; `held` keeps that height between frames.
void hold_height_while_dragging(float& held);

/// Shows the plot layer's last message (e.g. "saved …") as a notification.
void flush_plot_message(UiContext& ui);

}  // namespace sglab::ui
