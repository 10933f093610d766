// Each case's averaged feedback is unbiased with the stated variance
// (THEORY.md §6, "Stochastic feedback").
#include <gtest/gtest.h>

#include <cmath>

#include "core/expert/feedback_noise.hpp"
#include "core/rng/counter_rng.hpp"

namespace sglab::expert {
namespace {

// 400k draws per (case, n), seed 31: mean within 5 SE of δ, sample variance
// within 5 SE of v_rj, the variance's SE from the empirical fourth moment.
TEST(FeedbackNoise, UnbiasedWithStatedVariance) {
  const NoiseParams noise{0.7, 0.35, 0.4};
  const double delta = -0.83, alpha = 1.6;
  for (NoiseCase c : {NoiseCase::kNoisy, NoiseCase::kActivation, NoiseCase::kPartial}) {
    for (int n : {1, 3, 10}) {
      rng::StreamReader stream(31, rng::make_stream(7, {static_cast<std::uint64_t>(c),
                                                        static_cast<std::uint64_t>(n)}));
      const AveragedFeedbackSampler sampler(c, noise, n);
      const int N = 400000;
      std::vector<double> xs(N);
      double sum = 0;
      for (double& x : xs) sum += (x = sampler.draw(delta, alpha, stream));
      const double mean = sum / N;
      double m2 = 0, m4 = 0;
      for (double x : xs) {
        const double dev = x - mean;
        m2 += dev * dev;
        m4 += dev * dev * dev * dev;
      }
      m2 /= N;
      m4 /= N;
      const double v = averaged_feedback_variance(c, noise, n, delta, alpha);
      SCOPED_TRACE(std::string(to_string(c)) + " n=" + std::to_string(n));
      EXPECT_NEAR(mean, delta, 5 * std::sqrt(v / N));
      EXPECT_NEAR(m2, v, 5 * std::sqrt((m4 - m2 * m2) / N));
    }
  }
}

TEST(FeedbackNoise, StatedVariances) {
  const NoiseParams noise{0.5, 0.25, 2.0};
  EXPECT_DOUBLE_EQ(averaged_feedback_variance(NoiseCase::kNoisy, noise, 4, 3.0, 1.0), 0.0625);
  EXPECT_DOUBLE_EQ(averaged_feedback_variance(NoiseCase::kActivation, noise, 2, 2.0, 1.0),
                   4.0 * 0.75 / 0.5);
  EXPECT_DOUBLE_EQ(averaged_feedback_variance(NoiseCase::kPartial, noise, 8, 1.0, 3.0),
                   9.0 * 4.0 / 8.0);
}

}  // namespace
}  // namespace sglab::expert
