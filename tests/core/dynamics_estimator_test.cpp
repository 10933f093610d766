// The λ estimator variants (issue 11, lambda_estimator.hpp): where they must
// agree exactly, an exact identity between them, and the statistical property
// that justifies the ratio-of-averages variant (THEORY.md §5).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include "core/dynamics/lambda_estimator.hpp"
#include "core/rng/counter_rng.hpp"

namespace sglab::dynamics {
namespace {

// w_k ~ N(0, 1), u_k = −ρ w_k + η_k + β with η_k ~ N(0, σ²), h_k = w_k + u_k (dim 1).
// The propagated part is unbiased, so λ*(n = B) of eq 18 is exactly
//   [−Cov(w, u)/B] / [Var(u)/B + β²] = (ρ/B) / ((ρ² + σ²)/B + β²).
struct Synthetic {
  double rho, sigma, beta;
  int batch;
  double lambda_star() const {
    const double b = batch;
    return (rho / b) / ((rho * rho + sigma * sigma) / b + beta * beta);
  }
  AdaptiveLambdaBatch draw(rng::StreamReader& reader, double old_lambda) const {
    std::vector<double> w(static_cast<std::size_t>(batch)), h(w.size());
    for (std::size_t k = 0; k < w.size(); ++k) {
      w[k] = reader.next_normal();
      h[k] = w[k] + (-rho * w[k] + sigma * reader.next_normal() + beta);
    }
    return adaptive_lambda_batch(w.data(), h.data(), batch, 1, old_lambda);
  }
};

TEST(DynamicsLambdaEstimator, NamesRoundTrip) {
  for (int e = 0; e < kLambdaEstimatorCount; ++e) {
    LambdaEstimator back = LambdaEstimator::paper;
    ASSERT_TRUE(lambda_estimator_from_name(lambda_estimator_name(static_cast<LambdaEstimator>(e)), back));
    EXPECT_EQ(static_cast<int>(back), e);
  }
  LambdaEstimator unused{};
  EXPECT_FALSE(lambda_estimator_from_name("average", unused));
}

// Momentum 0: both are this batch's clamp(−c / (v + b²)), bit for bit, including clipped batches.
TEST(DynamicsLambdaEstimator, MomentumZeroBothEqualTheBatchPlugIn) {
  const Synthetic model{1.0, 1.0, 0.3, 4};  // small β: many batches clip at 0 or 1
  rng::StreamReader reader(11, rng::make_stream(0xE57, {1}));
  LambdaEstimatorState paper = lambda_estimator_start(0.5), ratio = lambda_estimator_start(0.5);
  int clipped = 0;
  for (int t = 0; t < 500; ++t) {
    const AdaptiveLambdaBatch batch = model.draw(reader, paper.lambda);
    ASSERT_FALSE(batch.degenerate);
    clipped += batch.clipped != 0;
    EXPECT_EQ(lambda_estimator_step(LambdaEstimator::paper, paper, batch, 0.0), batch.lambda_batch);
    EXPECT_EQ(lambda_estimator_step(LambdaEstimator::ratio, ratio, batch, 0.0), batch.lambda_batch);
  }
  EXPECT_GT(clipped, 10);  // the case covers the clamp
}

// Constant denominator D, numerators inside (0, D) (no clamping): the paper's
// λ_t = m^t λ0 + (1 − m) Σ_k m^{t−k} num_k / D, and the ratio's
// N_t / D_t = (1 − m) Σ_k m^{t−k} num_k / ((1 − m^t) D), so
//   ratio_t = (paper_t − m^t λ0) / (1 − m^t)      exactly (up to rounding).
// Swapping m and 1 − m, averaging the clamped ratios, or keeping λ0 in the
// ratio all break it.
TEST(DynamicsLambdaEstimator, ConstantDenominatorExactIdentity) {
  const double m = 0.8, lambda0 = 0.9, D = 2.0;
  LambdaEstimatorState paper = lambda_estimator_start(lambda0), ratio = lambda_estimator_start(lambda0);
  double mt = 1.0;
  for (int t = 1; t <= 30; ++t) {
    AdaptiveLambdaBatch batch;
    const double num = D * (0.1 + 0.8 * std::fabs(std::sin(1.7 * t)));  // in (0.2, 1.8) ⊂ (0, D)
    batch.c = -num;
    batch.v = 0.5;
    batch.b2 = D - 0.5;
    batch.raw = num / D;
    batch.lambda_batch = batch.raw;
    lambda_estimator_step(LambdaEstimator::paper, paper, batch, m);
    lambda_estimator_step(LambdaEstimator::ratio, ratio, batch, m);
    mt *= m;
    EXPECT_NEAR(ratio.lambda, (paper.lambda - mt * lambda0) / (1.0 - mt), 1e-13) << "t = " << t;
  }
  // After the first batch the ratio has forgotten λ0: its value is that batch's plug-in.
  LambdaEstimatorState fresh = lambda_estimator_start(lambda0);
  AdaptiveLambdaBatch first;
  first.c = -0.6;
  first.v = 0.5;
  first.b2 = 1.5;
  first.lambda_batch = 0.3;
  EXPECT_NEAR(lambda_estimator_step(LambdaEstimator::ratio, fresh, first, m), 0.3, 1e-15);
  // m = 1 freezes both; a degenerate batch leaves both unchanged.
  LambdaEstimatorState frozen = lambda_estimator_start(0.25);
  EXPECT_EQ(lambda_estimator_step(LambdaEstimator::ratio, frozen, first, 1.0), 0.25);
  EXPECT_EQ(lambda_estimator_step(LambdaEstimator::paper, frozen, first, 1.0), 0.25);
  AdaptiveLambdaBatch degenerate = first;
  degenerate.degenerate = true;
  degenerate.lambda_batch = 0.25;
  LambdaEstimatorState kept = ratio;
  EXPECT_EQ(lambda_estimator_step(LambdaEstimator::ratio, kept, degenerate, m), ratio.lambda);
  EXPECT_EQ(kept.numerator, ratio.numerator);
}

// A small batch (B = 4) makes v + b² noisy and λ* small, so many batch ratios
// clip at 0: the average of clamped ratios (paper) is biased upward, while the
// ratio of averages converges to λ*(n = B) (its only biases: the finite window,
// O(1/window) relative, and b²'s max(·, 0), negligible at β = 3 where ū < 0.7
// is a 3σ event). Time averages over 400 000 batches; standard errors from 200
// block means (blocks of 2 000 steps, 20× the momentum window).
TEST(DynamicsLambdaEstimator, RatioOfAveragesIsConsistentWhereThePaperRuleIsBiased) {
  const Synthetic model{1.0, 1.0, 3.0, 4};
  const double star = model.lambda_star();
  const std::uint64_t seed = 20261127;
  std::printf("seed %llu, lambda*(n = 4) = %.6f\n", static_cast<unsigned long long>(seed), star);
  rng::StreamReader reader(seed, rng::make_stream(0xE57, {2}));
  const double m = 0.99;
  LambdaEstimatorState paper = lambda_estimator_start(star), ratio = lambda_estimator_start(star);
  constexpr int kBurnIn = 2000, kBlocks = 200, kBlock = 2000;
  for (int t = 0; t < kBurnIn; ++t) {
    const AdaptiveLambdaBatch batch = model.draw(reader, paper.lambda);
    lambda_estimator_step(LambdaEstimator::paper, paper, batch, m);
    lambda_estimator_step(LambdaEstimator::ratio, ratio, batch, m);
  }
  std::vector<double> paper_blocks, ratio_blocks;
  for (int b = 0; b < kBlocks; ++b) {
    double sp = 0.0, sr = 0.0;
    for (int t = 0; t < kBlock; ++t) {
      const AdaptiveLambdaBatch batch = model.draw(reader, paper.lambda);
      sp += lambda_estimator_step(LambdaEstimator::paper, paper, batch, m);
      sr += lambda_estimator_step(LambdaEstimator::ratio, ratio, batch, m);
    }
    paper_blocks.push_back(sp / kBlock);
    ratio_blocks.push_back(sr / kBlock);
  }
  auto mean_se = [](const std::vector<double>& x) {
    double mean = 0.0, ss = 0.0;
    for (double v : x) mean += v;
    mean /= static_cast<double>(x.size());
    for (double v : x) ss += (v - mean) * (v - mean);
    return std::make_pair(mean, std::sqrt(ss / static_cast<double>(x.size() - 1) / static_cast<double>(x.size())));
  };
  const auto [paper_mean, paper_se] = mean_se(paper_blocks);
  const auto [ratio_mean, ratio_se] = mean_se(ratio_blocks);
  std::printf("paper %.6f ± %.6f, ratio %.6f ± %.6f\n", paper_mean, paper_se, ratio_mean, ratio_se);
  // Window bias allowance: 1 % of λ* (the O(1/window) term is ~0.1 % here).
  EXPECT_LT(std::fabs(ratio_mean - star), 5.0 * ratio_se + 0.01 * star);
  EXPECT_GT(paper_mean - star, 5.0 * paper_se + 0.01 * star);  // biased upward by the clamp at 0
}

// eq 18's bias term (E a − μ)·(E a − E b) = −E e · E u, e = w − g, u = h − w:
// zero when the propagated part equals BP sample by sample; −δ·ū exactly when it
// is BP shifted by a constant δ (then S(e, u) = 0); and the covariance correction
// on a hand-made batch: e = (1, 3), u = (1, −1) ⇒ ē·ū = 0, S(e, u) = −2, B = 2 ⇒ term = −(0 + 1) = −1.
TEST(DynamicsLambdaEstimator, DownstreamBiasTermOnHandMadeBatches) {
  const double w[] = {0.5, -1.0, 2.0, 0.25}, h[] = {1.5, 0.0, 1.0, 2.25};
  EXPECT_EQ(downstream_bias_term(w, h, w, 4, 1), 0.0);
  const double shifted[] = {0.3, -1.2, 1.8, 0.05};  // g = w − 0.2
  const double mean_u = (1.0 + 1.0 - 1.0 + 2.0) / 4.0;
  EXPECT_NEAR(downstream_bias_term(w, h, shifted, 4, 1), -0.2 * mean_u, 1e-15);
  const double w2[] = {1.0, 3.0}, g2[] = {0.0, 0.0}, h2[] = {2.0, 2.0};
  EXPECT_NEAR(downstream_bias_term(w2, h2, g2, 2, 1), -1.0, 1e-15);
  // The bias-corrected estimator adds it to −c; the others ignore it.
  AdaptiveLambdaBatch batch;
  batch.c = -0.2;
  batch.v = 0.5;
  batch.b2 = 0.5;
  batch.lambda_batch = 0.2;
  batch.bias_term = 0.3;
  LambdaEstimatorState ratio = lambda_estimator_start(0.0), corrected = lambda_estimator_start(0.0);
  EXPECT_NEAR(lambda_estimator_step(LambdaEstimator::ratio, ratio, batch, 0.5), 0.2, 1e-15);
  EXPECT_NEAR(lambda_estimator_step(LambdaEstimator::bias_corrected, corrected, batch, 0.5), 0.5, 1e-15);
}

}  // namespace
}  // namespace sglab::dynamics
