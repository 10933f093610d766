#pragma once
// The per-state Gram matrices of the problem instance (THEORY.md §6), drawn
// through the Bartlett decomposition of a Wishart matrix.
//
// THEORY.md §6: Q_r = B_rᵀ B_r with B_r = J_rᵀ M and J_r's entries i.i.d.
// N(0, 1/d). The d rows of B_r are i.i.d. N(0, MᵀM/d), so B_r = Z_r Lᵀ with
// Z_r a d × rank block of standard normals and L Lᵀ = MᵀM/d (L: m × rank,
// rank ≤ min(d, m)), and Q_r = L (Z_rᵀ Z_r) Lᵀ. Nothing else ever reads Z_r
// or B_r: only Z_rᵀ Z_r ~ Wishart_rank(d, I) matters. Bartlett (1933):
// Z_rᵀ Z_r has the law of T Tᵀ, T lower triangular (rank × rank) with
//   T_ii = √χ²_{d−i}   (i = 0 … rank − 1, zero-based; d − i ≥ d − rank + 1 ≥ 1),
//   T_ij ~ N(0, 1)     (i > j),
// all independent. So Q_r = C Cᵀ with C = L T: rank(rank − 1)/2 normals and
// rank χ² draws per state instead of d·rank normals (at d = 20, rank 5:
// 10 + 5 draws instead of 100), and an m × rank product instead of d × rank.
// χ²_ν = 2·Gamma(ν/2) (rng/gamma_sampler.hpp; ν = 1 takes its boost).
//
// Words (rng/budgeted_words.hpp): state r reads the blocks
// [r·B, (r + 1)·B) of `stream` (B = blocks_per_state()), then, if its
// rejection steps need more, its own blocks of `overflow_stream`. In that
// stream of words it draws the T_ij (i > j) row by row, (1,0) (2,0) (2,1) …,
// by the ziggurat, then T_00, T_11, … in order.
//
// Arithmetic (every state in the same order, four states per SIMD lane set,
// no fused multiply-add; tests/core/expert_gram_test.cpp pins the kernel
// against a scalar loop bit for bit):
//   C(j, c) = L(j, c)·T(c, c) + L(j, c+1)·T(c+1, c) + … + L(j, rank−1)·T(rank−1, c),
//   Q(x, y) = C(x, 0)·C(y, 0) + C(x, 1)·C(y, 1) + … + C(x, rank−1)·C(y, rank−1),
// each sum left to right.

#include <Eigen/Dense>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/rng/gamma_sampler.hpp"
#include "core/rng/ziggurat_normal.hpp"

namespace sglab::expert {

class BartlettGram {
 public:
  /// States per SIMD lane set.
  static constexpr int kLanes = 4;
  /// States whose words one wide Philox call makes (a multiple of the AVX2 step's 12 blocks).
  static constexpr int kStatesPerGroup = 12;

  /// L: m × rank with L Lᵀ = MᵀM/d (rank ≤ min(d, m)); d: rows of the Z_r it replaces.
  /// blocks_per_state: the words budget per state, in Philox blocks (0: the default,
  /// a few words above the fewest a state can read).
  BartlettGram(const Eigen::MatrixXd& L, int d, int blocks_per_state = 0);

  int d() const { return d_; }
  int m() const { return m_; }
  int rank() const { return rank_; }
  int blocks_per_state() const { return blocks_per_state_; }
  /// Entries of T, the packed lower triangle row by row: (0,0) (1,0) (1,1) (2,0) …
  std::size_t factor_size() const { return static_cast<std::size_t>(rank_) * static_cast<std::size_t>(rank_ + 1) / 2; }
  std::size_t packed_size() const { return static_cast<std::size_t>(m_) * static_cast<std::size_t>(m_ + 1) / 2; }
  /// χ²_{d−i} as 2·Gamma((d − i)/2): the sampler of diagonal entry i.
  const rng::GammaSampler& diagonal_sampler(int i) const { return diagonal_[static_cast<std::size_t>(i)]; }

  /// Scratch for states(); one per thread.
  class Workspace {
   public:
    explicit Workspace(const BartlettGram& gram);

   private:
    friend class BartlettGram;
    std::vector<std::uint32_t> words;  ///< kStatesPerGroup states' budgets
    std::vector<double> factors;       ///< T of kLanes states, lane-interleaved
    std::vector<double> products;      ///< C of kLanes states, lane-interleaved
  };

  /// Q_r of states r = first … first + count − 1: their packed upper triangles
  /// ((0,0) (0,1) … (m−1,m−1)), one after the other, into `packed`.
  void states(std::uint64_t seed, std::uint64_t stream, std::uint64_t overflow_stream, std::uint64_t first,
              std::size_t count, double* packed, Workspace& workspace) const;

 private:
  int d_, m_, rank_, blocks_per_state_;
  std::vector<rng::GammaSampler> diagonal_;
  std::vector<double> l_lanes_;  ///< L row by row, each entry kLanes times
  const rng::ZigguratTables* ziggurat_;
};

}  // namespace sglab::expert
