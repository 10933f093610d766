// Mixing-dynamics lab (issue 5, THEORY.md §5): the three runs, the records,
// replay. Seeds are fixed and printed in the test names' messages.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "core/labs/scenario_files.hpp"
#include "core/dag/dag_spec_json.hpp"
#include "core/dynamics/dynamics_session.hpp"
#include "core/dynamics/train_config.hpp"
#include "core/util/error.hpp"

namespace sglab::dynamics {
namespace {

dag::DagSpec preset(const std::string& name) {
  return labs::load_dag_spec(std::string(SGLAB_SOURCE_DIR) + "/assets/presets/" + name);
}

TrainConfig small_config(std::uint64_t seed) {
  TrainConfig c;
  c.steps = 300;
  c.batch_size = 32;
  c.learning_rate = 0.1;
  c.predictor_learning_rate = 0.2;
  c.seed = seed;
  return c;
}

double network_weight(const DynamicsSession& s, TrainRun run, std::size_t e) {
  return s.run(run).network().weight[e];
}

// λ = 0 everywhere: eq 5 reduces to eq 4, and dag_synthetic_backprop uses the same
// products in the same order, so the SG runs must match BP bit for bit (losses and
// parameters), with and without dropout (T3) and with unit normalisation.
TEST(DynamicsSession, LambdaZeroSgIsBitIdenticalToBp) {
  for (const char* name : {"T2_noisy_feedback.json", "T3_stochastic_neurons.json", "T5_sparse.json"}) {
    for (bool unit : {false, true}) {
      TrainConfig c = small_config(11);
      c.fixed_lambda = 0.0;
      c.initial_lambda = 0.0;
      c.momentum = 1.0;  // keeps the adaptive run at λ = 0 too
      c.unit_normalise = unit;
      DynamicsSession session(preset(name), c);
      session.step(c.steps);
      const TrainRecords rec = session.snapshot();
      ASSERT_EQ(rec.size(), 300u);
      for (std::size_t r = 0; r < rec.size(); ++r) {
        ASSERT_EQ(rec.loss(TrainRun::sg_fixed, r), rec.loss(TrainRun::bp, r)) << name << " seed 11 step " << r;
        ASSERT_EQ(rec.loss(TrainRun::sg_adaptive, r), rec.loss(TrainRun::bp, r)) << name << " step " << r;
      }
      const auto& bp = session.run(TrainRun::bp).network();
      for (std::size_t e = 0; e < bp.weight.size(); ++e) {
        EXPECT_EQ(network_weight(session, TrainRun::sg_fixed, e), bp.weight[e]) << name << " edge " << e;
        EXPECT_EQ(network_weight(session, TrainRun::sg_adaptive, e), bp.weight[e]) << name << " edge " << e;
      }
      // The check can fail: training moved the weights and the loss.
      EXPECT_NE(bp.weight[0], dag::build_dag_network(preset(name)).weight[0]) << name;
    }
  }
}

// With λ = 0.5 the SG runs must differ from BP (guards the test above against a no-op).
TEST(DynamicsSession, LambdaHalfDiffersFromBp) {
  TrainConfig c = small_config(11);
  c.fixed_lambda = 0.5;
  c.steps = 50;
  DynamicsSession session(preset("T2_noisy_feedback.json"), c);
  session.step(c.steps);
  const TrainRecords rec = session.snapshot();
  EXPECT_NE(rec.loss(TrainRun::sg_fixed, 49), rec.loss(TrainRun::bp, 49));
}

// m = 1: λ ← 1·λ + 0·λ_batch, so λ never moves (THEORY.md §5), while λ_batch does.
TEST(DynamicsSession, MomentumOneFreezesLambda) {
  TrainConfig c = small_config(5);
  c.momentum = 1.0;
  c.initial_lambda = 0.3;
  DynamicsSession session(preset("T2_noisy_feedback.json"), c);
  session.step(c.steps);
  const TrainRecords rec = session.snapshot();
  bool batch_moved = false;
  for (int slot = 0; slot < rec.slots(); ++slot) {
    if (!rec.layout().mixes[static_cast<std::size_t>(slot)]) continue;
    for (std::size_t r = 0; r < rec.size(); ++r) {
      ASSERT_EQ(rec.value(NodeSeries::lambda_adaptive, r, slot), 0.3) << "seed 5 slot " << slot << " step " << r;
      batch_moved = batch_moved || rec.value(NodeSeries::lambda_batch, r, slot) != 0.3;
    }
    EXPECT_EQ(session.run(TrainRun::sg_adaptive).lambda(rec.layout().node[static_cast<std::size_t>(slot)]), 0.3);
  }
  EXPECT_TRUE(batch_moved);
}

// Same config ⇒ identical records, however the steps are split, and after reset().
TEST(DynamicsSession, ReplayIsExact) {
  TrainConfig c = small_config(21);
  c.exact_every = 25;
  c.record_every = 5;
  c.fixed_lambda = 0.7;
  c.initial_lambda = 0.2;
  const dag::DagSpec spec = preset("T3_stochastic_neurons.json");
  const TrainRecords whole = run_training(spec, c);
  ASSERT_EQ(whole.size(), 60u);
  DynamicsSession pieces(spec, c);
  for (std::int64_t k : {1, 7, 13, 100, 1000}) pieces.step(k);
  EXPECT_TRUE(pieces.finished());
  EXPECT_TRUE(identical_records(whole, pieces.snapshot()));
  pieces.reset();
  EXPECT_EQ(pieces.snapshot().size(), 0u);
  pieces.step(c.steps);
  EXPECT_TRUE(identical_records(whole, pieces.snapshot()));
  // Exact λ* present exactly on multiples of exact_every.
  const int slot = whole.slot_of_node(3);
  ASSERT_GE(slot, 0);
  for (std::size_t r = 0; r < whole.size(); ++r)
    EXPECT_EQ(std::isnan(whole.value(NodeSeries::exact_lambda_star, r, slot)), whole.step(r) % 25 != 0)
        << "step " << whole.step(r);
  // The check can fail: another seed gives other records.
  c.seed = 22;
  EXPECT_FALSE(identical_records(whole, run_training(spec, c)));
}

// A snapshot never changes after it is taken, even as the session runs on.
TEST(DynamicsSession, SnapshotIsImmutable) {
  TrainConfig c = small_config(3);
  c.steps = 600;  // crosses a chunk boundary (256 records)
  DynamicsSession session(preset("T2_noisy_feedback.json"), c);
  session.step(200);
  const TrainRecords early = session.snapshot();
  const std::vector<double> loss = early.loss_series(TrainRun::sg_adaptive);
  const std::vector<double> lambda = early.node_series(NodeSeries::lambda_adaptive, 0);
  session.step(400);
  EXPECT_EQ(early.size(), 200u);
  EXPECT_EQ(early.loss_series(TrainRun::sg_adaptive), loss);
  EXPECT_EQ(early.node_series(NodeSeries::lambda_adaptive, 0), lambda);
  EXPECT_EQ(session.snapshot().size(), 600u);
  EXPECT_EQ(session.snapshot().step(599), 600);
}

TEST(DynamicsSession, CancelStopsRunTraining) {
  std::atomic<bool> cancel{true};
  WorkControl control;
  control.cancel = &cancel;
  EXPECT_THROW(run_training(preset("T2_noisy_feedback.json"), small_config(1), &control), Cancelled);
}

// Learning happens: the BP loss on T2 falls (seed 1; the mean over the first and
// last 50 steps, to average out the batch noise).
TEST(DynamicsSession, TrainingReducesLoss) {
  TrainConfig c = small_config(1);
  c.steps = 1000;
  const TrainRecords rec = run_training(preset("T2_noisy_feedback.json"), c);
  for (TrainRun run : {TrainRun::bp, TrainRun::sg_fixed, TrainRun::sg_adaptive}) {
    double first = 0.0, last = 0.0;
    for (std::size_t r = 0; r < 50; ++r) {
      first += rec.loss(run, r);
      last += rec.loss(run, rec.size() - 1 - r);
    }
    EXPECT_LT(last, 0.5 * first) << train_run_name(run);
  }
}

}  // namespace
}  // namespace sglab::dynamics
