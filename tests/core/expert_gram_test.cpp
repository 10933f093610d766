// The problem build's per-state Gram matrices (issue 12): the Bartlett draw's
// lane kernel equals a scalar reference bit for bit, has the Wishart moments,
// and whole problem instances are the same for any thread count.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <thread>
#include <vector>

#include "core/expert/expert_problem.hpp"
#include "core/expert/bartlett_gram.hpp"
#include "core/expert/ordered_drain.hpp"
#include "core/util/parallel_for.hpp"
#include "core/rng/counter_rng.hpp"
#include "core/rng/gamma_sampler.hpp"

namespace sglab::expert {
namespace {

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// A straightforward scalar Bartlett draw of one state (bartlett_gram.hpp):
// its words block by block from philox_block, then from its overflow stream;
// the T_ij (i > j) row by row, then the diagonal; C = L T and Q = C Cᵀ by
// plain loops, each sum left to right. Counts the state's overflow words.
std::vector<double> reference_state(const Eigen::MatrixXd& L, int d, int blocks, std::uint64_t seed,
                                    std::uint64_t stream, std::uint64_t overflow, std::uint64_t r,
                                    int& spilled) {
  const int m = static_cast<int>(L.rows()), rank = static_cast<int>(L.cols());
  int used = 0;
  rng::StreamReader spill(seed, overflow, r << 20);
  auto words = [&]() -> std::uint32_t {
    if (used < 4 * blocks) {
      const int w = used++;
      return rng::philox_block(seed, stream, r * static_cast<std::uint64_t>(blocks) + static_cast<std::uint64_t>(w / 4))[static_cast<std::size_t>(w % 4)];
    }
    ++spilled;
    return spill.next_word();
  };
  const rng::ZigguratTables& tables = rng::ZigguratTables::instance();
  Eigen::MatrixXd T = Eigen::MatrixXd::Zero(rank, rank);
  for (int i = 1; i < rank; ++i)
    for (int j = 0; j < i; ++j) T(i, j) = rng::ziggurat_normal(words, tables);
  for (int i = 0; i < rank; ++i) T(i, i) = std::sqrt(2.0 * rng::GammaSampler(0.5 * (d - i))(words, tables));
  Eigen::MatrixXd C(m, rank);
  for (int j = 0; j < m; ++j)
    for (int c = 0; c < rank; ++c) {
      double s = L(j, c) * T(c, c);
      for (int i = c + 1; i < rank; ++i) s += L(j, i) * T(i, c);
      C(j, c) = s;
    }
  std::vector<double> packed;
  for (int x = 0; x < m; ++x)
    for (int y = x; y < m; ++y) {
      double s = C(x, 0) * C(y, 0);
      for (int c = 1; c < rank; ++c) s += C(x, c) * C(y, c);
      packed.push_back(s);
    }
  return packed;
}

Eigen::MatrixXd random_factor(int m, int rank, std::uint64_t tag) {
  rng::StreamReader draw(7, rng::make_stream(99, {tag, static_cast<std::uint64_t>(m), static_cast<std::uint64_t>(rank)}));
  Eigen::MatrixXd L(m, rank);
  for (int j = 0; j < m; ++j)
    for (int c = 0; c < rank; ++c) L(j, c) = draw.next_normal();
  return L;
}

// The lane kernel (four states per lane set, twelve per Philox call, the
// m = 3…6 instances and the generic one) equals the scalar reference bit for
// bit: every d = 1..24, m = 1..7, 9, 16, 17, 40 and rank 1..min(d, m); runs of
// states that start and end inside lane sets and groups; the default words
// budget and a one-block budget (most states then spill into the overflow
// stream, which must be exercised).
TEST(ExpertGram, BartlettKernelEqualsScalarReference) {
  int checked = 0, spilled_states = 0;
  for (int d = 1; d <= 24; ++d)
    for (const int m : {1, 2, 3, 4, 5, 6, 7, 9, 16, 17, 40})
      for (int rank = 1; rank <= std::min(d, m); rank += (m > 9 && rank > 2 ? 5 : 1))
        for (const int budget : {0, 1}) {
          const Eigen::MatrixXd L = random_factor(m, rank, static_cast<std::uint64_t>(d));
          const BartlettGram gram(L, d, budget);
          const std::uint64_t seed = 11, stream = rng::make_stream(7, {1}), overflow = rng::make_stream(7, {2});
          const std::uint64_t first = static_cast<std::uint64_t>((d * 7 + m) % 13);
          const std::size_t count = 1 + static_cast<std::size_t>(d + m + rank) % 27;
          const std::size_t pairs = gram.packed_size();
          std::vector<double> fast(count * pairs);
          BartlettGram::Workspace workspace(gram);
          gram.states(seed, stream, overflow, first, count, fast.data(), workspace);
          for (std::size_t s = 0; s < count; ++s) {
            int spilled = 0;
            const std::vector<double> expected =
                reference_state(L, d, gram.blocks_per_state(), seed, stream, overflow, first + s, spilled);
            spilled_states += spilled > 0;
            for (std::size_t p = 0; p < pairs; ++p)
              ASSERT_TRUE(same_bits(fast[s * pairs + p], expected[p]))
                  << "d=" << d << " m=" << m << " rank=" << rank << " budget=" << budget << " state=" << first + s
                  << " entry=" << p << ": " << fast[s * pairs + p] << " vs " << expected[p];
          }
          ++checked;
        }
  EXPECT_GT(checked, 1000);
  EXPECT_GT(spilled_states, 1000);  // the overflow stream was read
}

// The default budget leaves the overflow stream rare: at d = 20, m = rank = 5
// (the sweep) under 1% of 100 000 states read past their 24 words
// (578 with these seeds; a spill costs about as much as 40 words, a sixth
// more blocks per state would cost 4 words for every state).
TEST(ExpertGram, BartlettDefaultBudgetRarelySpills) {
  const Eigen::MatrixXd L = random_factor(5, 5, 20);
  const BartlettGram gram(L, 20);
  EXPECT_EQ(gram.blocks_per_state(), 6);
  int spilled_states = 0;
  for (std::uint64_t r = 0; r < 100000; ++r) {
    int spilled = 0;
    reference_state(L, 20, gram.blocks_per_state(), 3, 4, 5, r, spilled);
    spilled_states += spilled > 0;
  }
  std::printf("states that spilled: %d of 100000\n", spilled_states);
  EXPECT_LT(spilled_states, 1000);
  EXPECT_GT(spilled_states, 0);
}

// Q_r = L W Lᵀ with W ~ Wishart_rank(d, I): E Q = d·Σ and
// Var Q_xy = d·(Σ_xy² + Σ_xx·Σ_yy), Σ = L Lᵀ (the moments of Wishart_m(d, Σ)).
// Entry by entry, mean and variance within 5 SE of 100 000 states (SEs from
// the sample; seed 20261128). Cases: the d = 20, m = rank = 5; a
// singular Σ (rank 3 < m = 5); d = rank = 3, whose last diagonal is χ²_1 (the
// boosted Gamma(½)); d = 1.
TEST(ExpertGram, BartlettGramHasTheWishartMoments) {
  const std::uint64_t seed = 20261128;
  std::printf("seed %llu\n", static_cast<unsigned long long>(seed));
  struct Case {
    int d, m, rank;
  };
  for (const Case& c : {Case{20, 5, 5}, Case{12, 5, 3}, Case{3, 4, 3}, Case{1, 3, 1}}) {
    const Eigen::MatrixXd L = random_factor(c.m, c.rank, 1000 + static_cast<std::uint64_t>(c.d)) / std::sqrt(c.d);
    const Eigen::MatrixXd sigma = L * L.transpose();
    const BartlettGram gram(L, c.d);
    constexpr std::size_t kStates = 100000;
    const std::size_t pairs = gram.packed_size();
    std::vector<double> q(kStates * pairs);
    BartlettGram::Workspace workspace(gram);
    gram.states(seed, rng::make_stream(8, {1}), rng::make_stream(8, {2}), 0, kStates, q.data(), workspace);
    std::size_t p = 0;
    for (int x = 0; x < c.m; ++x)
      for (int y = x; y < c.m; ++y, ++p) {
        double mean = 0;
        for (std::size_t s = 0; s < kStates; ++s) mean += q[s * pairs + p];
        mean /= kStates;
        double m2 = 0, m4 = 0;
        for (std::size_t s = 0; s < kStates; ++s) {
          const double e = (q[s * pairs + p] - mean) * (q[s * pairs + p] - mean);
          m2 += e;
          m4 += e * e;
        }
        const double variance = m2 / (kStates - 1);
        const double mean_se = std::sqrt(variance / kStates);
        const double variance_se = std::sqrt((m4 / kStates - (m2 / kStates) * (m2 / kStates)) / kStates);
        const double expected_mean = c.d * sigma(x, y);
        const double expected_variance = c.d * (sigma(x, y) * sigma(x, y) + sigma(x, x) * sigma(y, y));
        EXPECT_NEAR(mean, expected_mean, 5 * mean_se) << "d=" << c.d << " m=" << c.m << " entry " << x << "," << y;
        EXPECT_NEAR(variance, expected_variance, 5 * variance_se)
            << "d=" << c.d << " m=" << c.m << " entry " << x << "," << y;
      }
  }
}

// The consumer sees every chunk once, in order, one at a time, however the
// workers interleave (uneven chunk times force gaps and hand-overs).
TEST(ExpertGram, OrderedDrainConsumesChunksInOrder) {
  for (const int threads : {1, 2, 4}) {
    constexpr std::size_t kChunks = 64;
    OrderedDrain drain(kChunks);
    std::vector<std::size_t> seen;
    std::atomic<int> active{0};
    bool overlapped = false;
    parallel_for(kChunks, threads, [&](std::size_t chunk) {
      std::this_thread::sleep_for(std::chrono::microseconds((chunk * 7919) % 13 * 50));
      drain.finished(chunk, [&](std::size_t c) {
        if (active.fetch_add(1) != 0) overlapped = true;
        seen.push_back(c);
        active.fetch_sub(1);
      });
    });
    EXPECT_FALSE(overlapped) << "threads=" << threads;
    EXPECT_TRUE(drain.complete());
    ASSERT_EQ(seen.size(), kChunks);
    for (std::size_t c = 0; c < kChunks; ++c) EXPECT_EQ(seen[c], c) << "threads=" << threads;
  }
}

// A whole instance (keys, clean feedback, Gram matrices, per-key sums with the
// leak's terms) has the same bits for any thread count; 2^14 states are four
// chunks, so the per-key sums are handed between workers, in up to three
// parts (m = 1: one; m = 2: one pair each) that equal one plain pass over
// the states.
TEST(ExpertGram, ProblemBuildIsTheSameForAnyThreadCount) {
  for (const int m : {5, 3, 17, 1, 2}) {
    const ProblemSpec spec{14, 4, m, 0.25, 3};
    const ExpertProblem one = ExpertProblem::build(spec, 1);
    const ExpertProblem three = ExpertProblem::build(spec, 3);
    ASSERT_TRUE(one.pooled().available);
    const std::size_t R = one.states(), pairs = one.packed_size();
    for (std::size_t r = 0; r < R; ++r) {
      for (int j = 0; j < m; ++j) {
        ASSERT_EQ(one.key(r, j), three.key(r, j));
        ASSERT_TRUE(same_bits(one.clean_feedback(r, j), three.clean_feedback(r, j)));
      }
      for (std::size_t p = 0; p < pairs; ++p)
        ASSERT_TRUE(same_bits(one.gram_packed(r)[p], three.gram_packed(r)[p])) << "m=" << m << " r=" << r;
    }
    const PooledGram &a = one.pooled(), &b = three.pooled();
    ASSERT_EQ(a.w.size(), b.w.size());
    for (std::size_t i = 0; i < a.w.size(); ++i) ASSERT_TRUE(same_bits(a.w[i], b.w[i]));
    for (std::size_t i = 0; i < a.class_mean.size(); ++i) ASSERT_TRUE(same_bits(a.class_mean[i], b.class_mean[i]));
    // Both equal one plain pass over the states in order (the sums are pooled
    // in parts, chunk by chunk, possibly on different workers).
    const std::size_t K = one.keys_per_expert();
    const double G = static_cast<double>(one.class_size());
    std::vector<double> w(a.w.size(), 0.0), class_mean(a.class_mean.size(), 0.0);
    for (std::size_t r = 0; r < R; ++r) {
      for (int j = 0; j < m; ++j)
        class_mean[static_cast<std::size_t>(j) * K + one.key(r, j)] += one.clean_feedback(r, j) / G;
      std::size_t p = 0;
      for (int i = 0; i < m; ++i)
        for (int j = i; j < m; ++j, ++p) w[(p * K + one.key(r, i)) * K + one.key(r, j)] += one.gram_packed(r)[p];
    }
    for (std::size_t i = 0; i < w.size(); ++i) ASSERT_TRUE(same_bits(a.w[i], w[i])) << "m=" << m << " W " << i;
    for (std::size_t i = 0; i < class_mean.size(); ++i)
      ASSERT_TRUE(same_bits(a.class_mean[i], class_mean[i])) << "m=" << m << " class mean " << i;
    for (std::size_t i = 0; i < a.v.size(); ++i) ASSERT_TRUE(same_bits(a.v[i], b.v[i]));
    EXPECT_TRUE(same_bits(a.bias_total, b.bias_total));
  }
}

// Keys are the bits of z_r at C_j; the clean feedback is constant on each
// (key, leak bit) class — what the table look-up relies on.
TEST(ExpertGram, KeysAreTheExpertsBitsAndFeedbackDependsOnTheKeyOnly) {
  for (const int k : {3, 13}) {  // tabulated and computed per state
    const ExpertProblem problem = ExpertProblem::build({14, k, 4, 0.0, 11}, 2);
    std::vector<std::vector<double>> by_key(4, std::vector<double>(std::size_t{1} << k, 0.0));
    std::vector<std::vector<char>> seen(4, std::vector<char>(std::size_t{1} << k, 0));
    for (std::size_t r = 0; r < problem.states(); ++r)
      for (int j = 0; j < 4; ++j) {
        std::uint32_t key = 0;
        for (int i = 0; i < k; ++i)
          key |= static_cast<std::uint32_t>((r >> problem.coordinates(j)[static_cast<std::size_t>(i)]) & 1u) << i;
        ASSERT_EQ(problem.key(r, j), key) << "k=" << k << " r=" << r << " j=" << j;
        double& first = by_key[static_cast<std::size_t>(j)][key];
        if (!seen[static_cast<std::size_t>(j)][key]) {
          first = problem.clean_feedback(r, j);
          seen[static_cast<std::size_t>(j)][key] = 1;
        }
        ASSERT_TRUE(same_bits(problem.clean_feedback(r, j), first));
      }
  }
}

}  // namespace
}  // namespace sglab::expert
