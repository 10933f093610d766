// Moments, percentiles and the paired bootstrap (core/stats).
#include <gtest/gtest.h>

#include <cmath>

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

TEST(Stats, PairedBootstrapRejectsMismatchedSamples) {
  EXPECT_THROW(paired_bootstrap_ratio({1, 2}, {1}, 10, 0, 0), std::invalid_argument);
}

}  // namespace
}  // namespace sglab::stats
