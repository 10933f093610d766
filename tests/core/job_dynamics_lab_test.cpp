// core/jobs, the mixing-dynamics engine (THEORY.md §5) on its JobRunner: step
// jobs give the core session's records bit for bit, reset replays them, a new
// configuration starts again from step 0 and the newest one wins, playing
// trains at most the asked steps per reported frame and pauses. Pure core.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "core/labs/scenario_files.hpp"
#include "core/dag/dag_spec_json.hpp"
#include "core/dynamics/dynamics_session.hpp"
#include "core/jobs/dynamics_lab_job.hpp"

namespace sglab::jobs {
namespace {

using namespace std::chrono_literals;

dag::DagSpec t2() {
  return labs::load_dag_spec(std::string(SGLAB_SOURCE_DIR) + "/assets/presets/T2_noisy_feedback.json");
}

dynamics::TrainConfig small_config() {
  dynamics::TrainConfig c;
  c.steps = 400;
  c.batch_size = 16;
  c.exact_every = 25;
  return c;
}

std::shared_ptr<const DynamicsLabSnapshot> settled(DynamicsLabEngine& engine) {
  EXPECT_TRUE(engine.runner().wait_idle(60s));
  return engine.latest();
}

TEST(DynamicsLabJob, StepJobsGiveTheSessionsRecordsAndResetReplaysThem) {
  DynamicsLabEngine engine;
  engine.configure(t2(), small_config());
  settled(engine);
  ASSERT_TRUE(engine.advance(30));
  settled(engine);
  ASSERT_TRUE(engine.advance(45));
  const auto first = settled(engine);
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->error.empty()) << first->error;
  EXPECT_EQ(first->steps_done, 75);
  dynamics::DynamicsSession session(t2(), small_config());
  session.step(75);
  EXPECT_TRUE(dynamics::identical_records(session.snapshot(), first->records));

  engine.reset();
  const auto zero = settled(engine);
  ASSERT_TRUE(zero);
  EXPECT_EQ(zero->steps_done, 0);
  ASSERT_TRUE(engine.advance(75));
  const auto again = settled(engine);
  EXPECT_TRUE(dynamics::identical_records(again->records, first->records));
}

TEST(DynamicsLabJob, TheNewestConfigurationWinsAndStartsFromStepZero) {
  DynamicsLabEngine engine;
  dynamics::TrainConfig c = small_config();
  for (int i = 1; i <= 15; ++i) {  // faster than the worker: most jobs are replaced
    c.momentum = 0.5 + 0.02 * i;
    engine.configure(t2(), c);
    engine.train(5);
  }
  c.momentum = 0.75;
  engine.configure(t2(), c);
  settled(engine);
  ASSERT_TRUE(engine.advance(20));
  const auto s = settled(engine);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->epoch, engine.epoch());
  EXPECT_EQ(s->steps_done, 20);
  dynamics::DynamicsSession session(t2(), c);
  session.step(20);
  EXPECT_TRUE(dynamics::identical_records(session.snapshot(), s->records));
}

TEST(DynamicsLabJob, PlayTrainsAtMostTheStepsPerFrameAndPauses) {
  DynamicsLabEngine engine;
  engine.configure(t2(), small_config());
  settled(engine);
  engine.play(6);
  int frames = 0;
  for (; frames < 8; ++frames) {
    engine.note_frame();
    std::this_thread::sleep_for(20ms);
  }
  engine.pause();
  const auto s = settled(engine);
  ASSERT_TRUE(s);
  EXPECT_FALSE(engine.playing());
  EXPECT_LE(s->steps_done, 6 * frames);
  dynamics::DynamicsSession session(t2(), small_config());
  session.step(s->steps_done);
  EXPECT_TRUE(dynamics::identical_records(session.snapshot(), s->records));
}

TEST(DynamicsLabJob, ARefusedConfigurationIsAnErrorSnapshot) {
  DynamicsLabEngine engine;
  dynamics::TrainConfig c = small_config();
  c.batch_size = 1;  // fewer than 2 samples: no batch variance
  engine.configure(t2(), c);
  const auto s = settled(engine);
  ASSERT_TRUE(s);
  EXPECT_FALSE(s->error.empty());
  EXPECT_EQ(s->steps_done, 0);
}

TEST(DynamicsLabJob, ANewerJobCancelsTheRunningOneWhichPublishesNothing) {
  DynamicsLabEngine engine;
  dynamics::TrainConfig config;
  config.steps = 10000000;
  config.record_every = 1000;  // keeps the records within their budget
  engine.configure(labs::load_dag_spec(std::string(SGLAB_SOURCE_DIR) + "/assets/presets/T2_noisy_feedback.json"),
                   config);
  ASSERT_TRUE(engine.runner().wait_idle(30s));
  ASSERT_TRUE(engine.latest());
  ASSERT_TRUE(engine.latest()->error.empty()) << engine.latest()->error;
  const std::uint64_t before = engine.version();
  engine.train(config.steps);  // minutes of work
  while (engine.runner().progress() <= 0.0) std::this_thread::sleep_for(1ms);
  engine.train(1);
  ASSERT_TRUE(engine.runner().wait_idle(30s));
  EXPECT_EQ(engine.runner().cancelled_jobs(), 1u);
  EXPECT_EQ(engine.version(), before + 1) << "only the newer job published";
  EXPECT_LT(engine.latest()->steps_done, config.steps);
  EXPECT_FALSE(engine.latest()->finished);
}

}  // namespace
}  // namespace sglab::jobs
