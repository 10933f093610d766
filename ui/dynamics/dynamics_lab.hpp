#pragma once
// The mixing-dynamics lab (issue 5, THEORY.md §5): trains a small network
// three ways from one seed on one sample stream (BP, SG with fixed λ, SG with
// adaptive λ) on the worker (core/jobs/dynamics_lab_job) and shows the loss
// curves, one node's λ trajectories (adaptive vs fixed vs exact λ*), its
// ingredients v, c, b² and its predictor error. Play / pause / step / reset,
// steps per frame, and a scrub bar over the recorded steps.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/dynamics/train_config.hpp"
#include "core/jobs/dynamics_lab_job.hpp"
#include "ui/dag/dag_lab.hpp"
#include "ui/lab.hpp"
#include "ui/plot/pin_set.hpp"
#include "ui/plot/plot.hpp"
#include "ui/ui_context.hpp"

namespace sglab::ui {

/// Which network the lab trains.
struct DynamicsNetworkChoice {
  std::string id;     ///< "T1".."T5" (a DAG preset), "dag", "sparse40" or "file" (from a scenario)
  std::string label;  ///< what the list shows
  dag::DagSpec spec;
};
/// The DAG lab's presets, the DAG lab's network now, then a 40-node sparse
/// network (8 → 16 → 12 → 8 → 4 tanh/linear, fan-in 3, σ = 0.5: issue 5's speed target).
std::vector<DynamicsNetworkChoice> dynamics_network_choices(const DagLab& dag);

/// The lab's default training settings (fixed λ = 0.5, adaptive λ from 0.5, exact λ* every 50
/// steps).
dynamics::TrainConfig default_dynamics_config();

/// Settings column; returns true when a setting changed (the runs start again).
bool draw_dynamics_settings(dynamics::TrainConfig& config, UiContext& ui);

/// The plots: loss (batch, smoothed, held-out), λ of one node (every estimator,
/// fixed λ, exact λ*), ingredients, predictor error, tracking error per node;
/// for one node slot, with a vertical marker at the scrubbed record (−1: none).
constexpr int kDynamicsPlotCount = 5;
std::array<plot::PlotSpec, kDynamicsPlotCount> build_dynamics_plot_specs(const jobs::DynamicsLabSnapshot* s,
                                                                         int slot, int scrub);
/// Where the plots' step axis ends: the first of 10, 20, 50, 100, 200, … at or
/// past the newest step and a sixteenth of the run, at most the run's length
/// (`steps_total` 0: unknown).
std::int64_t dynamics_step_axis_end(std::int64_t newest_step, std::int64_t steps_total);
/// What the lab calls estimator e (dynamics::LambdaEstimator) in legends.
std::string dynamics_estimator_label(int estimator);

/// The heat map's colour of λ: light yellow (0) … dark blue (1), grey for NaN.
ImU32 lambda_heat_colour(double lambda);
/// The heat map's cells as pixels (row k = the k-th mixing node, column c = the
/// record heat_map_record_of_column picks), rebuilt only when the records'
/// version or the grid's shape changes; `version` counts rebuilds, so the
/// texture is uploaded only then.
struct LambdaHeatMapImage {
  std::uint64_t records_version = ~std::uint64_t{0};
  int columns = 0, rows = 0;
  std::vector<std::uint32_t> pixels;  ///< IM_COL32, rows × columns, row-major
  std::uint64_t version = 0;
};
/// The record column c of `columns` shows: the last of its bin (the λ in force at the bin's end).
std::size_t heat_map_record_of_column(std::size_t records, int columns, int column);
/// Fills `image` from `records` for the mixing slots `rows` (a no-op when
/// records_version and the shape are those it holds).
void update_lambda_heat_map_image(const dynamics::TrainRecords& records, std::uint64_t records_version,
                                  const std::vector<int>& rows, int columns, LambdaHeatMapImage& image);
/// The heat map of every mixing node's λ (rows, node order) against the recorded
/// steps (columns, binned): colour = the λ the adaptive run uses, 0 (light) … 1 (dark).
/// Draws into `size` at the cursor, as one texture through ui.images (rectangles
/// without it); the selected node's row is outlined; the hover read-out quotes the
/// record itself; a click on a row returns its node id (else −1).
int draw_lambda_heat_map(const dynamics::TrainRecords& records, std::uint64_t records_version, int selected_node,
                         int scrub, ImVec2 size, UiContext& ui, LambdaHeatMapImage& image);

/// The values of one record for one slot, as read-out lines.
std::vector<std::string> dynamics_readout(const jobs::DynamicsLabSnapshot& s, int slot, int record);

class DynamicsLab : public Lab {
 public:
  explicit DynamicsLab(const DagLab& dag);

  // Lab: body "train" (TrainConfig, its network included); view {"selected_node", "steps_per_frame", "pins" (when any)}.
  const char* id() const override { return "dynamics"; }
  const char* title() const override { return "Mixing dynamics"; }
  std::string frame_log_note(double seconds) const override;
  bool busy() override { return engine_.busy(); }
  void export_plots(UiContext& ui) override { export_all(ui); }
  void load(const config::Scenario& scenario) override;
  void store(config::Scenario& scenario) const override;
  std::vector<KeyHelp> keyboard_help() const override;
  void pin_results(UiContext& ui) override;
  const plot::PinSet& pins() const { return pins_; }
  /// The plots as drawn: the live ones with the pins' ghosts.
  const plot::PlotSpec* shown_specs();
  /// Space: play / pause. Left: pause, one recorded step back (Shift: a twentieth of
  /// the record). Right: one recorded step on; at the newest, train one step (Shift:
  /// steps-per-frame steps).
  bool on_transport_key(TransportKey key) override;
  /// The recorded step shown: −1 follows the newest.
  int scrub() const { return scrub_; }

  void draw(UiContext& ui) override;
  void draw_status(UiContext& ui) override;
  void export_all(UiContext& ui);

  /// Which choice of choices() to train (the runs start again).
  void choose_network(int index);
  /// The same by id ("T2", "dag", "sparse40"); false when no choice has it.
  bool choose_network(const std::string& id);
  int network() const { return network_; }
  /// dynamics_network_choices(), plus a network that came from a scenario file.
  std::vector<DynamicsNetworkChoice> choices() const;
  void set_config(const dynamics::TrainConfig& config);
  const dynamics::TrainConfig& config() const { return config_; }
  /// Off pauses at once (the worker stops between two steps).
  void set_playing(bool on);
  bool playing() const { return playing_; }
  void set_steps_per_frame(int steps) {
    steps_per_frame_ = steps;
    engine_.set_steps_per_frame(steps);
  }
  int steps_per_frame() const { return steps_per_frame_; }
  /// One step of each run (pauses); asked while the worker is busy, it goes out on a later frame.
  void step_once();
  void reset();
  /// Called once per frame: reports the frame to the worker, starts or stops the playing job.
  void tick() override;

  int selected_node() const { return selected_node_; }
  void select_node(int node) { selected_node_ = node; }
  jobs::DynamicsLabEngine& engine() { return engine_; }
  std::shared_ptr<const jobs::DynamicsLabSnapshot> snapshot() const { return engine_.latest(); }
  /// The plots as drawn last frame (tests: they keep their curves while a drag restarts the runs).
  const std::array<plot::PlotSpec, kDynamicsPlotCount>& plot_specs() const { return specs_; }

 private:
  void restart();
  /// The "train" body store() writes (the chosen network resolved into it).
  nlohmann::json train_body() const;
  /// What a pin records and its label compares: the train body and the selected node.
  nlohmann::json pin_settings() const;
  void train_steps(std::int64_t steps);
  void flush_pending_steps();
  void draw_controls(UiContext& ui, const jobs::DynamicsLabSnapshot* s);
  void draw_network_picker(UiContext& ui);
  void draw_transport(UiContext& ui, bool finished);
  void draw_scrub_bar(const jobs::DynamicsLabSnapshot& s, int records);
  void draw_node_picker(const dynamics::TrainRecords& records);

  const DagLab& dag_;
  std::vector<DynamicsNetworkChoice> choices_;
  std::optional<DynamicsNetworkChoice> from_file_;  ///< a network only a scenario file named
  int network_ = 0;
  dynamics::TrainConfig config_;
  jobs::DynamicsLabEngine engine_;
  bool playing_ = false;
  int steps_per_frame_ = 40;
  int scrub_ = -1;  ///< recorded step shown; −1 follows the newest
  std::int64_t pending_steps_ = 0;  ///< steps asked while the worker was busy
  int selected_node_ = -1;
  std::uint64_t specs_version_ = ~std::uint64_t{0};
  int specs_slot_ = -2, specs_scrub_ = -2;
  std::array<plot::PlotSpec, kDynamicsPlotCount> specs_;
  std::array<plot::PlotState, kDynamicsPlotCount> plot_states_;
  std::uint64_t specs_generation_ = 0;  // counts rebuilds of specs_
  plot::PinSet pins_;
  plot::PinnedSpecs pinned_;
  bool export_requested_ = false;
  float controls_height_ = 0.0f;  ///< the control column's height held during a drag
  bool specs_have_data_ = false;  // the plots show recorded steps (kept while a drag restarts the runs)
  int figure_page_ = 0;           // the page of figures when they do not all fit
  LambdaHeatMapImage heat_map_;   // the λ heat map's pixels, kept between frames
};

std::unique_ptr<Lab> make_dynamics_lab(const LabEnvironment& env);

}  // namespace sglab::ui
