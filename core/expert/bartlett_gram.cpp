#include "core/expert/bartlett_gram.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "core/rng/budgeted_words.hpp"
#include "core/rng/philox_wide.hpp"
#include "core/util/error.hpp"
#include "core/util/simd_clones.hpp"

namespace sglab::expert {

namespace {

// Four doubles, one per state; element-wise IEEE arithmetic (no fused
// multiply-add in either clone, and this file is built with
// -ffp-contract=off), so each lane repeats the scalar operations in the
// scalar order. Aligned like a double: the workspace is a std::vector.
typedef double Lanes __attribute__((vector_size(32), aligned(8)));
constexpr int kLanes = BartlettGram::kLanes;
constexpr int kMaxRank = 24;  // rank ≤ d ≤ ExpertLimits::kMaxDim
static_assert(sizeof(Lanes) == kLanes * sizeof(double), "one double per lane");

// Index of T(i, j), i ≥ j, in the packed lower triangle.
constexpr std::size_t tri(int i, int j) {
  return static_cast<std::size_t>(i) * static_cast<std::size_t>(i + 1) / 2 + static_cast<std::size_t>(j);
}

struct LanePlan {
  int m, rank;
  const Lanes* l;  ///< L row by row, broadcast
};

// C = L T, then the upper triangle of Q = C Cᵀ, row by row, each sum left to
// right (bartlett_gram.hpp). t: T lane-interleaved, with χ² draws in place of
// the diagonal (T_ii is their square root); c: scratch for C. kM, kR:
// m and rank when fixed at compile time (0: from the plan).
template <int kM, int kR>
__attribute__((always_inline)) inline void gram_lanes(const LanePlan& p, const Lanes* t, Lanes* c, int states,
                                                      double* packed) {
  const int m = kM > 0 ? kM : p.m, rank = kR > 0 ? kR : p.rank;
  const std::size_t pairs = static_cast<std::size_t>(m) * static_cast<std::size_t>(m + 1) / 2;
  // T's diagonal: the square roots of the χ² draws, four states at once.
  Lanes diagonal[kR > 0 ? kR : kMaxRank];
  for (int i = 0; i < rank; ++i)
    for (int lane = 0; lane < kLanes; ++lane) diagonal[i][lane] = std::sqrt(t[tri(i, i)][lane]);
  for (int j = 0; j < m; ++j) {
    const Lanes* l = p.l + j * rank;
    for (int col = 0; col < rank; ++col) {
      Lanes s = l[col] * diagonal[col];
      for (int i = col + 1; i < rank; ++i) s = s + l[i] * t[tri(i, col)];
      c[j * rank + col] = s;
    }
  }
  if (kM > 0 && states == kLanes) {
    // All four lanes: Q in registers / on the stack, then one transpose.
    Lanes q[kM > 0 ? kM * (kM + 1) / 2 : 1];
    std::size_t pair = 0;
    for (int x = 0; x < m; ++x)
      for (int y = x; y < m; ++y, ++pair) {
        Lanes s = c[x * rank] * c[y * rank];
        for (int k = 1; k < rank; ++k) s = s + c[x * rank + k] * c[y * rank + k];
        q[pair] = s;
      }
    for (int lane = 0; lane < kLanes; ++lane)
      for (std::size_t e = 0; e < pairs; ++e) packed[static_cast<std::size_t>(lane) * pairs + e] = q[e][lane];
    return;
  }
  std::size_t pair = 0;
  for (int x = 0; x < m; ++x) {
    const Lanes* cx = c + x * rank;
    for (int y = x; y < m; ++y, ++pair) {
      const Lanes* cy = c + y * rank;
      Lanes s = cx[0] * cy[0];
      for (int k = 1; k < rank; ++k) s = s + cx[k] * cy[k];
      for (int lane = 0; lane < states; ++lane) packed[static_cast<std::size_t>(lane) * pairs + pair] = s[lane];
    }
  }
}

#define SGLAB_BARTLETT_LANES(NAME, M, R)                                                            \
  SGLAB_SIMD_CLONES void NAME(const LanePlan& p, const Lanes* t, Lanes* c, int states, double* packed) { \
    gram_lanes<M, R>(p, t, c, states, packed);                                                      \
  }
// Instances for the lab's usual expert counts (the m knob; 5 is the paper's)
// at full rank (rank = m whenever the experts' coordinates span m dimensions).
SGLAB_BARTLETT_LANES(bartlett_lanes_m3, 3, 3)
SGLAB_BARTLETT_LANES(bartlett_lanes_m4, 4, 4)
SGLAB_BARTLETT_LANES(bartlett_lanes_m5, 5, 5)
SGLAB_BARTLETT_LANES(bartlett_lanes_m6, 6, 6)
SGLAB_BARTLETT_LANES(bartlett_lanes_any, 0, 0)
#undef SGLAB_BARTLETT_LANES

// Fewest words a state can read: one per off-diagonal normal, two per χ²
// (a normal and a uniform), one more for a boosted χ²_1.
int fewest_words(int d, int rank) {
  return rank * (rank - 1) / 2 + 2 * rank + (rank > 0 && d - rank + 1 == 1 ? 1 : 0);
}

}  // namespace

BartlettGram::BartlettGram(const Eigen::MatrixXd& L, int d, int blocks_per_state)
    : d_(d), m_(static_cast<int>(L.rows())), rank_(static_cast<int>(L.cols())),
      ziggurat_(&rng::ZigguratTables::instance()) {
  // Four words above the fewest, so that the overflow stream is rare
  // (rejections: about 2.8% of normals and a few % of the χ² attempts): at
  // d = 20, rank 5, 0.6% of the states spill (tests/core/expert_gram_test.cpp).
  if (rank_ > d_ || rank_ > kMaxRank)  // L Lᵀ = MᵀM/d has rank ≤ d; Bartlett needs d − i ≥ 1 for every i < rank
    throw Error("expert problem: Jacobian factor of rank " + std::to_string(rank_) + " exceeds d = " +
                std::to_string(d_));
  const int fewest = fewest_words(d_, rank_);
  blocks_per_state_ = blocks_per_state > 0 ? blocks_per_state : std::max(1, (fewest + 4 + 3) / 4);
  for (int i = 0; i < rank_; ++i) diagonal_.emplace_back(0.5 * static_cast<double>(d_ - i));
  l_lanes_.resize(static_cast<std::size_t>(m_) * static_cast<std::size_t>(rank_) * kLanes);
  for (int j = 0; j < m_; ++j)
    for (int c = 0; c < rank_; ++c)
      for (int s = 0; s < kLanes; ++s) l_lanes_[static_cast<std::size_t>((j * rank_ + c) * kLanes + s)] = L(j, c);
}

BartlettGram::Workspace::Workspace(const BartlettGram& gram)
    : words(static_cast<std::size_t>(kStatesPerGroup) * static_cast<std::size_t>(gram.blocks_per_state()) * 4),
      factors(gram.factor_size() * kLanes),
      products(static_cast<std::size_t>(gram.m()) * static_cast<std::size_t>(gram.rank()) * kLanes) {}

void BartlettGram::states(std::uint64_t seed, std::uint64_t stream, std::uint64_t overflow_stream,
                          std::uint64_t first, std::size_t count, double* packed, Workspace& w) const {
  const std::size_t pairs = packed_size();
  if (rank_ == 0) {  // M = 0: every Q_r is 0
    std::fill(packed, packed + count * pairs, 0.0);
    return;
  }
  const auto blocks = static_cast<std::size_t>(blocks_per_state_);
  const std::size_t budget = 4 * blocks;
  const LanePlan plan{m_, rank_, reinterpret_cast<const Lanes*>(l_lanes_.data())};
  const auto* factors = reinterpret_cast<const Lanes*>(w.factors.data());
  auto* products = reinterpret_cast<Lanes*>(w.products.data());
  for (std::size_t g = 0; g < count; g += kStatesPerGroup) {
    const std::size_t group = std::min<std::size_t>(kStatesPerGroup, count - g);
    rng::philox_words(seed, stream, (first + g) * blocks, group * blocks, w.words.data());
    for (std::size_t l0 = 0; l0 < group; l0 += kLanes) {
      const int lanes = static_cast<int>(std::min<std::size_t>(kLanes, group - l0));
      if (lanes < kLanes) std::fill(w.factors.begin(), w.factors.end(), 0.0);
      for (int s = 0; s < lanes; ++s) {
        const std::size_t state = l0 + static_cast<std::size_t>(s);
        rng::BudgetedWords words(&w.words[state * budget], budget, seed, overflow_stream, first + g + state);
        double* t = w.factors.data() + s;  // lane s of T
        for (int i = 1; i < rank_; ++i)
          for (int j = 0; j < i; ++j) t[tri(i, j) * kLanes] = rng::ziggurat_normal(words, *ziggurat_);
        // χ²_{d−i} = 2·Gamma((d − i)/2); the kernel takes the square roots.
        for (int i = 0; i < rank_; ++i)
          t[tri(i, i) * kLanes] = 2.0 * diagonal_[static_cast<std::size_t>(i)](words, *ziggurat_);
      }
      double* out = packed + (g + l0) * pairs;
      switch (m_ == rank_ ? m_ : 0) {
        case 3: bartlett_lanes_m3(plan, factors, products, lanes, out); break;
        case 4: bartlett_lanes_m4(plan, factors, products, lanes, out); break;
        case 5: bartlett_lanes_m5(plan, factors, products, lanes, out); break;
        case 6: bartlett_lanes_m6(plan, factors, products, lanes, out); break;
        default: bartlett_lanes_any(plan, factors, products, lanes, out); break;
      }
    }
  }
}

}  // namespace sglab::expert
