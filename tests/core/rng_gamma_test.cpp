// The Gamma sampler (core/rng/gamma_sampler.hpp) and the budgeted word source
// (core/rng/budgeted_words.hpp) that the expert build's Bartlett draws use.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/rng/budgeted_words.hpp"
#include "core/rng/counter_rng.hpp"
#include "core/rng/gamma_sampler.hpp"
#include "core/util/error.hpp"

namespace sglab::rng {
namespace {

// Sample mean and variance, with their standard errors from the sample itself
// (SE of the variance from the fourth central moment).
struct SampleMoments {
  double mean = 0, variance = 0, mean_se = 0, variance_se = 0;
  explicit SampleMoments(const std::vector<double>& x) {
    const double n = static_cast<double>(x.size());
    for (double v : x) mean += v;
    mean /= n;
    double m2 = 0, m4 = 0;
    for (double v : x) {
      const double e = (v - mean) * (v - mean);
      m2 += e;
      m4 += e * e;
    }
    variance = m2 / (n - 1);
    m4 /= n;
    mean_se = std::sqrt(variance / n);
    variance_se = std::sqrt(std::max(m4 - (m2 / n) * (m2 / n), 0.0) / n);
  }
};

std::vector<double> gamma_sample(double shape, std::uint64_t seed, std::size_t count) {
  const GammaSampler gamma(shape);
  StreamReader reader(seed, make_stream(41, {static_cast<std::uint64_t>(shape * 1000)}));
  auto words = [&reader] { return reader.next_word(); };
  const ZigguratTables& tables = ZigguratTables::instance();
  std::vector<double> x(count);
  for (double& v : x) v = gamma(words, tables);
  return x;
}

// Gamma(a, 1): mean a, variance a. 200 000 draws per shape, within 5 SE
// (seed 20261128), from the boosted ½ (a χ² with one degree of freedom, the
// expert build's smallest) through the squeeze-dominated large shapes.
TEST(RngGamma, MeanAndVarianceMatchTheShape) {
  const std::uint64_t seed = 20261128;
  std::printf("seed %llu\n", static_cast<unsigned long long>(seed));
  for (const double shape : {0.5, 0.8, 1.0, 1.5, 2.5, 4.0, 10.0, 50.0}) {
    const std::vector<double> x = gamma_sample(shape, seed, 200000);
    for (double v : x) ASSERT_TRUE(v > 0 && std::isfinite(v)) << "shape " << shape << ": " << v;
    const SampleMoments s(x);
    EXPECT_NEAR(s.mean, shape, 5 * s.mean_se) << "shape " << shape;
    EXPECT_NEAR(s.variance, shape, 5 * s.variance_se) << "shape " << shape;
  }
}

// ψ and ψ' (digamma, trigamma): recurrence up to x ≥ 8, then the asymptotic
// series (error below 1e-10 there).
double digamma(double x) {
  double shift = 0;
  for (; x < 8; x += 1) shift -= 1 / x;
  const double r = 1 / (x * x);
  return shift + std::log(x) - 0.5 / x - r * (1.0 / 12 - r * (1.0 / 120 - r / 252));
}
double trigamma(double x) {
  double shift = 0;
  for (; x < 8; x += 1) shift += 1 / (x * x);
  const double r = 1 / (x * x);
  return shift + 1 / x + 0.5 * r + r / x * (1.0 / 6 - r * (1.0 / 30 - r / 42));
}

// Small shapes (the boost Gamma(a + 1)·U^{1/a}): the mean and the variance of
// log X are ψ(a) and ψ'(a), which weigh the small values the plain moments
// hardly see. 200 000 draws per shape, within 5 SE (seed 77).
TEST(RngGamma, SmallShapesHaveTheLogMoments) {
  const std::uint64_t seed = 77;
  std::printf("seed %llu\n", static_cast<unsigned long long>(seed));
  for (const double shape : {0.05, 0.2, 0.5, 0.999, 1.0, 3.0}) {
    std::vector<double> x = gamma_sample(shape, seed, 200000);
    for (double& v : x) {
      ASSERT_TRUE(v > 0 && std::isfinite(v)) << "shape " << shape << ": " << v;
      v = std::log(v);
    }
    const SampleMoments s(x);
    EXPECT_NEAR(s.mean, digamma(shape), 5 * s.mean_se) << "shape " << shape;
    EXPECT_NEAR(s.variance, trigamma(shape), 5 * s.variance_se) << "shape " << shape;
  }
}

TEST(RngGamma, RefusesShapesOutsideZeroToInfinity) {
  for (const double shape : {0.0, -1.0, std::numeric_limits<double>::quiet_NaN(),
                             std::numeric_limits<double>::infinity()})
    EXPECT_THROW(GammaSampler{shape}, sglab::Error) << shape;
  EXPECT_NO_THROW(GammaSampler{1e-3});
}

// The item's budget words first, then its own overflow stream from block
// item·2^20 on, word for word.
TEST(RngGamma, BudgetedWordsSpillIntoTheItemsOverflowStream) {
  const std::uint64_t seed = 5, shared = make_stream(42, {1}), overflow = make_stream(42, {2});
  for (const std::uint64_t item : {std::uint64_t{0}, std::uint64_t{3}, std::uint64_t{1} << 24}) {
    const std::size_t budget = 8;
    std::vector<std::uint32_t> own(budget);
    philox_words(seed, shared, item * 2, 2, own.data());
    BudgetedWords words(own.data(), budget, seed, overflow, item);
    StreamReader expected_overflow(seed, overflow, item << BudgetedWords::kOverflowBlockShift);
    for (std::size_t i = 0; i < budget; ++i) {
      const auto block = philox_block(seed, shared, item * 2 + i / 4);
      ASSERT_EQ(words(), block[i % 4]) << "item " << item << " word " << i;
    }
    for (int i = 0; i < 300; ++i) ASSERT_EQ(words(), expected_overflow.next_word()) << "item " << item;
    EXPECT_EQ(words.used(), budget + 300);
  }
}

}  // namespace
}  // namespace sglab::rng
