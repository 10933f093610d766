#pragma once
// The per-state Gram matrix of the problem instance (THEORY.md §6):
// Q_r = B_rᵀ B_r with B_r = Z_r Lᵀ, Z_r a d × rank block of standard normals
// and L (m × rank) a factor of MᵀM/d.
//
// The reference computes both products with Eigen (dynamic sizes), as the
// engine always has; their bits are in every pinned summary.csv. The fast path
// computes the same two products four states at a time, one state per SIMD
// lane, with no temporaries, packing or dispatch — and repeats, for every
// entry, the order in which Eigen 3.4 sums that entry's products on this build
// (SSE2 packets of two doubles, no fused multiply-add):
//   - a product with rows + cols + depth < 20 is Eigen's coefficient-based
//     "lazy" product: B's entries are summed in order from 0; Q's entries are
//     vectorised reductions over d (two packets of two partial sums, then
//     the packets, then the halves, then the tail);
//   - larger products run Eigen's GEMM micro-kernel, which sums each entry in
//     order from 0, except rows handled one packet at a time (rows ≥ 4·⌊rows/4⌋
//     when two such rows remain) in the column panels of four: there the first
//     8·⌊depth/8⌋ products go to two accumulators (even and odd steps), which
//     are then added, before the rest follows in order.
// tests/core/expert_gram_test.cpp pins fast == reference bit for bit over every
// (d, m, rank) the fast path takes; where Eigen takes yet another path
// (a matrix–vector product when m = 1 or d = 1; blocked GEMM for sizes ≥ 48)
// the fast path is off and the reference runs.

#include <Eigen/Dense>
#include <cstddef>
#include <vector>

namespace sglab::expert {

class JacobianGram {
 public:
  /// States per fast call (one per SIMD lane).
  static constexpr int kLanes = 4;
  /// Largest m the fast path takes (the lab's interactive limit; also keeps
  /// every product far below Eigen's blocking threshold of 48).
  static constexpr int kMaxFastExperts = 16;

  /// L: m × rank with L Lᵀ = MᵀM/d (rank ≥ 1); d: rows of Z_r.
  JacobianGram(const Eigen::MatrixXd& L, int d);

  int d() const { return d_; }
  int m() const { return m_; }
  int rank() const { return rank_; }
  /// Normals per state: Z_r row by row (d × rank).
  std::size_t normals_per_state() const { return static_cast<std::size_t>(d_) * static_cast<std::size_t>(rank_); }
  std::size_t packed_size() const { return static_cast<std::size_t>(m_) * static_cast<std::size_t>(m_ + 1) / 2; }
  /// Whether fast() reproduces reference() for these sizes.
  bool has_fast_path() const { return fast_; }

  /// Eigen's products for one state: z holds Z_r row by row, `packed` gets the
  /// upper triangle of Q_r row by row ((0,0) (0,1) … (m−1,m−1)).
  void reference(const double* z, double* packed) const;
  /// The same for `states` (1 … kLanes) consecutive states: z holds their Z
  /// one after the other, `packed` gets their triangles one after the other.
  /// Only when has_fast_path().
  void fast(const double* z, int states, double* packed) const;

  /// How one entry's sum of products is ordered (see the header comment).
  enum class SumOrder : unsigned char { kInOrder, kEvenOddFirst, kPairedPackets };

 private:
  int d_, m_, rank_;
  bool fast_;
  Eigen::MatrixXd L_;
  std::vector<double, Eigen::aligned_allocator<double>> l_lanes_;  ///< L row by row, each entry 4 times
  std::vector<SumOrder> b_order_;   ///< d × m, B's entries
  std::vector<SumOrder> q_order_;   ///< packed upper triangle, Q's entries
  bool b_gemm_, q_gemm_;            ///< GEMM kernel (else the lazy product)
  bool b_in_order_, q_in_order_;    ///< every entry kInOrder (the fused loops run)
};

}  // namespace sglab::expert
