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

/// Queues the current child window as the PNG export of plot `plot_id`
/// when the lab asked for an export this frame.
void queue_window_png(UiContext& ui, bool export_requested, const std::string& plot_id);

/// Writes the CSV of every plot in specs[0, count) (ids not empty) for which
/// `include(index)` holds, and notifies "Exported N <what> (CSV + PNG) to …"
/// or the last error. The PNGs follow on the next frame (queue_window_png).
void export_plots_csv(UiContext& ui, const plot::PlotSpec* specs, std::size_t count, const std::string& what,
                      const std::function<bool(std::size_t)>& include = {});

/// Shows the plot layer's last message (e.g. "saved …") as a notification.
void flush_plot_message(UiContext& ui);

}  // namespace sglab::ui
