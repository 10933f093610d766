// run_steps_interleaved: every run gets exactly its steps, in order, never on
// two threads at once; finished runs stop; cancel and exceptions stop it.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/bandit/run_steps_scheduler.hpp"

namespace sglab::bandit {
namespace {

// One run's record: steps done, and whether a thread is inside its step now.
struct Probe {
  std::atomic<int> steps{0};
  std::atomic<int> inside{0};
  std::atomic<bool> overlapped{false};
};

void spin_for(std::chrono::microseconds d) {
  const auto end = std::chrono::steady_clock::now() + d;
  while (std::chrono::steady_clock::now() < end) {
  }
}

TEST(RunStepsScheduler, EveryRunGetsItsStepsOneThreadAtATime) {
  for (int threads : {1, 2, 3, 8}) {
    std::vector<Probe> probes(5);
    std::vector<ScheduledRun> runs(5);
    for (std::size_t i = 0; i < runs.size(); ++i) runs[i] = {static_cast<std::int64_t>(7 + 3 * i), 0.0, static_cast<int>(i)};
    const bool done = run_steps_interleaved(
        runs, threads,
        [&](std::size_t i) {
          Probe& p = probes[i];
          if (p.inside.fetch_add(1) != 0) p.overlapped = true;
          spin_for(std::chrono::microseconds(50 * static_cast<int>(i + 1)));  // unequal step costs
          p.steps.fetch_add(1);
          p.inside.fetch_sub(1);
          return false;
        },
        nullptr);
    EXPECT_TRUE(done);
    for (std::size_t i = 0; i < runs.size(); ++i) {
      SCOPED_TRACE("threads " + std::to_string(threads) + ", run " + std::to_string(i));
      EXPECT_EQ(probes[i].steps.load(), static_cast<int>(7 + 3 * i));
      EXPECT_FALSE(probes[i].overlapped.load());
      EXPECT_EQ(runs[i].steps_left, 0);
      EXPECT_GT(runs[i].seconds_per_step, 0.0);  // measured, for the next chunk
    }
  }
}

TEST(RunStepsScheduler, ARunThatFinishesGetsNoMoreSteps) {
  std::vector<ScheduledRun> runs{{10, 0.0, 0}, {10, 0.0, 1}};
  std::vector<int> steps(2, 0);
  run_steps_interleaved(
      runs, 2,
      [&](std::size_t i) {
        ++steps[i];
        return i == 0 && steps[i] == 3;  // run 0 ends after 3 steps
      },
      nullptr);
  EXPECT_EQ(steps[0], 3);
  EXPECT_EQ(steps[1], 10);
}

TEST(RunStepsScheduler, CancelStopsAndReportsIt) {
  std::atomic<bool> cancel{false};
  WorkControl control;
  control.cancel = &cancel;
  std::vector<ScheduledRun> runs{{1000, 0.0, 0}, {1000, 0.0, 1}, {1000, 0.0, 2}};
  std::atomic<int> steps{0};
  const bool done = run_steps_interleaved(
      runs, 2,
      [&](std::size_t) {
        if (steps.fetch_add(1) + 1 == 20) cancel = true;
        return false;
      },
      &control);
  EXPECT_FALSE(done);
  EXPECT_LT(steps.load(), 30);  // each thread finishes at most its current step
}

TEST(RunStepsScheduler, AnExceptionStopsEveryThreadAndReachesTheCaller) {
  std::vector<ScheduledRun> runs{{200, 0.0, 0}, {200, 0.0, 1}, {200, 0.0, 2}, {200, 0.0, 3}};
  std::atomic<int> steps{0};
  EXPECT_THROW(run_steps_interleaved(
                   runs, 2,
                   [&](std::size_t) -> bool {
                     if (steps.fetch_add(1) + 1 == 21) throw std::runtime_error("step failed");
                     spin_for(std::chrono::microseconds(20));
                     return false;
                   },
                   nullptr),
               std::runtime_error);
  // The other thread stops once the throwing one has flagged the failure (its
  // first throw unwinds for a few of these 20 µs steps): far fewer than the
  // 779 steps left, which it used to run before the exception got out.
  EXPECT_LT(steps.load(), 200);
}

// The order in which one thread steps `runs`.
std::vector<std::size_t> step_order(std::vector<ScheduledRun> runs) {
  std::vector<std::size_t> order;
  run_steps_interleaved(
      runs, 1,
      [&](std::size_t i) {
        order.push_back(i);
        return false;
      },
      nullptr);
  return order;
}

// The costliest work left goes first: a run measured as slow is stepped
// before a cheap one with as many steps left; before any measurement, the
// lower cost rank (the costlier method) goes first.
TEST(RunStepsScheduler, TheRunWithTheMostWorkLeftGoesFirst) {
  const auto measured = step_order({{2, 0.001, 0}, {2, 0.010, 1}});
  ASSERT_EQ(measured.size(), 4u);
  EXPECT_EQ(measured[0], 1u);
  const auto fresh = step_order({{2, 0.0, 3}, {2, 0.0, 1}, {2, 0.0, 2}});
  ASSERT_EQ(fresh.size(), 6u);
  EXPECT_EQ(fresh[0], 1u);
}

}  // namespace
}  // namespace sglab::bandit
