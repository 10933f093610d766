// The problem build's fast Gram kernel equals Eigen's products bit for bit
// (issue 12): every (d, m, rank) the fast path takes, every lane count, and
// whole problem instances built both ways.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "core/expert/expert_problem.hpp"
#include "core/expert/jacobian_gram.hpp"
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

}  // namespace
}  // namespace sglab::expert
