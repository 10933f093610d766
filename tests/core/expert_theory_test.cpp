// The expert network against THEORY.md §6: closed forms (Theorem 5 / eq 23),
// Monte Carlo within 5 SE of them, the leak extension and mixing.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/expert/closed_form.hpp"
#include "core/expert/expert_problem.hpp"
#include "core/expert/expert_sweep.hpp"
#include "core/expert/feedback_noise.hpp"
#include "core/expert/sweep_output.hpp"
#include "core/expert/trial_estimators.hpp"
#include "core/rng/counter_rng.hpp"
#include "core/stats/summary_stats.hpp"

namespace sglab::expert {
namespace {

const NoiseCase kAllCases[] = {NoiseCase::kNoisy, NoiseCase::kActivation, NoiseCase::kPartial};

// Eq 23: E[MSE_BP] / E[MSE_SG] = 2^{d−k} exactly, in every case and for any n.
TEST(ExpertTheory, ClosedFormRatioIsTwoToTheDMinusK) {
  const std::pair<int, int> dk[] = {{4, 2}, {6, 3}, {8, 3}, {9, 4}, {10, 2}, {5, 5}};
  for (const auto& [d, k] : dk) {
    const ExpertProblem problem = ExpertProblem::build({d, k, 5, 0.0, 7});
    for (NoiseCase c : kAllCases)
      for (int n : {1, 3}) {
        const ClosedForm cf = closed_form(problem, c, NoiseParams{}, n);
        EXPECT_NEAR(cf.ratio(), std::ldexp(1.0, d - k), 1e-9 * std::ldexp(1.0, d - k))
            << to_string(c) << " d=" << d << " k=" << k << " n=" << n;
        EXPECT_LT(cf.sg_bias2, 1e-12 * cf.mse_sg());  // zero up to rounding
        // Without leak SG is unbiased and pooled: λ* = 1 (THEORY.md §6,
        // mixing); with k = d nothing is pooled, SG ≡ BP and λ* is irrelevant (0).
        EXPECT_NEAR(cf.lambda_star(), d == k ? 0.0 : 1.0, 1e-12);
      }
  }
}

// The per-state Gram matrices have the distribution THEORY.md prescribes:
// with J_r i.i.d. N(0, 1/d), E[Q_r] = MᵀM, so E Q_r[i,j] = a_i·a_j over shared
// coordinates. Mean over the 2^12 states within 5 SE, entry by entry (seed 3).
TEST(ExpertTheory, GramMatricesHaveTheJacobianDistribution) {
  const ExpertProblem problem = ExpertProblem::build({12, 3, 4, 0.0, 3});
  std::vector<double> column(12 * 4, 0.0);  // M, d × m
  for (int j = 0; j < 4; ++j)
    for (int i = 0; i < 3; ++i)
      column[problem.coordinates(j)[i] * 4 + j] = problem.output_weights(j)[i];
  for (int a = 0; a < 4; ++a)
    for (int b = a; b < 4; ++b) {
      double expected = 0;
      for (int l = 0; l < 12; ++l) expected += column[l * 4 + a] * column[l * 4 + b];
      stats::RunningMoments q;
      for (std::size_t r = 0; r < problem.states(); ++r) q.add(problem.gram_entry(r, a, b));
      EXPECT_NEAR(q.mean(), expected, 5 * q.standard_error()) << "entry " << a << "," << b;
    }
}

TEST(ExpertTheory, ProblemIsIdenticalForAnyThreadCount) {
  const ExpertProblem one = ExpertProblem::build({11, 3, 5, 0.2, 9}, 1);
  const ExpertProblem two = ExpertProblem::build({11, 3, 5, 0.2, 9}, 2);
  for (std::size_t r = 0; r < one.states(); ++r) {
    for (int j = 0; j < 5; ++j) {
      ASSERT_EQ(one.key(r, j), two.key(r, j));
      ASSERT_EQ(one.clean_feedback(r, j), two.clean_feedback(r, j));
    }
    for (std::size_t e = 0; e < one.packed_size(); ++e)
      ASSERT_EQ(one.gram_packed(r)[e], two.gram_packed(r)[e]);
  }
}

TEST(ExpertTheory, KeysPoolTwoToTheDMinusKStates) {
  const ExpertProblem problem = ExpertProblem::build({9, 4, 3, 0.0, 1});
  for (int j = 0; j < 3; ++j) {
    std::vector<int> count(problem.keys_per_expert(), 0);
    for (std::size_t r = 0; r < problem.states(); ++r) ++count[problem.key(r, j)];
    for (int c : count) EXPECT_EQ(c, 32);
  }
}

struct MonteCarlo {
  stats::RunningMoments bp, sg, mix;
};

MonteCarlo simulate(const ExpertProblem& problem, const TrialSpec& spec, int trials,
                    std::uint64_t seed) {
  MonteCarlo mc;
  TrialScratch scratch;
  for (int t = 0; t < trials; ++t) {
    const TrialErrors e = run_trial(problem, spec, seed, rng::make_stream(500, {static_cast<std::uint64_t>(t)}), scratch);
    mc.bp.add(e.bp);
    mc.sg.add(e.sg);
    mc.mix.add(e.mix);
  }
  return mc;
}

// Monte Carlo MSE of BP, SG and the λ = 0.3 mixture within 5 SE of the closed
// forms, every case, two (d, k), 300 trials (seed 20261122).
TEST(ExpertTheory, MonteCarloMatchesClosedForms) {
  const std::uint64_t seed = 20261122;
  for (const auto& [d, k] : {std::pair<int, int>{7, 3}, {9, 2}}) {
    const ExpertProblem problem = ExpertProblem::build({d, k, 5, 0.0, seed});
    for (NoiseCase c : kAllCases) {
      TrialSpec spec;
      spec.noise_case = c;
      spec.n = 2;
      spec.lambda = 0.3;
      const MonteCarlo mc = simulate(problem, spec, 300, seed);
      const ClosedForm cf = closed_form(problem, c, spec.noise, spec.n);
      SCOPED_TRACE(std::string(to_string(c)) + " d=" + std::to_string(d) + " k=" + std::to_string(k) +
                   " seed=" + std::to_string(seed));
      EXPECT_NEAR(mc.bp.mean(), cf.mse_bp, 5 * mc.bp.standard_error());
      EXPECT_NEAR(mc.sg.mean(), cf.mse_sg(), 5 * mc.sg.standard_error());
      EXPECT_NEAR(mc.mix.mean(), cf.mse_at(0.3), 5 * mc.mix.standard_error());
    }
  }
}

// The sweep's Monte Carlo ratio lies within 5 bootstrap SE of 2^{d−k}, and
// 2^{d−k} lies in its 95% CI (200 trials, 500 resamples, seed 4).
TEST(ExpertTheory, SweepRatioMatchesTwoToTheDMinusK) {
  SweepConfig config;
  config.dims = {6, 9};
  config.ks = {2, 4};
  config.sample_sizes = {1, 3};
  config.trials = 200;
  config.seed = 4;
  const SweepResult result = run_sweep(config);
  ASSERT_EQ(result.cells.size(), 2u * 2u * 3u * 2u);
  int covered = 0;
  for (const CellResult& cell : result.cells) {
    const double target = std::ldexp(1.0, cell.d - cell.k);
    SCOPED_TRACE(std::string(to_string(cell.noise_case)) + " d=" + std::to_string(cell.d) +
                 " k=" + std::to_string(cell.k) + " n=" + std::to_string(cell.n));
    EXPECT_NEAR(cell.ratio.ratio, target, 5 * cell.ratio.se);
    EXPECT_NEAR(cell.theory.ratio(), target, 1e-9 * target);
    EXPECT_LE(cell.ratio.ci_low, cell.ratio.ratio);
    EXPECT_GE(cell.ratio.ci_high, cell.ratio.ratio);
    covered += (cell.ratio.ci_low <= target && target <= cell.ratio.ci_high) ? 1 : 0;
  }
  // A 95% interval covers the truth in most of the 24 cells: fewer than 18
  // would have probability < 1e-3 under correct coverage.
  EXPECT_GE(covered, 18);
}

// Leak ε breaks condition B: SG gains exactly the closed-form bias, λ* < 1,
// and BP overtakes SG beyond the crossover n (THEORY.md §6, Theorem 3).
TEST(ExpertTheory, LeakBiasesSyntheticGradients) {
  const std::uint64_t seed = 77;
  const ExpertProblem problem = ExpertProblem::build({8, 3, 5, 0.4, seed});
  for (NoiseCase c : kAllCases) {
    SCOPED_TRACE(std::string(to_string(c)) + " seed=77");
    const ClosedForm cf = closed_form(problem, c, NoiseParams{}, 4);
    EXPECT_GT(cf.sg_bias2, 0.0);
    EXPECT_LT(cf.lambda_star(), 1.0);
    EXPECT_GT(cf.lambda_star(), 0.0);
    TrialSpec spec;
    spec.noise_case = c;
    spec.n = 4;
    spec.lambda = cf.lambda_star();
    const MonteCarlo mc = simulate(problem, spec, 300, seed);
    // The bias is resolved: it exceeds 5 SE of the SG mean, and the MC SG
    // error matches variance + bias within 5 SE.
    EXPECT_GT(cf.sg_bias2, 5 * mc.sg.standard_error());
    EXPECT_NEAR(mc.sg.mean(), cf.mse_sg(), 5 * mc.sg.standard_error());
    EXPECT_NEAR(mc.mix.mean(), cf.mse_at(spec.lambda), 5 * mc.mix.standard_error());
    // λ* minimises the closed-form curve on a grid.
    for (double l = 0; l <= 1.0; l += 0.01) EXPECT_LE(cf.mse_at(cf.lambda_star()), cf.mse_at(l) + 1e-15);
    // Crossover: SG wins below n*, BP wins above it.
    const double n_star = crossover_n(problem, c, NoiseParams{});
    ASSERT_TRUE(std::isfinite(n_star));
    ASSERT_GT(n_star, 1.0);
    const auto below = static_cast<int>(std::floor(n_star * 0.5)) + 1;
    const auto above = static_cast<int>(std::ceil(n_star * 2.0));
    const ClosedForm lo = closed_form(problem, c, NoiseParams{}, below);
    const ClosedForm hi = closed_form(problem, c, NoiseParams{}, above);
    EXPECT_LT(lo.mse_sg(), lo.mse_bp);
    EXPECT_GT(hi.mse_sg(), hi.mse_bp);
  }
}

TEST(ExpertTheory, NoLeakMeansNoCrossover) {
  const ExpertProblem problem = ExpertProblem::build({6, 2, 3, 0.0, 1});
  EXPECT_TRUE(std::isinf(crossover_n(problem, NoiseCase::kNoisy, NoiseParams{})));
}

// λ = 0 is plain BP and λ = 1 plain SG, trial by trial.
TEST(ExpertTheory, MixtureEndpointsAreBpAndSg) {
  const ExpertProblem problem = ExpertProblem::build({7, 3, 5, 0.1, 2});
  TrialScratch scratch;
  TrialSpec spec;
  spec.lambda = 0.0;
  const TrialErrors at0 = run_trial(problem, spec, 2, 5, scratch);
  EXPECT_NEAR(at0.mix, at0.bp, 1e-12 * at0.bp);
  spec.lambda = 1.0;
  const TrialErrors at1 = run_trial(problem, spec, 2, 5, scratch);
  EXPECT_NEAR(at1.mix, at1.sg, 1e-12 * at1.sg);
  EXPECT_EQ(at0.bp, at1.bp);  // same stream, same noise
}

// Batching trials changes memory traffic, never numbers.
TEST(ExpertTheory, BatchedTrialsEqualSingleTrials) {
  const ExpertProblem problem = ExpertProblem::build({8, 3, 5, 0.0, 6});
  TrialSpec spec;
  spec.noise_case = NoiseCase::kActivation;
  spec.n = 3;
  const std::uint64_t streams[6] = {11, 12, 13, 14, 15, 16};
  TrialErrors batched[6];
  TrialScratch scratch;
  run_trial_batch(problem, spec, 6, streams, 6, scratch, batched);
  for (int t = 0; t < 6; ++t) {
    const TrialErrors single = run_trial(problem, spec, 6, streams[t], scratch);
    EXPECT_EQ(single.bp, batched[t].bp);
    EXPECT_EQ(single.sg, batched[t].sg);
    EXPECT_EQ(single.mix, batched[t].mix);
  }
}

// d = 16 is large enough for eight-trial items (2^16 states); with 12 trials
// the sweep makes 12 items of up to eight trials (3 cases x 2 n x 2), so 2
// threads keep them and 64 threads, far above 12, get four-trial items
// (expert_plan.cpp, choose_trials_per_item). The bytes must not notice.
TEST(ExpertTheory, SweepIsTheSameWhenManyThreadsSplitTrialsFiner) {
  SweepConfig config;
  config.dims = {16};
  config.ks = {4};
  config.sample_sizes = {1, 2};
  config.trials = 12;
  config.seed = 9;
  config.bootstrap_resamples = 50;
  const auto bits_of = [](const std::vector<double>& v) {
    std::vector<std::uint64_t> out(v.size());
    std::memcpy(out.data(), v.data(), v.size() * sizeof(double));
    return out;
  };
  config.threads = 1;
  const SweepResult eight = run_sweep(config);
  for (const int threads : {2, 64}) {
    config.threads = threads;
    const SweepResult other = run_sweep(config);
    ASSERT_EQ(other.cells.size(), eight.cells.size());
    EXPECT_EQ(summary_csv(other), summary_csv(eight)) << "threads " << threads;
    for (std::size_t c = 0; c < eight.cells.size(); ++c) {
      EXPECT_EQ(bits_of(other.cells[c].err_bp), bits_of(eight.cells[c].err_bp)) << "threads " << threads << " cell " << c;
      EXPECT_EQ(bits_of(other.cells[c].err_sg), bits_of(eight.cells[c].err_sg)) << "threads " << threads << " cell " << c;
      EXPECT_EQ(bits_of(other.cells[c].err_mix), bits_of(eight.cells[c].err_mix)) << "threads " << threads << " cell " << c;
    }
  }
}

// The one-pass path with per-key Gram sums (pooled_gram.hpp) and the
// two-pass path over per-state buffers agree to rounding, with and without leak.
TEST(ExpertTheory, PooledPathEqualsTwoPassPath) {
  for (double leak : {0.0, 0.3}) {
    const ExpertProblem problem = ExpertProblem::build({8, 3, 5, leak, 21});
    ASSERT_TRUE(problem.pooled().available);
    for (NoiseCase c : kAllCases) {
      TrialSpec spec;
      spec.noise_case = c;
      spec.n = 2;
      spec.lambda = 0.4;
      TrialScratch scratch;
      StateErrors per_state;
      const TrialErrors two_pass = run_trial(problem, spec, 21, 9, scratch, &per_state);
      const TrialErrors pooled = run_trial(problem, spec, 21, 9, scratch);
      SCOPED_TRACE(std::string(to_string(c)) + " leak=" + std::to_string(leak));
      EXPECT_NEAR(pooled.bp, two_pass.bp, 1e-10 * two_pass.bp);
      EXPECT_NEAR(pooled.sg, two_pass.sg, 1e-10 * two_pass.sg);
      EXPECT_NEAR(pooled.mix, two_pass.mix, 1e-10 * two_pass.mix);
    }
  }
}

// Per-state errors sum to the trial's errors (the state-pooling view's data).
TEST(ExpertTheory, PerStateErrorsSumToTrialErrors) {
  const ExpertProblem problem = ExpertProblem::build({6, 2, 4, 0.0, 8});
  TrialScratch scratch;
  StateErrors per_state;
  const TrialErrors e = run_trial(problem, TrialSpec{}, 8, 1, scratch, &per_state);
  const TrialErrors pooled = run_trial(problem, TrialSpec{}, 8, 1, scratch);
  EXPECT_NEAR(pooled.sg, e.sg, 1e-10 * e.sg);
  double bp = 0, sg = 0;
  for (std::size_t r = 0; r < problem.states(); ++r) {
    bp += per_state.bp[r];
    sg += per_state.sg[r];
  }
  EXPECT_NEAR(bp, e.bp, 1e-12 * e.bp);
  EXPECT_NEAR(sg, e.sg, 1e-12 * e.sg);
}

// Random sampling: with few draws some keys go unseen and the fallback
// matters; with many draws every key is seen and both fallbacks agree.
TEST(ExpertTheory, RandomSamplingFallback) {
  const ExpertProblem problem = ExpertProblem::build({8, 4, 3, 0.0, 12});
  TrialScratch scratch;
  TrialSpec spec;
  spec.sampling = Sampling::kRandom;
  spec.random_samples = 5;
  spec.fallback = Fallback::kZero;
  const TrialErrors few_zero = run_trial(problem, spec, 12, 3, scratch);
  spec.fallback = Fallback::kGlobalMean;
  const TrialErrors few_mean = run_trial(problem, spec, 12, 3, scratch);
  EXPECT_NE(few_zero.sg, few_mean.sg);
  EXPECT_EQ(few_zero.bp, few_mean.bp);
  spec.random_samples = 20000;
  const TrialErrors many_mean = run_trial(problem, spec, 12, 3, scratch);
  spec.fallback = Fallback::kZero;
  const TrialErrors many_zero = run_trial(problem, spec, 12, 3, scratch);
  EXPECT_EQ(many_zero.sg, many_mean.sg);
  // More samples: smaller errors for both estimators.
  EXPECT_LT(many_mean.bp, few_mean.bp);
  EXPECT_LT(many_mean.sg, few_mean.sg);
}

// The closed forms as first written: every per-(r, j) variance, class mean
// and leak term recomputed in one pass per call, with divisions by G and G².
ClosedForm closed_form_one_pass(const ExpertProblem& problem, NoiseCase c, const NoiseParams& noise, int n) {
  const std::size_t R = problem.states(), keys = problem.keys_per_expert();
  const int m = problem.m();
  const auto ms = static_cast<std::size_t>(m);
  const double G = static_cast<double>(problem.class_size());
  std::vector<double> var_sum(ms * keys, 0.0), delta_mean(ms * keys, 0.0), beta(ms);
  for (std::size_t r = 0; r < R; ++r)
    for (int j = 0; j < m; ++j) {
      const std::size_t slot = static_cast<std::size_t>(j) * keys + problem.key(r, j);
      var_sum[slot] += averaged_feedback_variance(c, noise, n, problem.clean_feedback(r, j), problem.alpha(j));
      delta_mean[slot] += problem.clean_feedback(r, j) / G;
    }
  ClosedForm out;
  for (std::size_t r = 0; r < R; ++r) {
    for (int j = 0; j < m; ++j) {
      const std::size_t slot = static_cast<std::size_t>(j) * keys + problem.key(r, j);
      const double qjj = problem.gram_entry(r, j, j);
      const double v = averaged_feedback_variance(c, noise, n, problem.clean_feedback(r, j), problem.alpha(j));
      out.mse_bp += qjj * v;
      out.sg_var += qjj * var_sum[slot] / (G * G);
      out.cross += qjj * v / G;
      beta[static_cast<std::size_t>(j)] = delta_mean[slot] - problem.clean_feedback(r, j);
    }
    out.sg_bias2 += problem.quadratic_form(r, beta.data());
  }
  const double inv_r2 = 1.0 / (static_cast<double>(R) * static_cast<double>(R));
  out.mse_bp *= inv_r2;
  out.sg_var *= inv_r2;
  out.cross *= inv_r2;
  out.sg_bias2 *= inv_r2;
  return out;
}

std::uint64_t bits(double x) {
  std::uint64_t b = 0;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

// closed_form with the shared noise-free base (class means and leak bias once
// per problem, per-expert variance sums, multiplies by 1/G and 1/G²) gives the
// one-pass form's bits: every case, n, m = 3, 5 (unrolled) and 7 (generic),
// with and without leak, k = d included (no pooled sums there).
TEST(ExpertTheory, ClosedFormFromBaseEqualsOnePassBitForBit) {
  const std::pair<int, int> dk[] = {{4, 2}, {7, 3}, {9, 9}, {10, 4}};
  NoiseParams noise;
  noise.sigma = 0.9;
  noise.p = 0.35;
  noise.tau = 1.7;
  for (const auto& [d, k] : dk)
    for (const int m : {3, 5, 7}) {
      for (const double leak : {0.0, 0.4}) {
        if (leak > 0 && k == d) continue;
        const ExpertProblem problem = ExpertProblem::build({d, k, m, leak, 19});
        const ClosedFormBase base = closed_form_base(problem);
        for (NoiseCase c : kAllCases)
          for (int n : {1, 2, 7}) {
            const ClosedForm want = closed_form_one_pass(problem, c, noise, n);
            const ClosedForm shared = closed_form(problem, base, c, noise, n);
            const ClosedForm alone = closed_form(problem, c, noise, n);
            for (const ClosedForm& got : {shared, alone}) {
              SCOPED_TRACE(testing::Message() << to_string(c) << " d=" << d << " k=" << k << " m=" << m
                                              << " leak=" << leak << " n=" << n);
              EXPECT_EQ(bits(got.mse_bp), bits(want.mse_bp));
              EXPECT_EQ(bits(got.sg_var), bits(want.sg_var));
              EXPECT_EQ(bits(got.cross), bits(want.cross));
              EXPECT_EQ(bits(got.sg_bias2), bits(want.sg_bias2));
            }
          }
      }
    }
}

}  // namespace
}  // namespace sglab::expert
