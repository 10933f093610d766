#pragma once
// The expert-network lab (THEORY.md §6, issue 3): a control column, a
// plain-language read-out, five plots and the state-pooling view. Every knob
// change posts a background job (core/jobs/expert_lab_job); panels draw from
// the latest immutable snapshot and never wait for the worker.

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/jobs/expert_lab_job.hpp"
#include "core/jobs/job_runner.hpp"
#include "core/expert/expert_scenario.hpp"
#include "ui/figure_layout.hpp"
#include "ui/lab.hpp"
#include "ui/plot/pin_set.hpp"
#include "ui/plot/plot.hpp"
#include "ui/ui_context.hpp"

namespace sglab::ui {

/// The lab's panels; each can be closed from the View menu (persisted).
enum class ExpertPanel { kControls, kReadout, kRatioVsD, kMseVsN, kMseVsD, kRatioVsN, kMseVsLambda, kPooling, kCount };
const char* panel_name(ExpertPanel p);   ///< stable key for the settings file
const char* panel_title(ExpertPanel p);  ///< menu text

// [SECTION] panels (one file each) --------------------------------------------------------

/// Control column. Edits `s` in place; returns true when any knob changed.
bool draw_expert_controls(expert::ExpertScenario& s, UiContext& ui);

/// The plain-language sentence(s) for a result, e.g. "SG needs 1/32 of the
/// samples BP needs here: each expert pools 32 states (2^(d−k))".
std::string expert_readout_text(const jobs::ExpertLabResult& r);
/// What the read-out says about the shown result: current, being updated, or a
/// partial result left by Cancel.
enum class ResultFreshness { kCurrent, kUpdating, kCancelled };
void draw_expert_readout(const jobs::ExpertLabResult* r, ResultFreshness freshness, UiContext& ui);

/// The five plots' descriptions, built once per snapshot (index = panel − kRatioVsD).
std::array<plot::PlotSpec, 5> build_expert_plot_specs(const jobs::ExpertLabResult* r,
                                                      const expert::ExpertScenario& s);

struct PoolingViewState {
  int expert = 0;        ///< which expert's pooling to light up
  int hovered = -1;      ///< hovered state (−1: none)
  int pinned = 0;        ///< clicked state, kept lit when the mouse leaves (state 0 at start)
  /// The shared log colour scale of the snapshot it was computed for: scanning
  /// the 2 × 2^d per-state errors every frame cost the UI thread ~1 ms at d = 18.
  std::uint64_t scale_version = ~std::uint64_t{0};
  float log_lo = -1.0f, log_hi = 0.0f;
};
void draw_state_pooling(const jobs::ExpertLabResult* r, std::uint64_t snapshot_version,
                        PoolingViewState& view, UiContext& ui, float height);

// [SECTION] the lab ----------------------------------------------------------------------

class ExpertLab : public Lab {
 public:
  /// `threads` for the worker's parallel loops (0 = every core; the worker runs
  /// at a lower priority, so the UI thread still gets its share).
  explicit ExpertLab(int threads = 0);

  // Lab: body "expert" (ExpertScenario); view {"pooling_expert", "pooling_state", "pins" (when any)}.
  const char* id() const override { return "expert"; }
  const char* title() const override { return "Expert network"; }
  bool busy() override { return runner_.busy(); }
  void export_plots(UiContext& ui) override { export_all(ui); }
  void load(const config::Scenario& scenario) override;
  void store(config::Scenario& scenario) const override;
  std::vector<KeyHelp> keyboard_help() const override;
  void draw_view_menu(UiContext& ui) override;
  void pin_results(UiContext& ui) override;
  const plot::PinSet& pins() const { return pins_; }
  /// The five plots as drawn: the live ones with the pins' ghosts.
  const plot::PlotSpec* shown_specs();
  void load_settings(const AppSettings& settings) override { load_panels(settings.open_panels); }
  void store_settings(AppSettings& settings) const override { save_panels(settings.open_panels); }

  /// Replaces the config and starts computing it.
  void set_scenario(const expert::ExpertScenario& s);
  const expert::ExpertScenario& scenario() const { return scenario_; }

  /// Draws the whole lab into the current window region.
  void draw(UiContext& ui) override;
  /// Job progress, last timing and a Cancel button, for the status bar.
  void draw_status(UiContext& ui) override;
  /// Notices a finished job every frame, shown or not (so the timing stops there).
  void tick() override;
  /// True when the job for the current settings was cancelled before its last stage:
  /// the plots show a partial (or older) result, labelled so.
  bool cancelled() const;

  bool panel_open(ExpertPanel p) const { return open_[static_cast<std::size_t>(p)]; }
  void set_panel_open(ExpertPanel p, bool open) { open_[static_cast<std::size_t>(p)] = open; }
  void load_panels(const std::map<std::string, bool>& open);
  void save_panels(std::map<std::string, bool>& open) const;

  jobs::JobRunner& runner() { return runner_; }
  std::shared_ptr<const jobs::ExpertLabResult> result() const { return latest_.get(); }
  std::uint64_t result_version() const { return latest_.version(); }
  /// Wall time from the last knob change to the snapshot with every stage (ms);
  /// 0 until the current settings' job finished.
  double last_update_ms() const { return last_update_ms_; }
  /// Writes every open plot's CSV (and queues its PNG) into the export folder.
  void export_all(UiContext& ui);

 private:
  void post_job();
  /// Rebuilds the plot specs for a new result, or when the job was cancelled.
  void refresh_specs(const std::shared_ptr<const jobs::ExpertLabResult>& result, std::uint64_t version,
                     bool was_cancelled);
  FigureGrid layout_figures(int total, UiContext& ui);
  void draw_figures(const jobs::ExpertLabResult* result, std::uint64_t version, UiContext& ui);

  int threads_;
  expert::ExpertScenario scenario_;
  jobs::LatestSnapshot<jobs::ExpertLabResult> latest_;  // before runner_: outlives the worker
  jobs::ExpertCellCache cache_;                         // likewise
  jobs::JobRunner runner_;
  std::array<bool, static_cast<std::size_t>(ExpertPanel::kCount)> open_{};
  std::uint64_t specs_version_ = ~std::uint64_t{0};
  bool specs_cancelled_ = false;
  std::shared_ptr<const jobs::ExpertLabResult> specs_result_;
  std::array<plot::PlotSpec, 5> specs_;
  std::array<plot::PlotState, 5> plot_states_;
  std::uint64_t specs_generation_ = 0;  // counts rebuilds of specs_
  plot::PinSet pins_;
  plot::PinnedSpecs pinned_;
  PoolingViewState pooling_;
  double posted_at_ = 0.0;  // steady clock seconds
  double last_update_ms_ = 0.0;
  std::uint64_t timed_job_ = 0;
  bool export_requested_ = false;
  int figure_page_ = 0;  // presenter mode's page of figures
};

std::unique_ptr<Lab> make_expert_lab(const LabEnvironment& env);

}  // namespace sglab::ui
