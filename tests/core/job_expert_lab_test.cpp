// core/jobs, the expert lab's job (THEORY.md §6): its stages agree with the
// closed forms and with the CLI's sweep, a λ-only change is served from the
// cache, results do not depend on the thread count, and it runs through the
// JobRunner (newest request wins, a shared cache across jobs). Pure core.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <vector>

#include "core/expert/closed_form.hpp"
#include "core/jobs/expert_lab_job.hpp"
#include "core/jobs/job_runner.hpp"
#include "core/util/cancelled.hpp"

namespace sglab::jobs {
namespace {

using namespace std::chrono_literals;

TEST(ExpertLabJob, StagesPublishAndAgreeWithTheory) {
  expert::ExpertScenario s;  // case 1, d = 8, k = 3
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
  // The measured ratio, MSE_BP and MSE_SG against their closed forms, each
  // within 5 of its own standard errors (the ratio's: its paired bootstrap SE).
  std::printf("[ seed ] expert lab default scenario, seed %llu, trials %d: ratio %.3f +- %.3f, BP %.4g +- %.2g "
              "(theory %.4g), SG %.4g +- %.2g (theory %.4g)\n",
              static_cast<unsigned long long>(s.seed), s.trials, r.ratio.ratio, r.ratio.se, r.mse_bp, r.se_bp,
              r.theory.mse_bp, r.mse_sg, r.se_sg, r.theory.mse_sg());
  ASSERT_GT(r.ratio.se, 0.0);
  EXPECT_LE(std::abs(r.ratio.ratio - 32.0), 5.0 * r.ratio.se);
  EXPECT_LE(std::abs(r.mse_bp - r.theory.mse_bp), 5.0 * r.se_bp);
  EXPECT_LE(std::abs(r.mse_sg - r.theory.mse_sg()), 5.0 * r.se_sg);
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

  // A λ-only change reuses every sweep cell from the cache: every look-up of
  // the second run (stage 2: each n but the chosen one; stage 3: each (d, k))
  // is a hit, nothing new is stored, and the reused cells are the same numbers.
  const std::size_t cached = cache.size();
  const std::size_t hits_before = cache.hits();
  std::size_t lookups = lab_sweep_ns(s).size() - 1;
  for (int k : lab_sweep_ks(s)) lookups += lab_sweep_dims(s, k).size();
  s.lambda = 0.5;
  std::shared_ptr<const ExpertLabResult> again;
  compute_expert_lab(s, 1, c, [&](std::shared_ptr<const ExpertLabResult> next) { again = next; }, &cache);
  ASSERT_TRUE(again && again->complete);
  EXPECT_EQ(cache.hits() - hits_before, lookups) << "every cell of the λ-only change came from the cache";
  EXPECT_EQ(cache.size(), cached);
  ASSERT_EQ(again->d_cells.size(), r.d_cells.size());
  for (std::size_t ki = 0; ki < r.d_cells.size(); ++ki) {
    ASSERT_EQ(again->d_cells[ki].size(), r.d_cells[ki].size());
    for (std::size_t di = 0; di < r.d_cells[ki].size(); ++di)
      EXPECT_EQ(again->d_cells[ki][di].mse_sg, r.d_cells[ki][di].mse_sg);
  }
  EXPECT_NE(again->mse_mix, r.mse_mix) << "λ itself did change the mixture";
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

// The dense closed-form curves against n are scaled from the closed form at
// n = 1 (variances ∝ 1/n, leak bias constant): they equal closed_form(n) up to
// rounding in every noise case, with and without leak; so do the crossover and
// the chosen n's closed form.
TEST(ExpertLabJob, DenseNCurvesEqualTheClosedFormAtEachN) {
  for (const auto noise_case : {expert::NoiseCase::kNoisy, expert::NoiseCase::kActivation, expert::NoiseCase::kPartial})
    for (const double leak : {0.0, 0.1}) {
      SCOPED_TRACE(static_cast<int>(noise_case));
      SCOPED_TRACE(leak);
      expert::ExpertScenario s;
      s.d = 7;
      s.noise_case = noise_case;
      s.leak = leak;
      s.n = 2;
      auto cancel = std::make_shared<std::atomic<bool>>(false);
      std::atomic<double> progress{0.0};
      JobContext c(1, cancel, &progress);
      ExpertCellCache cache;
      std::shared_ptr<const ExpertLabResult> last;
      compute_expert_lab(s, 1, c, [&](std::shared_ptr<const ExpertLabResult> r) { last = r; }, &cache);
      ASSERT_TRUE(last && last->complete);
      const auto problem = cache.problem({s.d, s.k, s.m, s.leak, s.seed}, 1, nullptr);
      ASSERT_GE(last->n_theory_grid.size(), 15u);
      for (std::size_t i = 0; i < last->n_theory_grid.size(); ++i) {
        const int n = static_cast<int>(last->n_theory_grid[i]);
        const expert::ClosedForm cf = expert::closed_form(*problem, s.noise_case, s.noise, n);
        EXPECT_NEAR(last->n_theory_bp[i], cf.mse_bp, 1e-12 * cf.mse_bp) << "n = " << n;
        EXPECT_NEAR(last->n_theory_sg[i], cf.mse_sg(), 1e-12 * cf.mse_sg()) << "n = " << n;
      }
      const expert::ClosedForm at_n = expert::closed_form(*problem, s.noise_case, s.noise, s.n);
      EXPECT_EQ(last->theory.mse_bp, at_n.mse_bp);
      EXPECT_EQ(last->theory.mse_sg(), at_n.mse_sg());
      EXPECT_EQ(last->crossover_n, expert::crossover_n(*problem, s.noise_case, s.noise));
    }
}

TEST(ExpertLabJob, CellsMatchTheCoreSweepExactly) {
  // The lab and the CLI sweep run the same plan (core/expert/expert_plan.hpp):
  // every cell the lab shows has the very numbers run_sweep gives for it.
  expert::ExpertScenario s;
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
  expert::ExpertScenario s;
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
  expert::ExpertScenario s;
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
  expert::ExpertScenario s;
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

TEST(ExpertLabJob, LeakSweepsOnlyDimensionsAboveK) {
  expert::ExpertScenario s;
  s.leak = 0.1;
  s.k = 4;
  for (int k : lab_sweep_ks(s))
    for (int d : lab_sweep_dims(s, k)) EXPECT_GT(d, k);
}

// The lab's way: jobs on the runner's worker, one cache shared across them,
// parallel cells inside each job; a burst of knob changes ends with the last.
TEST(ExpertLabJob, RunsOnTheJobRunnerAndTheNewestRequestWins) {
  ExpertCellCache cache;
  LatestSnapshot<ExpertLabResult> latest;
  JobRunner runner;  // last: joins its worker before the cache and snapshot go
  expert::ExpertScenario s;
  s.d = 6;
  s.trials = 50;  // small: the d-sweep still reaches d = 12, and this also runs under TSan
  const auto post = [&](const expert::ExpertScenario& scenario) {
    return runner.post("expert", [scenario, &cache, &latest](const JobContext& context) {
      compute_expert_lab(scenario, 2, context,
                         [&latest](std::shared_ptr<const ExpertLabResult> r) { latest.publish(std::move(r)); },
                         &cache);
    });
  };
  std::uint64_t last = 0;
  for (int i = 0; i < 4; ++i) {
    s.lambda = 0.2 * i;
    s.k = 2 + i % 2;
    last = post(s);
  }
  ASSERT_TRUE(runner.wait_idle(120s));
  EXPECT_TRUE(runner.last_error().empty()) << runner.last_error();
  EXPECT_EQ(runner.last_finished_id(), last);
  const auto r = latest.get();
  ASSERT_TRUE(r && r->complete);
  EXPECT_EQ(r->scenario.k, s.k);
  EXPECT_DOUBLE_EQ(r->scenario.lambda, s.lambda);
  // The job's numbers are those of a direct run with a fresh cache and one thread.
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  std::atomic<double> progress{0.0};
  JobContext c(1, cancel, &progress);
  std::shared_ptr<const ExpertLabResult> direct;
  compute_expert_lab(s, 1, c, [&](std::shared_ptr<const ExpertLabResult> x) { direct = x; });
  ASSERT_TRUE(direct);
  EXPECT_EQ(r->mse_bp, direct->mse_bp);
  EXPECT_EQ(r->mse_mix, direct->mse_mix);
  EXPECT_EQ(r->state_err_sg, direct->state_err_sg);
  ASSERT_EQ(r->d_cells.size(), direct->d_cells.size());
  for (std::size_t ki = 0; ki < r->d_cells.size(); ++ki) {
    ASSERT_EQ(r->d_cells[ki].size(), direct->d_cells[ki].size());
    for (std::size_t di = 0; di < r->d_cells[ki].size(); ++di)
      EXPECT_EQ(r->d_cells[ki][di].mse_bp, direct->d_cells[ki][di].mse_bp);
  }
}

}  // namespace
}  // namespace sglab::jobs
