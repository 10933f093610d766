// Counter-based streams and our own transforms (core/rng).
#include <gtest/gtest.h>

#include <cmath>
#include <utility>
#include <vector>

#include "core/rng/binomial_sampler.hpp"
#include "core/rng/counter_rng.hpp"
#include "core/stats/summary_stats.hpp"

namespace sglab::rng {
namespace {

TEST(Rng, SameCounterSameDraw) {
  EXPECT_EQ(philox_block(7, 3, 11), philox_block(7, 3, 11));
  EXPECT_NE(philox_block(7, 3, 11), philox_block(7, 3, 12));
  EXPECT_NE(philox_block(7, 3, 11), philox_block(8, 3, 11));
  EXPECT_NE(philox_block(7, 3, 11), philox_block(7, 4, 11));
}

// The wide Philox (philox_wide.hpp) gives Random123's words block for block,
// also across the 2^32 carry of the block counter and for partial lane groups.
TEST(Rng, WidePhiloxEqualsScalarPhilox) {
  for (const std::uint64_t seed :
       {std::uint64_t{0}, std::uint64_t{42}, std::uint64_t{0xFEDCBA9876543210ULL}})
    for (const std::uint64_t stream : {std::uint64_t{0}, std::uint64_t{7}, make_stream(3, {1, 2})})
      for (const std::uint64_t first : {std::uint64_t{0}, std::uint64_t{5},
                                        std::uint64_t{0xFFFFFFF0ULL}, (std::uint64_t{1} << 52) + 3})
        for (const std::size_t count :
             {std::size_t{1}, std::size_t{12}, std::size_t{15}, std::size_t{16}, std::size_t{24},
              std::size_t{37}}) {
          for (const PhiloxKernel kernel :
               {PhiloxKernel::kBest, PhiloxKernel::kPortable, PhiloxKernel::kSse2}) {
            std::vector<std::uint32_t> words(4 * count);
            philox_words(seed, stream, first, count, words.data(), kernel);
            for (std::size_t b = 0; b < count; ++b) {
              const auto block = philox_block(seed, stream, first + b);
              for (std::size_t w = 0; w < 4; ++w)
                ASSERT_EQ(words[4 * b + w], block[w])
                    << "block " << first + b << " kernel " << static_cast<int>(kernel);
            }
          }
        }
}

// Block normals == one-at-a-time normals, through slow-path draws and buffer
// refills, interleaved with single words and normals.
TEST(Rng, BlockNormalsEqualOneAtATime) {
  StreamReader one(9, 4), block(9, 4);
  std::vector<double> out(1000);
  int slow = 0;
  for (const std::size_t count :
       {std::size_t{1}, std::size_t{3}, std::size_t{64}, std::size_t{1000}, std::size_t{257}}) {
    block.fill_normals(out.data(), count);
    for (std::size_t i = 0; i < count; ++i) {
      const double z = one.next_normal();
      ASSERT_EQ(out[i], z) << "draw " << i << " of a block of " << count;
      slow += std::abs(z) > 3.0;
    }
    ASSERT_EQ(block.next_word(), one.next_word());
  }
  for (int rep = 0; rep < 200; ++rep) {
    block.fill_normals(out.data(), 997);
    for (std::size_t i = 0; i < 997; ++i) ASSERT_EQ(out[i], one.next_normal());
  }
  EXPECT_GT(slow, 0);  // the tail was exercised
}

TEST(Rng, StreamReaderIsRestartable) {
  StreamReader a(42, make_stream(1, {2, 3})), b(42, make_stream(1, {2, 3}));
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a.next_normal(), b.next_normal());
  EXPECT_NE(make_stream(1, {2, 3}), make_stream(1, {3, 2}));
}

// Seed 20261122, 2e6 draws: mean 0 and variance 1 within 5 SE; fourth moment
// 3 within 5 SE (its SE from the eighth moment 105: sqrt((105 − 9)/N)).
TEST(Rng, ZigguratNormalMoments) {
  StreamReader reader(20261122, make_stream(99, {}));
  const int N = 2000000;
  double s1 = 0, s2 = 0, s4 = 0, tail = 0;
  for (int i = 0; i < N; ++i) {
    const double z = reader.next_normal();
    s1 += z;
    s2 += z * z;
    s4 += z * z * z * z;
    tail += std::fabs(z) > 3.442619855899 ? 1.0 : 0.0;  // beyond the ziggurat's base strip
  }
  const double mean = s1 / N, var = s2 / N, kurt = s4 / N;
  EXPECT_NEAR(mean, 0.0, 5 * std::sqrt(1.0 / N));
  EXPECT_NEAR(var, 1.0, 5 * std::sqrt(2.0 / N));
  EXPECT_NEAR(kurt, 3.0, 5 * std::sqrt(96.0 / N));
  // P(|Z| > r) = erfc(r / sqrt 2); binomial SE.
  const double p_tail = std::erfc(3.442619855899 / std::sqrt(2.0));
  EXPECT_NEAR(tail / N, p_tail, 5 * std::sqrt(p_tail * (1 - p_tail) / N));
}

// The ziggurat's distribution function at a few points, binomial SE each.
TEST(Rng, ZigguratNormalCdf) {
  StreamReader reader(5, make_stream(98, {}));
  const int N = 1000000;
  const double points[] = {-2.5, -1.0, -0.3, 0.0, 0.7, 1.9, 3.0};
  int below[7] = {};
  for (int i = 0; i < N; ++i) {
    const double z = reader.next_normal();
    for (int p = 0; p < 7; ++p) below[p] += z < points[p] ? 1 : 0;
  }
  for (int p = 0; p < 7; ++p) {
    const double cdf = 0.5 * std::erfc(-points[p] / std::sqrt(2.0));
    EXPECT_NEAR(static_cast<double>(below[p]) / N, cdf, 5 * std::sqrt(cdf * (1 - cdf) / N))
        << "at x = " << points[p];
  }
}

TEST(Rng, BoxMullerNormalAtMoments) {
  const int N = 400000;
  stats::RunningMoments m;
  for (int i = 0; i < N; ++i) m.add(normal_at(3, 17, static_cast<std::uint64_t>(i)));
  EXPECT_NEAR(m.mean(), 0.0, 5 * std::sqrt(1.0 / N));
  EXPECT_NEAR(m.variance(), 1.0, 5 * std::sqrt(2.0 / N));
}

// Binomial by inversion: each outcome's frequency matches the exact pmf
// within 5 binomial SE (seed 11, 10^6 draws), for a small and a large n.
TEST(Rng, BinomialSamplerMatchesPmf) {
  for (const auto& [n, p] : {std::pair<std::uint32_t, double>{7, 0.3}, {40, 0.5}}) {
    BinomialSampler sampler(n, p);
    StreamReader reader(11, make_stream(97, {n}));
    const int N = 1000000;
    std::vector<int> counts(n + 1, 0);
    for (int i = 0; i < N; ++i) ++counts[sampler.draw(reader)];
    for (std::uint32_t k = 0; k <= n; ++k) {
      const double pmf =
          std::exp(std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0) +
                   k * std::log(p) + (n - k) * std::log1p(-p));
      EXPECT_NEAR(sampler.realised_pmf(k), pmf, 1e-9);
      EXPECT_NEAR(static_cast<double>(counts[k]) / N, pmf,
                  5 * std::sqrt(pmf * (1 - pmf) / N) + 1e-9)
          << "n = " << n << ", k = " << k;
    }
  }
}

TEST(Rng, BinomialSamplerDegenerate) {
  StreamReader reader(1, 1);
  BinomialSampler always(5, 1.0);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(always.draw(reader), 5u);
}

TEST(Rng, NextBelowStaysInRange) {
  StreamReader reader(1, 2);
  int counts[5] = {};
  for (int i = 0; i < 50000; ++i) {
    const auto v = reader.next_below(5);
    ASSERT_LT(v, 5u);
    ++counts[v];
  }
  for (int c : counts) EXPECT_NEAR(c, 10000, 5 * std::sqrt(50000 * 0.2 * 0.8));
}

}  // namespace
}  // namespace sglab::rng
