#include "core/dynamics/dynamics_session.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/dynamics/adaptive_lambda.hpp"
#include "core/dynamics/exact_lambda_probe.hpp"
#include "core/util/error.hpp"

namespace sglab::dynamics {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

DynamicsSession::DynamicsSession(const dag::DagSpec& spec, const TrainConfig& config)
    : initial_(dag::build_dag_network(spec)), config_(config), recorder_(nullptr) {
  const int non_input = initial_.node_count - initial_.input_count;
  validate_train_config(config_, non_input);
  const auto n = static_cast<std::size_t>(initial_.node_count);
  fixed_lambda_.assign(n, 0.0);
  initial_lambda_.assign(n, 0.0);
  auto layout = std::make_shared<TrainLayout>();
  layout->batch_size = config_.batch_size;
  layout->record_every = config_.record_every;
  layout->exact_every = config_.exact_every;
  layout->eval_every = config_.eval_every;
  layout->eval_size = config_.eval_every > 0 ? config_.eval_size : 0;
  layout->driving_estimator = static_cast<int>(config_.lambda_estimator);
  if (config_.eval_every > 0) draw_train_batch(initial_, config_.seed, 0, config_.eval_size, held_out_);
  std::string reason;
  const bool feasible = exact_lambda_feasible(initial_, config_.exact_max_outcome_bits, &reason);
  layout->exact_available = feasible && config_.exact_every > 0;
  if (config_.exact_every == 0)
    layout->exact_note = "exact lambda* off (exact_every = 0)";
  else if (!feasible)
    layout->exact_note = reason;
  else
    layout->exact_note = std::string("exact lambda*(n = B) every ") + std::to_string(config_.exact_every) +
                         " steps at the adaptive run's current parameters and lambda, with the " +
                         (config_.exact_predictor == dag::PredictorKind::oracle ? "oracle" : "best-linear") +
                         " predictor of exact mode (not the learned coefficients); " + reason;
  for (int i = initial_.input_count; i < initial_.node_count; ++i) {
    const auto si = static_cast<std::size_t>(i);
    const bool mixes = !initial_.is_terminal(i);
    const double fixed = config_.fixed_lambda ? *config_.fixed_lambda : initial_.lambda[si];
    fixed_lambda_[si] = mixes ? fixed : 0.0;
    initial_lambda_[si] = mixes ? (config_.initial_lambda ? *config_.initial_lambda : fixed) : 0.0;
    layout->node.push_back(i);
    layout->layer.push_back(initial_.layer[si]);
    layout->mixes.push_back(mixes ? 1 : 0);
    layout->fixed_lambda.push_back(mixes ? fixed_lambda_[si] : kNaN);
    layout->initial_lambda.push_back(mixes ? initial_lambda_[si] : kNaN);
  }
  layout_ = layout;
  build_runs();
  for (int i = initial_.input_count; i < initial_.node_count; ++i)
    layout->has_predictor.push_back(runs_[1]->has_predictor(i) ? 1 : 0);
  recorder_ = TrainRecorder(layout_);
  record_.resize(layout_->slots());
}

void DynamicsSession::build_runs() {
  runs_.clear();
  runs_.push_back(std::make_unique<TrainingRun>(initial_, TrainingRun::Feedback::bp, fixed_lambda_,
                                                config_.unit_normalise));
  runs_.push_back(std::make_unique<TrainingRun>(initial_, TrainingRun::Feedback::sg, fixed_lambda_,
                                                config_.unit_normalise));
  runs_.push_back(std::make_unique<TrainingRun>(initial_, TrainingRun::Feedback::sg, initial_lambda_,
                                                config_.unit_normalise));
  for (auto& states : estimators_) {
    states.clear();
    for (int i = initial_.input_count; i < initial_.node_count; ++i)
      states.push_back(lambda_estimator_start(initial_lambda_[static_cast<std::size_t>(i)]));
  }
}

void DynamicsSession::reset() { restart(prober_ != nullptr); }

void DynamicsSession::restart(bool background_probes) {
  prober_.reset();  // drops the probes of the old run
  held_.clear();
  build_runs();
  recorder_.clear();
  steps_done_ = 0;
  diverged_at_ = {};
  make_prober(background_probes);
}

void DynamicsSession::set_background_probes(bool on) {
  if (on == (prober_ != nullptr)) return;
  if (steps_done_ > 0)
    restart(on);
  else
    make_prober(on);
}

void DynamicsSession::make_prober(bool on) {
  if (on && layout_->exact_available)
    prober_ = std::make_unique<ExactLambdaProber>(config_.exact_predictor, static_cast<double>(config_.batch_size),
                                                  config_.exact_max_outcome_bits);
  else
    prober_.reset();
}

std::int64_t DynamicsSession::step(std::int64_t count, const WorkControl* control) {
  std::int64_t done = 0;
  while (done < count && !finished()) {
    throw_if_cancelled(control);
    do_step();
    ++done;
    if (control != nullptr && control->on_progress && (steps_done_ % 64 == 0 || finished()))
      control->on_progress(static_cast<double>(steps_done_) / static_cast<double>(config_.steps));
  }
  if (finished()) complete_probes();
  return done;
}

void DynamicsSession::complete_probes() {
  while (prober_ != nullptr && prober_->outstanding() > 0) land_probes(true);
}

int DynamicsSession::diverged_count() const {
  return static_cast<int>(std::count_if(diverged_at_.begin(), diverged_at_.end(), [](std::int64_t s) { return s != 0; }));
}

// Steps every live run on this step's batch. A run whose loss or parameters
// come out non-finite is stopped at step s: an overflowing run only produces
// inf/NaN from then on, and the other runs do not depend on it.
bool DynamicsSession::step_runs(std::int64_t s) {
  bool newly_diverged = false;
  for (int r = 0; r < kTrainRunCount; ++r) {
    const auto rr = static_cast<std::size_t>(r);
    if (diverged_at_[rr] != 0) {
      record_.loss[rr] = kNaN;
      continue;
    }
    const double loss = runs_[rr]->step(batch_, config_.learning_rate, config_.predictor_learning_rate);
    record_.loss[rr] = loss;
    if (std::isfinite(loss) && runs_[rr]->state_finite()) continue;
    record_.loss[rr] = kNaN;
    diverged_at_[rr] = s;
    diverged_marks_[rr] = s;
    newly_diverged = true;
  }
  return newly_diverged;
}

void DynamicsSession::do_step() {
  const std::int64_t s = steps_done_ + 1;
  draw_train_batch(initial_, config_.seed, s, config_.batch_size, batch_);
  diverged_marks_ = {};
  // The step at which a run diverges is always recorded, so the records say where.
  const bool record = step_runs(s) || s % config_.record_every == 0;

  // Adaptive λ (THEORY.md §5) from this batch's per-sample gradient parts.
  TrainingRun& adaptive = *runs_[static_cast<std::size_t>(TrainRun::sg_adaptive)];
  const TrainingRun& fixed = *runs_[static_cast<std::size_t>(TrainRun::sg_fixed)];
  const bool fixed_live = diverged_at(TrainRun::sg_fixed) == 0;
  const bool adaptive_live = diverged_at(TrainRun::sg_adaptive) == 0;
  auto& node = record_.node;
  for (int slot = 0; slot < layout_->slots(); ++slot) {
    const auto ss = static_cast<std::size_t>(slot);
    const int i = layout_->node[ss];
    node[static_cast<std::size_t>(NodeSeries::predictor_error_fixed)][ss] = fixed_live ? fixed.predictor_error(i) : kNaN;
    node[static_cast<std::size_t>(NodeSeries::predictor_error_adaptive)][ss] =
        adaptive_live ? adaptive.predictor_error(i) : kNaN;
    node[static_cast<std::size_t>(NodeSeries::exact_lambda_star)][ss] = kNaN;
    if (!layout_->mixes[ss] || !adaptive_live) {
      for (NodeSeries f : {NodeSeries::lambda_adaptive, NodeSeries::lambda_batch, NodeSeries::lambda_batch_raw,
                           NodeSeries::v, NodeSeries::c, NodeSeries::b2, NodeSeries::lambda_paper,
                           NodeSeries::lambda_ratio, NodeSeries::lambda_bias_corrected})
        node[static_cast<std::size_t>(f)][ss] = kNaN;
      record_.clipped[ss] = 0;
      record_.degenerate[ss] = 0;
      continue;
    }
    update_lambda(slot, adaptive);
  }
  const bool probe = adaptive_live && layout_->exact_available && s % config_.exact_every == 0;
  if (probe) probe_exact(s, adaptive);
  for (int r = 0; r < kTrainRunCount; ++r) {
    const auto rr = static_cast<std::size_t>(r);
    const bool evaluate = config_.eval_every > 0 && s % config_.eval_every == 0 && diverged_at_[rr] == 0;
    record_.eval_loss[rr] = evaluate ? runs_[rr]->held_out_loss(held_out_) : kNaN;
  }
  steps_done_ = s;
  record_.step = s;
  commit_step(probe && prober_ != nullptr ? s : 0, record);
}

namespace {
void put_lambda_star(const std::vector<double>& star, const TrainLayout& layout, TrainStepRecord& record) {
  for (int slot = 0; slot < layout.slots(); ++slot)
    record.node[static_cast<std::size_t>(NodeSeries::exact_lambda_star)][static_cast<std::size_t>(slot)] =
        star[static_cast<std::size_t>(layout.node[static_cast<std::size_t>(slot)])];
}
}  // namespace

// Inline: λ* into this step's record now. In the background: the probe gets a
// copy of the network as step s left it (training waits only when
// kMaxProbesInFlight probes are already running).
void DynamicsSession::probe_exact(std::int64_t s, const TrainingRun& adaptive) {
  if (prober_ == nullptr) {
    put_lambda_star(exact_lambda_star(adaptive.network(), config_.exact_predictor,
                                      static_cast<double>(config_.batch_size), config_.exact_max_outcome_bits),
                    *layout_, record_);
    return;
  }
  while (prober_->outstanding() >= kMaxProbesInFlight) land_probes(true);
  prober_->submit(s, adaptive.network());
}

// Appends step s's record now, or holds it back while a probe is in flight for
// it or for an earlier step, so that records are appended in step order.
void DynamicsSession::commit_step(std::int64_t awaiting_probe, bool record) {
  if (held_.empty() && awaiting_probe == 0) {
    for (int r = 0; r < kTrainRunCount; ++r)
      if (diverged_marks_[static_cast<std::size_t>(r)] != 0)
        recorder_.mark_diverged(static_cast<TrainRun>(r), diverged_marks_[static_cast<std::size_t>(r)]);
    if (record) recorder_.append(record_);
    return;
  }
  const bool marks = std::any_of(diverged_marks_.begin(), diverged_marks_.end(), [](std::int64_t m) { return m != 0; });
  if (!record && awaiting_probe == 0 && !marks) {
    land_probes(false);
    return;
  }
  HeldStep held;
  held.append = record;
  if (record || awaiting_probe != 0) held.record = record_;
  held.diverged_marks = diverged_marks_;
  held.awaiting_probe = awaiting_probe;
  held_.push_back(std::move(held));
  land_probes(false);
}

// Puts the finished probes into their steps' records, then appends every held
// step up to the first one still waiting.
void DynamicsSession::land_probes(bool wait_for_one) {
  if (prober_ == nullptr) return;
  prober_->take_ready(landed_, wait_for_one);
  auto waiting = held_.begin();
  for (const ExactLambdaProber::Result& result : landed_) {
    while (waiting != held_.end() && waiting->awaiting_probe != result.step) ++waiting;
    if (waiting == held_.end()) throw Error("exact lambda* probe of step " + std::to_string(result.step) +
                                            " has no held record (internal error)");
    put_lambda_star(result.lambda_star, *layout_, waiting->record);
    waiting->awaiting_probe = 0;
  }
  while (!held_.empty() && held_.front().awaiting_probe == 0) {
    HeldStep& front = held_.front();
    for (int r = 0; r < kTrainRunCount; ++r)
      if (front.diverged_marks[static_cast<std::size_t>(r)] != 0)
        recorder_.mark_diverged(static_cast<TrainRun>(r), front.diverged_marks[static_cast<std::size_t>(r)]);
    if (front.append) recorder_.append(front.record);
    held_.pop_front();
  }
}

// Every estimator's update from this batch's ingredients (THEORY.md §5); the
// driving one's λ goes into the adaptive run.
void DynamicsSession::update_lambda(int slot, TrainingRun& adaptive) {
  const auto ss = static_cast<std::size_t>(slot);
  const int i = layout_->node[ss];
  auto& node = record_.node;
  adaptive.node_gradient_parts(i, w_, h_, &bp_);
  const double old_lambda = adaptive.lambda(i);
  const int dim = adaptive.network().parent_count(i) + 1;
  AdaptiveLambdaBatch batch = adaptive_lambda_batch(w_.data(), h_.data(), config_.batch_size, dim, old_lambda);
  batch.bias_term = downstream_bias_term(w_.data(), h_.data(), bp_.data(), config_.batch_size, dim);
  for (int e = 0; e < kLambdaEstimatorCount; ++e) {
    const double value = lambda_estimator_step(static_cast<LambdaEstimator>(e), estimators_[static_cast<std::size_t>(e)][ss],
                                               batch, config_.momentum);
    node[static_cast<std::size_t>(lambda_estimator_series(e))][ss] = value;
  }
  const double updated = estimators_[static_cast<std::size_t>(config_.lambda_estimator)][ss].lambda;
  adaptive.set_lambda(i, updated);
  node[static_cast<std::size_t>(NodeSeries::lambda_adaptive)][ss] = updated;
  node[static_cast<std::size_t>(NodeSeries::lambda_batch)][ss] = batch.lambda_batch;
  node[static_cast<std::size_t>(NodeSeries::lambda_batch_raw)][ss] = batch.degenerate ? kNaN : batch.raw;
  node[static_cast<std::size_t>(NodeSeries::v)][ss] = batch.v;
  node[static_cast<std::size_t>(NodeSeries::c)][ss] = batch.c;
  node[static_cast<std::size_t>(NodeSeries::b2)][ss] = batch.b2;
  record_.clipped[ss] = batch.clipped;
  record_.degenerate[ss] = batch.degenerate ? 1 : 0;
}

TrainRecords run_training(const dag::DagSpec& spec, const TrainConfig& config, const WorkControl* control) {
  DynamicsSession session(spec, config);
  session.step(config.steps, control);
  return session.snapshot();
}

}  // namespace sglab::dynamics
