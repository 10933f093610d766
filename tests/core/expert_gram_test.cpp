// The problem build's fast Gram kernel equals Eigen's products bit for bit
// (issue 12): every (d, m, rank) the fast path takes, every lane count, and
// whole problem instances built both ways.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <thread>
#include <vector>

#include "core/expert/expert_problem.hpp"
#include "core/expert/jacobian_gram.hpp"
#include "core/expert/ordered_drain.hpp"
#include "core/util/parallel_for.hpp"
#include "core/rng/counter_rng.hpp"

namespace sglab::expert {
namespace {

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

TEST(ExpertGram, FastKernelEqualsEigenForEverySize) {
  int checked = 0;
  for (int d = 2; d <= 24; ++d)
    for (int m = 2; m <= JacobianGram::kMaxFastExperts; ++m)
      for (int rank = 1; rank <= m; ++rank) {
        rng::StreamReader draw(7, rng::make_stream(99, {static_cast<std::uint64_t>(d),
                                                        static_cast<std::uint64_t>(m),
                                                        static_cast<std::uint64_t>(rank)}));
        Eigen::MatrixXd L(m, rank);
        for (int j = 0; j < m; ++j)
          for (int c = 0; c < rank; ++c) L(j, c) = draw.next_normal();
        const JacobianGram gram(L, d);
        ASSERT_TRUE(gram.has_fast_path()) << "d=" << d << " m=" << m << " rank=" << rank;
        const int states = 1 + (d + m + rank) % JacobianGram::kLanes;  // every lane count
        std::vector<double> z(static_cast<std::size_t>(states) * gram.normals_per_state());
        draw.fill_normals(z.data(), z.size());
        const std::size_t pairs = gram.packed_size();
        std::vector<double> fast(static_cast<std::size_t>(states) * pairs), reference(pairs);
        gram.fast(z.data(), states, fast.data());
        for (int s = 0; s < states; ++s) {
          gram.reference(z.data() + static_cast<std::size_t>(s) * gram.normals_per_state(),
                         reference.data());
          for (std::size_t p = 0; p < pairs; ++p)
            ASSERT_TRUE(same_bits(fast[static_cast<std::size_t>(s) * pairs + p], reference[p]))
                << "d=" << d << " m=" << m << " rank=" << rank << " state=" << s << " entry=" << p
                << ": " << fast[static_cast<std::size_t>(s) * pairs + p] << " vs " << reference[p];
        }
        ++checked;
      }
  EXPECT_EQ(checked, 23 * 135);  // d = 2..24 × Σ_{m=2..16} m ranks
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
// chunks, so the per-key sums are handed between workers.
TEST(ExpertGram, ProblemBuildIsTheSameForAnyThreadCount) {
  for (const int m : {5, 3, 17}) {
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
