// Moments, percentiles and the paired bootstrap (core/stats).
#include <gtest/gtest.h>

#include <cmath>

#include "core/rng/counter_rng.hpp"
#include "core/stats/paired_bootstrap.hpp"
#include "core/stats/summary_stats.hpp"

namespace sglab::stats {
namespace {

TEST(Stats, MomentsAndStandardError) {
  const std::vector<double> xs = {1, 2, 3, 4, 10};
  EXPECT_DOUBLE_EQ(mean(xs), 4.0);
  EXPECT_DOUBLE_EQ(variance(xs, 1), 12.5);
  EXPECT_DOUBLE_EQ(variance(xs, 0), 10.0);
  EXPECT_DOUBLE_EQ(standard_error(xs), std::sqrt(12.5 / 5));
  RunningMoments running;
  for (double x : xs) running.add(x);
  EXPECT_NEAR(running.mean(), 4.0, 1e-15);
  EXPECT_NEAR(running.variance(), 12.5, 1e-13);
}

// Linear interpolation between order statistics, as NumPy's default:
// np.percentile([3, 1, 4, 1, 5], [0, 2.5, 50, 97.5, 100]) = [1, 1, 3, 4.9, 5].
TEST(Stats, PercentileMatchesNumpyLinear) {
  const std::vector<double> xs = {3, 1, 4, 1, 5};
  EXPECT_DOUBLE_EQ(percentile(xs, 0), 1.0);
  EXPECT_DOUBLE_EQ(percentile(xs, 2.5), 1.0);
  EXPECT_DOUBLE_EQ(percentile(xs, 50), 3.0);
  EXPECT_NEAR(percentile(xs, 97.5), 4.9, 1e-12);
  EXPECT_DOUBLE_EQ(percentile(xs, 100), 5.0);
}

TEST(Stats, PairedBootstrapRatio) {
  const std::vector<double> num = {4.0, 5.0, 3.5, 6.0, 4.5, 5.5};
  const std::vector<double> den = {1.0, 1.2, 0.9, 1.5, 1.1, 1.3};
  const RatioInterval none = paired_bootstrap_ratio(num, den, 0, 1, 2);
  EXPECT_DOUBLE_EQ(none.ratio, mean(num) / mean(den));
  EXPECT_EQ(none.se, 0.0);
  EXPECT_EQ(none.ci_low, none.ratio);
  const RatioInterval a = paired_bootstrap_ratio(num, den, 2000, 1, 2);
  const RatioInterval b = paired_bootstrap_ratio(num, den, 2000, 1, 2);
  EXPECT_EQ(a.se, b.se);  // a function of (seed, stream)
  EXPECT_GT(a.se, 0.0);
  EXPECT_LT(a.ci_low, a.ratio);
  EXPECT_GT(a.ci_high, a.ratio);
  // Pairing keeps the within-trial correlation: proportional pairs give a
  // ratio with no spread at all.
  const std::vector<double> twice = {2.0, 2.4, 1.8, 3.0, 2.2, 2.6};
  const RatioInterval exact = paired_bootstrap_ratio(twice, den, 500, 1, 2);
  EXPECT_NEAR(exact.se, 0.0, 1e-12);
  EXPECT_NEAR(exact.ci_low, 2.0, 1e-12);
  EXPECT_NEAR(exact.ci_high, 2.0, 1e-12);
}

// The resamples' picks, taken from the stream in bulk, are those of one
// next_below call per pick: the same ratios bit for bit (20 trials, as the
// expert sweep, and odd sizes that end a resample mid-buffer).
TEST(Stats, PairedBootstrapPicksEqualNextBelow) {
  for (const std::size_t trials : {std::size_t{3}, std::size_t{20}, std::size_t{77}}) {
    std::vector<double> num(trials), den(trials);
    rng::StreamReader values(4, 5);
    for (std::size_t t = 0; t < trials; ++t) {
      num[t] = values.next_uniform();
      den[t] = 0.5 + values.next_uniform();
    }
    const int resamples = 301;
    std::vector<double> ratios;
    rng::StreamReader reader(6, 7);
    for (int r = 0; r < resamples; ++r) {
      double n = 0.0, d = 0.0;
      for (std::size_t t = 0; t < trials; ++t) {
        const std::uint32_t pick = reader.next_below(static_cast<std::uint32_t>(trials));
        n += num[pick];
        d += den[pick];
      }
      ratios.push_back(n / d);
    }
    const RatioInterval got = paired_bootstrap_ratio(num, den, resamples, 6, 7);
    EXPECT_EQ(got.se, std::sqrt(variance(ratios, 0))) << trials;
    EXPECT_EQ(got.ci_low, percentile(ratios, 2.5)) << trials;
    EXPECT_EQ(got.ci_high, percentile(ratios, 97.5)) << trials;
  }
}

TEST(Stats, PairedBootstrapRejectsMismatchedSamples) {
  EXPECT_THROW(paired_bootstrap_ratio({1, 2}, {1}, 10, 0, 0), std::invalid_argument);
}

}  // namespace
}  // namespace sglab::stats
