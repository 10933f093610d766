#pragma once
// The bandit lab (issue 9, paper §6, THEORY.md §8): a SparseNet policy learns
// a contextual bandit on the 8×8 digits (or synthetic contexts) from REINFORCE
// feedback whose reward is flipped with probability p_flip. K seeds of BP, SG
// with a fixed λ, SG with an adaptive λ (and a dense MLP) train in the
// background (core/jobs/bandit_lab_job); the plots show eval reward against
// samples seen (mean ± SE over seeds), per-layer λ, true vs synthetic gradient
// norms and the final reward against p_flip as a sweep fills in.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/bandit/bandit_config.hpp"
#include "core/bandit/bandit_summary.hpp"
#include "core/jobs/bandit_lab_job.hpp"
#include "ui/lab.hpp"
#include "ui/plot/pin_set.hpp"
#include "ui/plot/plot.hpp"
#include "ui/ui_context.hpp"

namespace sglab::ui {

/// What only the app shows: which p_flip the curves show, which layer the norms, the play speed.
struct BanditView {
  int p_flip_index = 0;
  int layer = 0;
  int steps_per_frame = 2;
  bool operator==(const BanditView& o) const {
    return p_flip_index == o.p_flip_index && layer == o.layer && steps_per_frame == o.steps_per_frame;
  }
};

/// The p_flip values of the paper's sweep (run_sweeps.sh sweep 2).
std::vector<double> paper_p_flip_sweep();

/// Settings column; returns true when a setting changed (the runs start again).
bool draw_bandit_settings(bandit::BanditConfig& config, UiContext& ui);

/// The four plots: eval reward, per-layer λ, gradient norms of `layer`, final reward against p_flip.
std::array<plot::PlotSpec, 4> build_bandit_plot_specs(const jobs::BanditLabSnapshot* s,
                                                      const bandit::BanditConfig& config, const BanditView& view);

/// One sentence on what the reward curves show now, from the numbers (who leads, by how much, vs 2 SE).
std::string bandit_readout(const std::vector<bandit::MethodCurve>& curves, double p_flip);
/// A sentence on where the adaptive λ stands now, or "" when no run has one.
std::string bandit_lambda_readout(const std::vector<bandit::MethodCurve>& curves, double initial_lambda);

/// "BP", "SG, fixed λ", "SG, adaptive λ", "MLP (dense, BP)".
std::string bandit_method_label(bandit::Method method);

class BanditLab : public Lab {
 public:
  explicit BanditLab(int threads = 0);

  // Lab: body "bandit" (BanditConfig); view {"p_flip_index", "layer", "steps_per_frame", "pins" (when any)}.
  const char* id() const override { return "bandit"; }
  const char* title() const override { return "Bandit (paper §6)"; }
  bool busy() override { return engine_.busy(); }
  void export_plots(UiContext& ui) override;
  void load(const config::Scenario& scenario) override;
  void store(config::Scenario& scenario) const override;
  std::vector<KeyHelp> keyboard_help() const override;
  void pin_results(UiContext& ui) override;
  const plot::PinSet& pins() const { return pins_; }
  /// The plots as drawn: the live ones with the pins' ghosts.
  const plot::PlotSpec* shown_specs();
  /// Space: play / pause. Right: pause and train one step of every run (Shift:
  /// steps-per-frame steps). Left: nothing (the lab keeps no scrub position).
  bool on_transport_key(TransportKey key) override;
  void draw(UiContext& ui) override;
  void draw_status(UiContext& ui) override;
  std::string frame_log_note(double seconds) const override;
  /// Called once per frame: reports the frame to the worker, starts or stops the playing job.
  void tick() override;

  /// New settings: the runs start again from step 0.
  void set_config(const bandit::BanditConfig& config);
  const bandit::BanditConfig& config() const { return config_; }
  void set_view(const BanditView& view);
  const BanditView& view() const { return view_; }
  /// Off pauses at once (the worker stops between two steps).
  void set_playing(bool on);
  bool playing() const { return playing_; }
  void set_steps_per_frame(int steps);
  void reset();

  jobs::BanditLabEngine& engine() { return engine_; }
  /// The newest snapshot of the current settings, or nullptr.
  std::shared_ptr<const jobs::BanditLabSnapshot> snapshot() const;

 private:
  void flush_pending_steps();
  void draw_controls(UiContext& ui, const jobs::BanditLabSnapshot* s);
  void draw_classroom(UiContext& ui);
  void draw_readout(const jobs::BanditLabSnapshot* s);
  /// What a pin records and its label compares: the config and the view's curve choices.
  nlohmann::json pin_settings() const;

  bandit::BanditConfig config_;
  BanditView view_;
  jobs::BanditLabEngine engine_;
  bool playing_ = false;
  std::int64_t pending_steps_ = 0;  ///< Right presses while the worker was busy
  std::uint64_t specs_version_ = ~std::uint64_t{0};
  BanditView specs_view_;
  std::array<plot::PlotSpec, 4> specs_;
  std::array<plot::PlotState, 4> plot_states_;
  std::uint64_t specs_generation_ = 0;  // counts rebuilds of specs_
  plot::PinSet pins_;
  plot::PinnedSpecs pinned_;
  bool export_requested_ = false;
  bool presenter_ = false;  // this frame's presenter mode (the read-out collapses to one line)
  // The read-outs' tallest height so far, for these runs, p_flip shown, width,
  // mode and "more"/"less" state (draw_readout).
  struct ReadoutBlock {
    std::uint64_t epoch = 0;
    int p_flip_index = 0;
    float width = 0.0f;
    bool presenter = false;
    bool readout_open = false, lambda_open = false;  // collapsible_text's "more" clicked
    float height = 0.0f;
    bool same_place(const ReadoutBlock& o) const {
      return epoch == o.epoch && p_flip_index == o.p_flip_index && width == o.width && presenter == o.presenter &&
             readout_open == o.readout_open && lambda_open == o.lambda_open;
    }
  } readout_block_;
  int figure_page_ = 0;     // the page of figures when they do not all fit
};

std::unique_ptr<Lab> make_bandit_lab(const LabEnvironment& env);

}  // namespace sglab::ui
