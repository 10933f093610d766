#pragma once
// DynamicsSession: the mixing-dynamics lab (issue 5, THEORY.md §5), step by step.
//
// Three runs start from the DAG spec's parameters and train on its teacher task
// (§7: ℓ = ½ Σ_t (x_t − y_t)², g_t = x_t − y_t + σ_t ε_t; the teacher reads the
// current values of its nodes, exactly as exact mode does, and g_t does not
// differentiate through y_t) with SGD, batch B:
//   bp           backpropagation (eq 4);
//   sg_fixed     synthetic gradients (eq 5) with λ_i fixed (TrainConfig::fixed_lambda
//                or the spec's per-node λ) and learned linear predictors;
//   sg_adaptive  the same with λ_i adapted per batch (§5: the plug-in of eq 18
//                with n = B, momentum m), starting from initial_lambda.
// Every step draws one batch (train_batch.hpp) used by all three runs. Within a
// step, each run computes its gradients with its current λ, takes its SGD and
// predictor steps, and then the adaptive run updates λ from this batch's
// ingredients (so the λ recorded at step s is the one step s + 1 will use).
//
// Estimator variants (issue 11, lambda_estimator.hpp): every estimator keeps its
// own λ per node and updates it from the same ingredients v, c, b² of the
// adaptive run's batch; the config's lambda_estimator says whose λ the adaptive
// run trains with. The others ride along on that run's batches and parameters,
// so all of them are measured against one and the same exact λ*(n = B) (its
// value depends on the parameters and the downstream λ the run used).
//
// Held-out loss: with eval_every = K > 0 each live run's loss on a fixed set of
// eval_size samples is recorded every K steps, after the step's update. The set
// is the stream of "step 0" (draw_train_batch), which no training step uses
// (steps count from 1), so it is fixed by the seed and disjoint from training.
//
// Determinism: the step-s batch depends only on (seed, s), and everything runs
// on the calling thread in a fixed order, so the same config gives bit-identical
// records on any machine state, and reset() + step(s) reproduces any state
// (scrubbing by recomputation); all recorded steps are also kept, so a GUI can
// scrub the records directly.
//
// Background probes (issue 12, set_background_probes): the exact λ* probe (about
// as costly as 40 training steps of the 40-node sparse net) runs on a thread of
// its own (exact_lambda_prober.hpp) on a copy of the adaptive run's network at
// step s, while training goes on. Its result only enters the records, never
// training, and lands in step s's record: the records from step s on are held
// back until it arrives, then appended in step order. So the records are the
// same bits as with the inline probe, whatever the thread timing; snapshots
// merely lag by the probes in flight (at most kMaxProbesInFlight; training waits
// for the oldest beyond that). step() lands every probe before it returns a
// finished session; complete_probes() does so on demand (pause, a step job).

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "core/dag/dag_network.hpp"
#include "core/dag/dag_spec.hpp"
#include "core/dynamics/exact_lambda_prober.hpp"
#include "core/dynamics/train_batch.hpp"
#include "core/dynamics/lambda_estimator.hpp"
#include "core/dynamics/train_config.hpp"
#include "core/dynamics/train_records.hpp"
#include "core/dynamics/training_run.hpp"
#include "core/util/parallel_for.hpp"

namespace sglab::dynamics {

class DynamicsSession {
 public:
  /// Validates the config against the network (throws sglab::Error).
  DynamicsSession(const dag::DagSpec& spec, const TrainConfig& config);

  /// Runs up to `count` more steps (never past config.steps). Returns the steps
  /// done. Checks `control` for cancel between steps (throwing sglab::Cancelled,
  /// the session left consistent at the last whole step) and reports progress
  /// as steps_done / config.steps.
  std::int64_t step(std::int64_t count, const WorkControl* control = nullptr);
  /// Back to step 0: initial parameters, λ and predictors, no records.
  void reset();
  /// Exact λ* probes on a background thread (see above) instead of inline.
  /// Call before the first step (it resets the session).
  void set_background_probes(bool on);
  /// Waits for every probe in flight and appends the records held back for them.
  void complete_probes();
  /// Probes that may be in flight before training waits for the oldest.
  static constexpr int kMaxProbesInFlight = 2;

  std::int64_t steps_done() const { return steps_done_; }
  /// All steps done, or every run diverged.
  bool finished() const { return steps_done_ >= config_.steps || diverged_count() == kTrainRunCount; }
  /// Divergence (issue 10): a run whose loss or state goes non-finite at step s
  /// is stopped there (its later losses are NaN) while the other runs go on.
  /// Returns s, or 0 when the run has not diverged.
  std::int64_t diverged_at(TrainRun which) const { return diverged_at_[static_cast<std::size_t>(which)]; }
  int diverged_count() const;
  /// Memory budget of the records; past it older records are thinned (TrainRecorder).
  void set_record_budget(std::size_t bytes) { recorder_.set_max_bytes(bytes); }
  const TrainConfig& config() const { return config_; }
  const TrainLayout& layout() const { return *layout_; }
  /// An immutable view of every record so far (cheap: shares the chunks).
  TrainRecords snapshot() const { return recorder_.snapshot(); }
  /// A run's current state (network parameters, λ, predictors).
  const TrainingRun& run(TrainRun which) const { return *runs_[static_cast<std::size_t>(which)]; }

 private:
  void build_runs();
  void restart(bool background_probes);  ///< reset() with the probe thread on or off
  void make_prober(bool on);
  void do_step();
  void update_lambda(int slot, TrainingRun& adaptive);
  bool step_runs(std::int64_t s);  ///< true when a run diverged at step s
  void probe_exact(std::int64_t s, const TrainingRun& adaptive);
  void commit_step(std::int64_t awaiting_probe, bool record);
  void land_probes(bool wait_for_one);

  /// A step's record (and divergence marks) held back until its probe lands.
  struct HeldStep {
    TrainStepRecord record;
    bool append = false;
    std::array<std::int64_t, kTrainRunCount> diverged_marks{};  // step, or 0
    std::int64_t awaiting_probe = 0;                            // step of its probe, or 0
  };

  dag::DagNetwork initial_;
  TrainConfig config_;
  std::vector<double> fixed_lambda_, initial_lambda_;  // per global node
  std::shared_ptr<const TrainLayout> layout_;
  std::vector<std::unique_ptr<TrainingRun>> runs_;
  TrainRecorder recorder_;
  TrainBatch batch_;
  TrainBatch held_out_;
  /// Per estimator, per slot.
  std::array<std::vector<LambdaEstimatorState>, kLambdaEstimatorCount> estimators_;
  TrainStepRecord record_;
  std::vector<double> w_, h_, bp_;
  std::int64_t steps_done_ = 0;
  std::array<std::int64_t, kTrainRunCount> diverged_at_{};
  std::array<std::int64_t, kTrainRunCount> diverged_marks_{};  // this step's new marks
  std::unique_ptr<ExactLambdaProber> prober_;                   // null: inline probes
  std::deque<HeldStep> held_;
  std::vector<ExactLambdaProber::Result> landed_;
};

/// Batch run: config.steps steps with progress; throws sglab::Cancelled when
/// `control` cancels.
TrainRecords run_training(const dag::DagSpec& spec, const TrainConfig& config, const WorkControl* control = nullptr);

}  // namespace sglab::dynamics
