#pragma once
// The DAG lab (THEORY.md §7, issue 5): presets T1–T5 with a classroom path, an
// editor, the graph view (our own GL renderer), condition lights with the
// measured reasons, the theorem verdict banner, per-node bars (BP beside SG),
// MSE against n, λ*(n) and MSE(λ) for the selected node. Every edit posts a
// background job (core/jobs/dag_lab_job); panels draw from the latest snapshot.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/jobs/dag_lab_job.hpp"
#include "core/jobs/job_runner.hpp"
#include "ui/dag/dag_presets.hpp"
#include "ui/dag/dag_graph_scene.hpp"
#include "ui/lab.hpp"
#include "ui/plot/pin_set.hpp"
#include "ui/plot/plot.hpp"
#include "ui/ui_context.hpp"

namespace sglab::ui {

// [SECTION] panels (one file each) --------------------------------------------------------

/// What the editor and the lab's knobs change: the spec and the lab's n.
struct DagLabKnobs {
  dag::DagSpec spec;
  double n = 1.0;
};

/// Editor column: returns true when anything changed. `selected` is the
/// selected node (for its own λ), −1 for none.
bool draw_dag_editor(DagLabKnobs& knobs, int selected, UiContext& ui);

/// The tooltip of an editor control at its limit, quoting core/dag/dag_limits.hpp
/// (e.g. "Width stops at 6 nodes per layer here: …"), so a greyed-out or stuck
/// control says why.
std::string editor_limit_text(const char* what, int limit, const char* unit);

/// Condition lights A.1, A.2, A.3, B with their measured reasons, and the verdict banner.
/// `compact` (presenter mode, short windows): the lights on one line with their
/// reasons on hover, the verdict one line with "more".
void draw_dag_conditions(const jobs::DagLabResult* r, bool stale, UiContext& ui, bool compact = false);
/// The lead line of condition B when it fails, e.g. "B fails at node 7: Bgap = 3.1 % of E‖g‖²" (""
/// when B holds).
std::string dag_b_headline(const jobs::DagLabResult& r);

struct DagGraphViewState {
  int selected = -1;
  int hovered = -1;
  std::uint64_t scene_key = 0;  ///< what the cached scene was built from
  float legend_h = 0.0f;        ///< the legend's height last frame
  DagGraphScene scene;
};
/// The graph view; updates the selection on click.
void draw_dag_graph(const jobs::DagLabResult* r, std::uint64_t version, DagGraphViewState& view,
                    DagGraphRenderer* renderer, UiContext& ui, ImVec2 size);

/// Per-node bars, BP beside SG, ECV / VCM / Bias² stacked; click selects a node.
void draw_dag_node_bars(const jobs::DagLabResult* r, int& selected, bool& relative, UiContext& ui,
                        ImVec2 size);

/// The selected node's plots: MSE against n, λ*(n), Theorem 3's two sides
/// against n, MSE(λ) (index 0..3), each with a one-line note drawn under it
/// (what the lines and points are; numbers from the result, never fixed).
constexpr std::size_t kDagPlotCount = 4;
struct DagPlots {
  std::array<plot::PlotSpec, kDagPlotCount> specs;
  std::array<std::string, kDagPlotCount> notes;
};
DagPlots build_dag_plots(const jobs::DagLabResult* r, int selected);

/// Preset row and the current preset's description (`edited`: the preset was
/// changed since it was opened); returns the preset index clicked (−1: none).
/// `open_lesson` turns true when the classroom-path lesson is asked for.
int draw_dag_preset_picker(const std::vector<DagPreset>& presets, int current, bool edited, bool& open_lesson,
                           UiContext& ui);

// [SECTION] the lab ----------------------------------------------------------------------

class DagLab : public Lab {
 public:
  DagLab(std::string assets_dir, int threads = 0);

  // Lab: body "dag" (the resolved spec); view {"name", "n", "selected", "bars_relative", "pins" (when any)}.
  const char* id() const override { return "dag"; }
  const char* title() const override { return "DAG lab"; }
  bool busy() override { return runner_.busy(); }
  void export_plots(UiContext& ui) override { export_all(ui); }
  void load(const config::Scenario& scenario) override;
  void store(config::Scenario& scenario) const override;
  std::vector<KeyHelp> keyboard_help() const override;
  void pin_results(UiContext& ui) override;
  const plot::PinSet& pins() const { return pins_; }
  /// The selected node's plots as drawn: the live ones with the pins' ghosts.
  const plot::PlotSpec* shown_specs();
  /// The lab's n and name (a preset picked in the classroom path) are undone with the spec.
  std::vector<std::string> undoable_view_keys() const override { return {"n", "name"}; }

  /// Replaces the spec (and its name) and starts computing it.
  void set_spec(const dag::DagSpec& spec, std::string name = {}, std::string description = {});
  const dag::DagSpec& spec() const { return knobs_.spec; }
  const std::string& name() const { return name_; }
  const std::string& description() const { return description_; }
  void set_n(double n);
  double n() const { return knobs_.n; }

  const std::vector<DagPreset>& presets() const { return presets_; }
  /// Opens preset `index` (the classroom step). False when out of range.
  bool open_preset(int index);
  int preset_index() const { return preset_index_; }

  void draw(UiContext& ui) override;
  void draw_status(UiContext& ui) override;
  void export_all(UiContext& ui);

  int selected() const { return view_.selected; }
  void select(int node) { view_.selected = node; }

  jobs::JobRunner& runner() { return runner_; }
  std::shared_ptr<const jobs::DagLabResult> result() const { return latest_.get(); }
  std::uint64_t result_version() const { return latest_.version(); }
  std::uint64_t edits() const { return edits_; }
  /// Wall time from the last edit to its exact-mode snapshot on screen (ms),
  /// and to the complete snapshot (sample mode included).
  double last_exact_update_ms() const { return last_exact_ms_; }
  double last_complete_update_ms() const { return last_complete_ms_; }
  /// Sample-mode trials per point (0 turns sample mode off: tests).
  void set_sample_trials(int trials) { sample_trials_ = trials; }

 private:
  void post_job();
  /// What a pin records and its label compares: the spec, n and the selected node.
  nlohmann::json pin_settings() const;
  void track_timing(const jobs::DagLabResult* r);
  /// Rebuilds the plots for a new result or selection.
  void refresh_plots(const jobs::DagLabResult* result, std::uint64_t version);
  void draw_controls_column(UiContext& ui);
  void draw_figures(const jobs::DagLabResult* result, std::uint64_t version, UiContext& ui);
  void draw_plot_cell(std::size_t i, ImVec2 cell, bool compact, UiContext& ui);

  int threads_;
  DagLabKnobs knobs_;
  std::string name_, description_;
  std::vector<DagPreset> presets_;
  std::string preset_errors_;
  int preset_index_ = -1;
  bool preset_edited_ = false;
  int sample_trials_ = 200;
  std::uint64_t edits_ = 0;
  jobs::LatestSnapshot<jobs::DagLabResult> latest_;  // before runner_: outlives the worker
  jobs::JobRunner runner_;
  DagGraphViewState view_;
  bool bars_relative_ = true;
  std::uint64_t specs_version_ = ~std::uint64_t{0};
  int specs_selected_ = -2;
  DagPlots plots_;
  std::array<plot::PlotState, kDagPlotCount> plot_states_;
  std::uint64_t specs_generation_ = 0;  // counts rebuilds of plots_
  plot::PinSet pins_;
  plot::PinnedSpecs pinned_;
  double posted_at_ = 0.0;
  double last_exact_ms_ = 0.0, last_complete_ms_ = 0.0;
  bool exact_timed_ = true, complete_timed_ = true;
  bool export_requested_ = false;
  std::string classroom_lesson_;  ///< the lesson file of the path T1 → T5
  float controls_height_ = 0.0f;  ///< the control column's height held during a drag
  int figure_page_ = 0;  // presenter mode / short windows: the page of figures
};

std::unique_ptr<Lab> make_dag_lab(const LabEnvironment& env);

}  // namespace sglab::ui
