// core/jobs: the newest request wins, the UI never waits, snapshots are immutable.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>

#include "core/dag/dag_spec_json.hpp"
#include "core/jobs/dag_lab_job.hpp"
#include "core/jobs/dynamics_lab_job.hpp"
#include "core/jobs/expert_lab_job.hpp"
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

TEST(ExpertLabJob, StagesPublishAndAgreeWithTheory) {
  scenario::ExpertScenario s;  // case 1, d = 8, k = 3
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  std::atomic<double> progress{0.0};
  JobContext c(1, cancel, &progress);
  ExpertCellCache cache;
  std::vector<std::shared_ptr<const ExpertLabResult>> snaps;
  compute_expert_lab(s, 1, c, [&](std::shared_ptr<const ExpertLabResult> r) { snaps.push_back(r); }, &cache);
  ASSERT_GE(snaps.size(), 3u);
  const ExpertLabResult& r = *snaps.back();
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.stages_done, 3);
  EXPECT_EQ(r.state_err_bp.size(), 256u);
  EXPECT_EQ(r.expert_masks.size(), 5u);
  EXPECT_NEAR(r.theory.ratio(), 32.0, 1e-6);  // eq 23: exactly 2^(d−k)
  EXPECT_GT(r.ratio.ratio, 20.0);
  EXPECT_LT(r.ratio.ratio, 50.0);
  EXPECT_NEAR(r.lambda_star, 1.0, 1e-9);  // no leak: SG unbiased
  EXPECT_EQ(r.sweep_ks, (std::vector<int>{2, 3, 4}));
  EXPECT_EQ(r.n_cells.size(), lab_sweep_ns(s).size());
  // The stage-1 numbers are the n-sweep's cell at the chosen n (same trial streams).
  for (const auto& cell : r.n_cells)
    if (cell.n == s.n) {
      EXPECT_DOUBLE_EQ(cell.mse_bp, r.mse_bp);
    }
  // Per-state errors add up to the trial-mean MSEs.
  double sum_bp = 0;
  for (float v : r.state_err_bp) sum_bp += v;
  EXPECT_NEAR(sum_bp, r.mse_bp, 1e-4 * r.mse_bp);

  // A λ-only change reuses every sweep cell from the cache.
  const std::size_t cached = cache.size();
  s.lambda = 0.5;
  compute_expert_lab(s, 1, c, [](std::shared_ptr<const ExpertLabResult>) {}, &cache);
  EXPECT_EQ(cache.size(), cached);
}

// `exact`: bit for bit. The lab's current cell runs its trials one at a time at
// λ = ½ (for the per-state and per-λ views, expert_plan.hpp), where the sweep
// batches them: the same numbers up to the last bits.
void expect_same_cell(const expert::CellResult& lab, const expert::CellResult& cli, bool exact) {
  SCOPED_TRACE("d = " + std::to_string(cli.d) + ", k = " + std::to_string(cli.k) + ", n = " + std::to_string(cli.n));
  EXPECT_EQ(lab.d, cli.d);
  EXPECT_EQ(lab.k, cli.k);
  EXPECT_EQ(lab.n, cli.n);
  const auto same = [&](double a, double b, const char* what) {
    if (exact) {
      EXPECT_EQ(a, b) << what;
    } else {
      EXPECT_NEAR(a, b, 1e-12 * std::abs(b)) << what;
    }
  };
  same(lab.mse_bp, cli.mse_bp, "mse_bp");
  same(lab.mse_sg, cli.mse_sg, "mse_sg");
  same(lab.mse_mix, cli.mse_mix, "mse_mix");
  same(lab.se_bp, cli.se_bp, "se_bp");
  same(lab.se_sg, cli.se_sg, "se_sg");
  same(lab.ratio.ratio, cli.ratio.ratio, "ratio");
  same(lab.ratio.ci_low, cli.ratio.ci_low, "ci_low");
  same(lab.ratio.ci_high, cli.ratio.ci_high, "ci_high");
}

TEST(ExpertLabJob, CellsMatchTheCoreSweepExactly) {
  // The lab and the CLI sweep run the same plan (core/expert/expert_plan.hpp):
  // every cell the lab shows has the very numbers run_sweep gives for it.
  scenario::ExpertScenario s;
  s.d = 7;
  s.k = 2;
  s.noise_case = expert::NoiseCase::kPartial;
  s.leak = 0.05;
  s.lambda = 0.7;
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  std::atomic<double> progress{0.0};
  JobContext c(1, cancel, &progress);
  std::shared_ptr<const ExpertLabResult> last;
  compute_expert_lab(s, 2, c, [&](std::shared_ptr<const ExpertLabResult> r) { last = r; });
  ASSERT_TRUE(last && last->complete);
  expert::SweepConfig config;
  config.dims = {s.d};
  config.ks = {s.k};
  config.sample_sizes = lab_sweep_ns(s);
  config.cases = {s.noise_case};
  config.leak = s.leak;
  config.lambda = s.lambda;
  config.threads = 1;
  const expert::SweepResult n_sweep = expert::run_sweep(config);
  ASSERT_EQ(n_sweep.cells.size(), last->n_cells.size());
  for (std::size_t i = 0; i < n_sweep.cells.size(); ++i)
    expect_same_cell(last->n_cells[i], n_sweep.cells[i], n_sweep.cells[i].n != s.n);
  // The d-sweep, for every k the lab shows.
  ASSERT_FALSE(last->sweep_ks.empty());
  for (std::size_t ki = 0; ki < last->sweep_ks.size(); ++ki) {
    config.ks = {last->sweep_ks[ki]};
    config.dims = lab_sweep_dims(s, last->sweep_ks[ki]);
    config.sample_sizes = {s.n};
    const expert::SweepResult d_sweep = expert::run_sweep(config);
    ASSERT_EQ(d_sweep.cells.size(), last->d_cells[ki].size());
    for (std::size_t i = 0; i < d_sweep.cells.size(); ++i) {
      const bool current = d_sweep.cells[i].d == s.d && d_sweep.cells[i].k == s.k;
      expect_same_cell(last->d_cells[ki][i], d_sweep.cells[i], !current);
    }
  }
}

TEST(ExpertLabJob, SameNumbersWhateverTheThreadCount) {
  scenario::ExpertScenario s;
  s.d = 9;
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  std::atomic<double> progress{0.0};
  JobContext c(1, cancel, &progress);
  std::shared_ptr<const ExpertLabResult> one, three;
  compute_expert_lab(s, 1, c, [&](std::shared_ptr<const ExpertLabResult> r) { one = r; });
  compute_expert_lab(s, 3, c, [&](std::shared_ptr<const ExpertLabResult> r) { three = r; });
  ASSERT_TRUE(one && three);
  EXPECT_EQ(one->state_err_bp, three->state_err_bp);
  EXPECT_EQ(one->state_err_sg, three->state_err_sg);
  EXPECT_EQ(one->mse_bp, three->mse_bp);
  EXPECT_EQ(one->ratio.ci_high, three->ratio.ci_high);
}

TEST(ExpertLabJob, CancelStopsWithoutPublishing) {
  scenario::ExpertScenario s;
  s.d = 16;
  auto cancel = std::make_shared<std::atomic<bool>>(true);
  std::atomic<double> progress{0.0};
  JobContext c(1, cancel, &progress);
  int published = 0;
  EXPECT_THROW(compute_expert_lab(s, 1, c, [&](std::shared_ptr<const ExpertLabResult>) { ++published; }),
               Cancelled);
  EXPECT_EQ(published, 0);
}

// Cancelled while it runs (here: as soon as stage 1 is out), the job stops in
// the next stage and publishes nothing after the cancel.
TEST(ExpertLabJob, CancelMidwayStopsAndPublishesNothingStale) {
  scenario::ExpertScenario s;
  s.d = 10;
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  std::atomic<double> progress{0.0};
  JobContext c(1, cancel, &progress);
  std::vector<int> stages;
  EXPECT_THROW(compute_expert_lab(s, 1, c,
                                  [&](std::shared_ptr<const ExpertLabResult> r) {
                                    stages.push_back(r->stages_done);
                                    cancel->store(true);
                                  }),
               Cancelled);
  EXPECT_EQ(stages, std::vector<int>{1});
  EXPECT_LT(progress.load(), 1.0) << "the later stages did not run to the end";
}

TEST(DagLabJob, CancelMidwayStopsAndPublishesNothingStale) {
  DagLabRequest request;
  request.spec = dag::load_dag_scenario(std::string(SGLAB_SOURCE_DIR) + "/assets/presets/T2_noisy_feedback.json");
  request.sample_trials = 50;
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  std::atomic<double> progress{0.0};
  JobContext c(1, cancel, &progress);
  std::vector<int> stages;
  EXPECT_THROW(compute_dag_lab(request, 1, 1, c,
                               [&](std::shared_ptr<const DagLabResult> r) {
                                 stages.push_back(r->stages_done);
                                 cancel->store(true);  // before sample mode starts
                               }),
               Cancelled);
  EXPECT_EQ(stages, std::vector<int>{1}) << "the exact stage only: sample mode stopped at once";
  EXPECT_LE(progress.load(), 0.3 + 1e-12) << "no sample-mode point ran";

  auto precancelled = std::make_shared<std::atomic<bool>>(true);
  JobContext pre(2, precancelled, &progress);
  int published = 0;
  EXPECT_THROW(compute_dag_lab(request, 1, 1, pre, [&](std::shared_ptr<const DagLabResult>) { ++published; }),
               Cancelled);
  EXPECT_EQ(published, 0);
}

TEST(DynamicsLabJob, ANewerJobCancelsTheRunningOneWhichPublishesNothing) {
  DynamicsLabEngine engine;
  dynamics::TrainConfig config;
  config.steps = 10000000;
  config.record_every = 1000;  // keeps the records within their budget
  engine.configure(dag::load_dag_scenario(std::string(SGLAB_SOURCE_DIR) + "/assets/presets/T2_noisy_feedback.json"),
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

TEST(ExpertLabJob, LeakSweepsOnlyDimensionsAboveK) {
  scenario::ExpertScenario s;
  s.leak = 0.1;
  s.k = 4;
  for (int k : lab_sweep_ks(s))
    for (int d : lab_sweep_dims(s, k)) EXPECT_GT(d, k);
}

}  // namespace
}  // namespace sglab::jobs
