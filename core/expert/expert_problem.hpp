#pragma once
// One problem instance of the finite-partition expert network (THEORY.md §6),
// drawn once per (d, k, m, leak, seed) and shared by every case, n and trial.

#include <cstdint>
#include <vector>

#include "core/expert/pooled_gram.hpp"
#include "core/expert/state_array_allocator.hpp"
#include "core/util/parallel_for.hpp"

namespace sglab::expert {

struct ProblemSpec {
  int d = 8;
  int k = 3;
  int m = 5;
  double leak = 0.0;  ///< ε: adds ε·z_r[c_j] to expert j's target (beyond the paper)
  std::uint64_t seed = 0;
};

class StateTables;

/// States r ∈ [0, 2^d): z_r[b] = +1 if bit b of r is set, else −1.
class ExpertProblem {
 public:
  /// Draws the instance; the per-state Gram matrices are computed in parallel
  /// (deterministically). Throws sglab::Cancelled if cancelled.
  static ExpertProblem build(const ProblemSpec& spec, int threads = 0,
                             const WorkControl* control = nullptr);

  const ProblemSpec& spec() const { return spec_; }
  int d() const { return spec_.d; }
  int k() const { return spec_.k; }
  int m() const { return spec_.m; }
  std::size_t states() const { return std::size_t{1} << spec_.d; }
  std::size_t keys_per_expert() const { return std::size_t{1} << spec_.k; }
  /// G = 2^{d−k}: states sharing each key (eq 22's equivalence class size).
  std::size_t class_size() const { return std::size_t{1} << (spec_.d - spec_.k); }

  /// C_j: the k coordinates expert j sees (drawn without replacement).
  const std::vector<int>& coordinates(int j) const { return coords_[static_cast<std::size_t>(j)]; }
  /// c_j: the coordinate outside C_j that the leak reads (−1 when k = d).
  int leak_coordinate(int j) const { return leak_coord_[static_cast<std::size_t>(j)]; }
  double alpha(int j) const { return alpha_[static_cast<std::size_t>(j)]; }
  /// α_0 … α_{m−1}.
  const double* alphas() const { return alpha_.data(); }
  /// a_j: expert j's output weights on its coordinates C_j (column j of M is P_jᵀ a_j).
  const std::vector<double>& output_weights(int j) const { return a_[static_cast<std::size_t>(j)]; }

  /// Expert j's key at state r: the bits of u_j = z_r[C_j] as an integer.
  std::uint32_t key(std::size_t r, int j) const {
    return key_[r * static_cast<std::size_t>(spec_.m) + static_cast<std::size_t>(j)];
  }
  /// Clean expert feedback δ_rj = y_j − t_j (with the leak term when ε > 0).
  double clean_feedback(std::size_t r, int j) const {
    return delta_[r * static_cast<std::size_t>(spec_.m) + static_cast<std::size_t>(j)];
  }
  /// Rows of m entries from state r on: key(r, 0 …) and clean_feedback(r, 0 …).
  const std::uint32_t* key_row(std::size_t r) const { return &key_[r * static_cast<std::size_t>(spec_.m)]; }
  const double* clean_feedback_row(std::size_t r) const { return &delta_[r * static_cast<std::size_t>(spec_.m)]; }
  /// Q_r = B_rᵀ B_r (m × m, symmetric): the error of block r is B_r e_r, so
  /// ||error||² = eᵀ Q_r e (THEORY.md §6). Stored as the packed upper
  /// triangle, row by row: (0,0) (0,1) … (0,m−1) (1,1) … (m−1,m−1).
  const double* gram_packed(std::size_t r) const { return &gram_[r * packed_size()]; }
  double gram_entry(std::size_t r, int a, int b) const;
  std::size_t packed_size() const {
    return static_cast<std::size_t>(spec_.m) * static_cast<std::size_t>(spec_.m + 1) / 2;
  }
  /// eᵀ Q_r e for an m-vector e (diagonal and off-diagonal sums apart, then diagonal + 2·off).
  double quadratic_form(std::size_t r, const double* e) const {
    const double* q = gram_packed(r);
    const int m = spec_.m;
    double diagonal = 0.0, off = 0.0;
    for (int a = 0; a < m; ++a) {
      diagonal += *q++ * e[a] * e[a];
      for (int b = a + 1; b < m; ++b) off += *q++ * e[a] * e[b];
    }
    return diagonal + 2.0 * off;
  }

  /// Per-key Gram sums for the fast SG error (see pooled_gram.hpp).
  const PooledGram& pooled() const { return pooled_; }

  /// Bytes held by an instance with this spec.
  static double memory_bytes(const ProblemSpec& spec);

 private:
  ProblemSpec spec_;
  std::vector<std::vector<int>> coords_;
  std::vector<int> leak_coord_;
  std::vector<double> alpha_;
  std::vector<std::vector<double>> a_;
  // Filled entirely by build()'s parallel chunks (state_array_allocator.hpp).
  std::vector<std::uint32_t, StateArrayAllocator<std::uint32_t>> key_;  ///< R × m
  std::vector<double, StateArrayAllocator<double>> delta_;              ///< R × m
  std::vector<double, StateArrayAllocator<double>> gram_;               ///< R × m(m+1)/2, packed upper triangles
  PooledGram pooled_;

  // The per-key Gram sums (pooled_gram.hpp): pool_states over consecutive
  // state ranges in order, between start and finish, for each part of the
  // sums apart (PooledPart: different parts can be pooled at once).
  struct PooledPart {
    bool class_means = false;     ///< δ̄ as well as the pairs
    std::size_t first_pair = 0;   ///< packed pairs first_pair, first_pair + 1, … of W
    std::vector<int> row, column;  ///< the experts (a, b) of each of those pairs
  };
  bool pooled_pays_off() const;
  void start_pooled_gram();
  std::vector<PooledPart> pooled_parts() const;
  void pool_states(std::size_t begin, std::size_t end, const PooledPart& part);
  void finish_pooled_gram();
  /// Keys and clean feedback of states [begin, end).
  void set_keys_and_feedback(std::size_t begin, std::size_t end, const StateTables& tables);
  /// Each expert's draws (coordinates, leak coordinate, α into the members; the
  /// feedback's coefficients a, β, b, γ into the arguments).
  void draw_experts(std::vector<std::vector<double>>& beta, std::vector<double>& b, std::vector<double>& gamma);
  /// Keys, clean feedback and Q_r of every state, and the per-key sums when they pay off.
  void build_states(const std::vector<std::vector<double>>& beta, const std::vector<double>& b,
                    const std::vector<double>& gamma, int threads, const WorkControl* control);
};

}  // namespace sglab::expert
