#pragma once
// The exact analysis's per-node accumulators (core/dag/dag_exact_analysis.cpp
// runs the passes over the outcome space; this holds what each pass adds to,
// and turns a node's sums into its DagNodeExact). Internal to the exact
// analysis: included by dag_exact_analysis.cpp only.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/dag/dag_exact_analysis.hpp"
#include "core/dag/dag_network.hpp"
#include "core/dag/rounded_key_index.hpp"

namespace sglab::dag::exact_detail {

// Large tables (x, δ and the per-configuration means: hundreds of MB) are
// touched once per 4 KB page on first write; on a VM each page fault costs
// microseconds (32-node bench: 74k faults, 0.34 s of system time; 21k and
// 0.21 s with this hint). Asking for transparent huge pages on the 2 MB-aligned
// interior takes 512 times fewer faults. A hint only: contents and results do
// not depend on it.
double* new_table(std::size_t count);

// μ += pm f (eq 6) and, for the best-linear predictor, Gram += (pc f_r) f_q:
// the products and sums of the generic loop below (pc · f_r · f_q evaluates as
// (pc · f_r) · f_q), unrolled for the lab's small fan-ins.
template <int K>
void add_moments_fixed(double* mu, double* gram, const double* f, double pm, double pc, bool with_gram) {
  for (int r = 0; r < K; ++r) {
    mu[r] += pm * f[r];
    if (!with_gram) continue;
    const double pf = pc * f[r];
    for (int q = 0; q < K; ++q) gram[r * K + q] += pf * f[q];
  }
}

inline void add_moments(double* mu, double* gram, const double* f, double pm, double pc, bool with_gram, std::size_t k) {
  switch (k) {
    case 2: add_moments_fixed<2>(mu, gram, f, pm, pc, with_gram); return;
    case 3: add_moments_fixed<3>(mu, gram, f, pm, pc, with_gram); return;
    case 4: add_moments_fixed<4>(mu, gram, f, pm, pc, with_gram); return;
    case 5: add_moments_fixed<5>(mu, gram, f, pm, pc, with_gram); return;
    case 6: add_moments_fixed<6>(mu, gram, f, pm, pc, with_gram); return;
    default:
      for (std::size_t r = 0; r < k; ++r) {
        mu[r] += pm * f[r];
        if (!with_gram) continue;
        for (std::size_t q = 0; q < k; ++q) gram[r * k + q] += pc * f[r] * f[q];
      }
  }
}

// Each second moment of eq 8 and eq 16–18 is Σ_outcomes p (f x − E)·(f y − F),
// with f = [x_pa(i), 1] fixed by the configuration. It splits exactly into
//   within:  Σ_c ||f||² Σ_s p (x_s − x̄_c)(y_s − ȳ_c)   (x̄_c: mean over c's signs)
//   between: Σ_c p_c (f x̄_c − E)·(f ȳ_c − F)
// (the cross term vanishes: Σ_s p (x_s − x̄_c) = 0). The within part needs no
// mean over configurations, so it is summed in pass 2 with SG's means; the
// between part of SG needs those means and is summed in pass 3 from x̄_c, ȳ_c
// kept per configuration. Issue 12: this replaced a third evaluation of BP and
// SG over all outcomes (the sums over outcomes are now taken in this order,
// not outcome by outcome: the results differ in the last bits, see
// tests/core/dag_exact_test.cpp, FusedCenteredSumsMatchOutcomeByOutcomeSums).
// ECV uses the group mean instead of E: its between part is p_c ||f||² (x̄_c − x̄_group)².
struct CenteredSums {
  double ecv_bp = 0, ecv_sg = 0;      // between part only (the within part is total's)
  double total_bp = 0, total_sg = 0;  // BP: m; SG: the mix (1 − λ) a + λ b
  double tr_a = 0, tr_b = 0, tr_ab = 0, tr_amb = 0;
};

// k doubles: on the stack for a compile-time K > 0 (so that loops over it unroll
// and it can live in registers), on the heap for K = 0 (k known at run time).
template <int K>
class KVector {
 public:
  explicit KVector(std::size_t k) : heap_(K > 0 ? 0 : k) {}
  double& operator[](std::size_t r) { return data()[r]; }
  double* data() { return K > 0 ? fixed_ : heap_.data(); }

 private:
  double fixed_[K > 0 ? K : 1] = {};
  std::vector<double> heap_;
};

// Everything accumulated for one non-input node across the passes.
struct NodeAccumulator {
  int node = 0;
  int k = 0;                      // dimension of θ_i: parents + 1
  double lambda = 0.0;
  // Observation groups (o_i) and joint groups (o_i, x_A(i)).
  RoundedKeyIndex observation_index;
  RoundedKeyIndex joint_index;
  std::vector<int> joint_key_nodes;  // pa(i) ∪ A(i), sorted
  std::vector<double> weight, sum_m, sum_g, sum_a, sum_b;
  std::vector<double> joint_weight, joint_sum_g;
  std::vector<std::uint32_t> joint_group;  // observation group of each joint group
  // Pass 1 (backprop): μ, Gram matrix of [o_i, 1], E g², sign-noise variance.
  std::vector<double> mu, gram;
  double g2 = 0.0, sign_noise = 0.0;
  // Pass 2 (synthetic): E a, E b.
  std::vector<double> mean_a, mean_b;
  // Centered sums, split into a part within configurations (over the terminal
  // signs, pass 2) and a part between them (pass 2 for BP, pass 3 for SG and
  // the mixing moments): see CenteredSums.
  CenteredSums within, between;
  double vcm_bp = 0, vcm_sg = 0, distance = 0;
};

/// The node's results from its accumulated sums (CenteredSums: within part +
/// between part; Bgap from the joint groups, §3). `full_moments`: the total
/// variances were summed (DagExactOptions::full_moments).
DagNodeExact node_result(const NodeAccumulator& acc, const DagNetwork& net, bool full_moments,
                         std::vector<int> extended_ancestors);

}  // namespace sglab::dag::exact_detail
