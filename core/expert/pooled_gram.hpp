#pragma once
// Per-key sums of the Gram matrices, so a trial's SG error costs O(m²·4^k)
// instead of O(2^d·m²) (THEORY.md §6, every-state sampling).
//
// With every state visited, SG's feedback error at state r for expert a is
// Δ_ra = d_a[key_ra] + β_ra: the table's noise d (one value per key) plus the
// leak bias β_ra = δ̄_a[key_ra] − δ_ra (zero without leak). Expanding
// Σ_r Δ_rᵀ Q_r Δ_r by key pairs gives
//   dᵀ W d + 2 Σ_b Σ_key d_b[key] V_b[key] + Σ_r β_rᵀ Q_r β_r,
// W_ab[ka, kb] = Σ_{r: key_ra = ka, key_rb = kb} Q_r[a, b],
// V_b[kb]      = Σ_{r: key_rb = kb} (Q_r β_r)_b.

#include <cstddef>
#include <vector>

namespace sglab::expert {

struct PooledGram {
  bool available = false;          ///< false when 4^k is too large to pay off
  std::vector<double> class_mean;  ///< δ̄: m × 2^k, the clean feedback's class means
  std::vector<double> w;           ///< packed pairs a ≤ b, each 2^k × 2^k (row ka, column kb)
  std::vector<double> v;           ///< m × 2^k (leak only)
  double bias_total = 0.0;         ///< Σ_r β_rᵀ Q_r β_r (leak only)
  bool has_leak_bias = false;
};

/// `sum` + dᵀ W d over the packed pairs a ≤ c (the pairs a < c twice), for the
/// table deviations `dev` (m × K). One order of operations for the reference
/// path and the lane kernel, so both give the same bits.
inline double add_pooled_quadratic_form(const PooledGram& pooled, const double* dev, int m, std::size_t K,
                                        double sum) {
  const double* w = pooled.w.data();
  for (int a = 0; a < m; ++a)
    for (int c = a; c < m; ++c, w += K * K) {
      const double* da = dev + static_cast<std::size_t>(a) * K;
      const double* dc = dev + static_cast<std::size_t>(c) * K;
      double pair = 0.0;
      for (std::size_t ka = 0; ka < K; ++ka) {
        double row = 0.0;
        for (std::size_t kc = 0; kc < K; ++kc) row += w[ka * K + kc] * dc[kc];
        pair += da[ka] * row;
      }
      sum += (a == c ? 1.0 : 2.0) * pair;
    }
  return sum;
}

}  // namespace sglab::expert
