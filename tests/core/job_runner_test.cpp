// core/jobs: the newest request wins, the UI never waits, snapshots are immutable.
// Pure core (no ImGui): runs in the headless, ASan and TSan builds.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "core/jobs/job_runner.hpp"

namespace sglab::jobs {
namespace {

using namespace std::chrono_literals;

TEST(JobRunner, RunsAJobAndReportsIt) {
  JobRunner runner;
  std::atomic<int> ran{0};
  const auto id = runner.post("one", [&](const JobContext& c) {
    c.set_progress(0.5);
    ran = 1;
  });
  EXPECT_EQ(id, 1u);
  ASSERT_TRUE(runner.wait_idle(5s));
  EXPECT_EQ(ran.load(), 1);
  EXPECT_EQ(runner.last_finished_id(), 1u);
  EXPECT_FALSE(runner.busy());
  EXPECT_TRUE(runner.last_error().empty());
}

TEST(JobRunner, NewerJobCancelsTheOlder) {
  JobRunner runner;
  std::atomic<bool> first_started{false}, first_saw_cancel{false}, second_ran{false};
  runner.post("slow", [&](const JobContext& c) {
    first_started = true;
    const auto until = std::chrono::steady_clock::now() + 10s;
    while (!c.cancelled() && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(1ms);
    first_saw_cancel = c.cancelled() && c.control().cancelled();
    c.throw_if_cancelled();  // the one way a job stops (core/util/cancelled.hpp)
  });
  while (!first_started) std::this_thread::sleep_for(1ms);
  const auto t0 = std::chrono::steady_clock::now();
  const auto second = runner.post("fast", [&](const JobContext&) { second_ran = true; });  // must not block
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 50ms);
  ASSERT_TRUE(runner.wait_idle(5s));
  EXPECT_TRUE(first_saw_cancel.load());
  EXPECT_TRUE(second_ran.load());
  EXPECT_EQ(runner.last_finished_id(), second);
  EXPECT_EQ(runner.cancelled_jobs(), 1u);
  EXPECT_TRUE(runner.last_error().empty()) << "a cancellation is not an error";
}

TEST(JobRunner, AJobIgnoringItsFlagIsNotCountedCancelled) {
  JobRunner runner;
  std::atomic<bool> started{false};
  runner.post("stubborn", [&](const JobContext&) {
    started = true;
    std::this_thread::sleep_for(30ms);
  });
  while (!started) std::this_thread::sleep_for(1ms);
  runner.post("next", [](const JobContext&) {});
  ASSERT_TRUE(runner.wait_idle(5s));
  EXPECT_EQ(runner.cancelled_jobs(), 0u);
}

TEST(JobRunner, PendingJobIsReplacedNotQueued) {
  JobRunner runner;
  std::atomic<bool> release{false};
  std::atomic<int> runs{0};
  runner.post("blocker", [&](const JobContext&) {
    while (!release) std::this_thread::sleep_for(1ms);
  });
  std::this_thread::sleep_for(20ms);
  for (int i = 0; i < 5; ++i) runner.post("burst", [&](const JobContext&) { ++runs; });
  release = true;
  ASSERT_TRUE(runner.wait_idle(5s));
  EXPECT_EQ(runs.load(), 1) << "only the newest of a burst of posts runs";
}

TEST(JobRunner, ExceptionBecomesAnErrorMessage) {
  JobRunner runner;
  runner.post("bad", [](const JobContext&) { throw std::runtime_error("expert.d: 99 is out of range"); });
  ASSERT_TRUE(runner.wait_idle(5s));
  EXPECT_NE(runner.last_error().find("expert.d"), std::string::npos);
  EXPECT_EQ(runner.last_finished_id(), 0u);
}

TEST(JobRunner, StageMapsProgress) {
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  std::atomic<double> progress{0.0};
  JobContext c(7, cancel, &progress);
  const WorkControl w = c.stage(0.5, 0.75);
  w.on_progress(0.5);
  EXPECT_DOUBLE_EQ(progress.load(), 0.625);
  cancel->store(true);
  EXPECT_TRUE(w.cancelled());
}

TEST(LatestSnapshot, PublishedResultsAreSharedImmutably) {
  LatestSnapshot<int> latest;
  EXPECT_EQ(latest.get(), nullptr);
  latest.publish(std::make_shared<const int>(3));
  const auto held = latest.get();
  latest.publish(std::make_shared<const int>(4));
  EXPECT_EQ(*held, 3);  // a reader's snapshot never changes under it
  EXPECT_EQ(*latest.get(), 4);
  EXPECT_EQ(latest.version(), 2u);
}

}  // namespace
}  // namespace sglab::jobs
