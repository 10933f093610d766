// Divergence (issue 10): a run whose loss or parameters go non-finite is stopped
// at that step and marked; the other runs go on; the CSV says where.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "core/dynamics/dynamics_session.hpp"
#include "core/dynamics/train_config.hpp"
#include "core/dynamics/train_records_csv.hpp"
#include "core/labs/scenario_files.hpp"

namespace sglab::dynamics {
namespace {

dag::DagSpec preset(const std::string& name) {
  return labs::load_dag_spec(std::string(SGLAB_SOURCE_DIR) + "/assets/presets/" + name);
}

// Seed 1, B = 16, learning rate 100 (the issue's `train --lr 100`): every run overflows.
TrainConfig exploding_config() {
  TrainConfig c;
  c.steps = 400;
  c.batch_size = 16;
  c.learning_rate = 100.0;
  c.seed = 1;
  return c;
}

TEST(DynamicsDivergence, OverflowingRunsStopAndAreMarked) {
  DynamicsSession session(preset("T2_noisy_feedback.json"), exploding_config());
  session.step(400);
  ASSERT_TRUE(session.finished());
  const TrainRecords records = session.snapshot();
  for (int r = 0; r < kTrainRunCount; ++r) {
    const auto run = static_cast<TrainRun>(r);
    const std::int64_t at = session.diverged_at(run);
    ASSERT_GT(at, 0) << train_run_name(run) << " should diverge at lr 100 (seed 1)";
    EXPECT_EQ(records.diverged_at(run), at);
    // Before: finite losses; from the divergence step on: NaN (blank cells), never inf.
    for (std::size_t i = 0; i < records.size(); ++i) {
      const double loss = records.loss(run, i);
      if (records.step(i) < at) EXPECT_TRUE(std::isfinite(loss)) << "step " << records.step(i);
      else EXPECT_TRUE(std::isnan(loss)) << "step " << records.step(i);
    }
  }
  // Every run dead: the session stops early instead of spinning to step 400.
  EXPECT_LT(session.steps_done(), 400);
  const std::string csv = train_records_csv(records);
  EXPECT_EQ(csv.find("inf"), std::string::npos);
  EXPECT_NE(csv.find("bp@" + std::to_string(session.diverged_at(TrainRun::bp))), std::string::npos);
}

TEST(DynamicsDivergence, OtherRunsGoOnAfterOneDiverges) {
  // The app-saved training scenario at lr 100 (seed and B from the file): BP
  // overflows a couple of steps before the SG runs.
  const config::Scenario scenario =
      labs::read_scenario(std::string(SGLAB_SOURCE_DIR) + "/tests/data/scenarios_v1/train_scenario.json");
  TrainConfig c = train_config_of(scenario);
  c.learning_rate = 100.0;
  c.steps = 400;
  DynamicsSession session(training_network(scenario, c), c);
  session.step(400);
  // The three runs overflow at different steps; the ones still alive keep finite losses.
  std::int64_t first = 400, last = 0;
  for (int r = 0; r < kTrainRunCount; ++r) {
    first = std::min(first, session.diverged_at(static_cast<TrainRun>(r)));
    last = std::max(last, session.diverged_at(static_cast<TrainRun>(r)));
  }
  ASSERT_LT(first, last) << "runs diverged together; pick another seed";
  const TrainRecords records = session.snapshot();
  bool alive_after_first = false;
  for (std::size_t i = 0; i < records.size(); ++i)
    if (records.step(i) > first)
      for (int r = 0; r < kTrainRunCount; ++r)
        alive_after_first |= std::isfinite(records.loss(static_cast<TrainRun>(r), i));
  EXPECT_TRUE(alive_after_first);
}

TEST(DynamicsDivergence, DivergenceStepIsRecordedWithSparseRecording) {
  TrainConfig c = exploding_config();
  c.record_every = 1000;  // would record nothing
  c.steps = 1000;
  DynamicsSession session(preset("T2_noisy_feedback.json"), c);
  session.step(1000);
  const TrainRecords records = session.snapshot();
  ASSERT_FALSE(records.empty());
  EXPECT_EQ(records.step(0), std::min({session.diverged_at(TrainRun::bp), session.diverged_at(TrainRun::sg_fixed),
                                       session.diverged_at(TrainRun::sg_adaptive)}));
}

TEST(DynamicsDivergence, StableRunHasEmptyDivergedColumn) {
  TrainConfig c = exploding_config();
  c.learning_rate = 0.05;
  c.steps = 50;
  DynamicsSession session(preset("T2_noisy_feedback.json"), c);
  session.step(50);
  EXPECT_EQ(session.diverged_count(), 0);
  const std::string csv = train_records_csv(session.snapshot());
  EXPECT_EQ(csv.find('@'), std::string::npos);
  const std::string first_row = csv.substr(csv.find('\n') + 1, csv.find('\n', csv.find('\n') + 1) - csv.find('\n') - 1);
  EXPECT_EQ(first_row.back(), ',');  // the diverged cell is empty
}

}  // namespace
}  // namespace sglab::dynamics
