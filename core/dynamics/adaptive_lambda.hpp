#pragma once
// The batch plug-in estimate of the mixing weight (THEORY.md §5, paper
// Appendix H.2; eq 18 with n = B) and its momentum update.
//
// Per node and batch, with per-sample parameter gradients w_k (propagated
// feedback) and h_k (synthetic feedback), k = 1..B, and S(x, y) the sample
// covariance trace with denominator B − 1:
//   u_k = h_k − w_k
//   v   = S(u, u) / B                 variance of the batch mean of u
//   c   = S(w, u) / B                 covariance of the batch means of w and u
//   b²  = max(||ū||² − v, 0)          unbiased estimate of ||E[h − w]||²
//   λ_batch = clamp(−c / (v + b²), 0, 1), keeping the old λ when v + b² ≈ 0
//   λ ← m·λ + (1 − m)·λ_batch

#include <cstdint>

namespace sglab::dynamics {

struct AdaptiveLambdaBatch {
  double v = 0.0;
  double c = 0.0;
  double b2 = 0.0;
  double raw = 0.0;            ///< −c / (v + b²) before clamping (0 when degenerate)
  double lambda_batch = 0.0;   ///< clamp(raw, 0, 1); the old λ when degenerate
  std::int8_t clipped = 0;     ///< −1: raw < 0 clamped to 0; +1: raw > 1 clamped to 1; 0: none
  bool degenerate = false;     ///< v + b² ≈ 0 (relative to the batch's gradient scale): old λ kept
  /// downstream_bias_term() of the batch when the caller computed it (0 otherwise);
  /// read only by the bias-corrected estimator (lambda_estimator.hpp).
  double bias_term = 0.0;
};

/// v + b² counts as ≈ 0 when it is at most this times (mean ||w_k||² + mean ||h_k||²).
constexpr double kDegenerateRelative = 1e-14;

/// The ingredients of THEORY.md §5 for one node on one batch. w and h are
/// row-major [batch][dim]; batch ≥ 2. `old_lambda` is returned as λ_batch when
/// the batch is degenerate.
AdaptiveLambdaBatch adaptive_lambda_batch(const double* w, const double* h, int batch, int dim, double old_lambda);

/// An unbiased batch estimate of eq 18's bias term (E a − μ)·(E a − E b) at n = B,
/// which §5's plug-in drops (it takes the propagated part a as unbiased; with
/// downstream nodes mixing, a is biased: THEORY.md §4). With e_k = w_k − g_k
/// (g_k the per-sample BP parameter gradient, E g = μ) and u_k = h_k − w_k:
///   (E a − μ)·(E a − E b) = −E e · E u,  estimated by −(ē·ū − S(e, u)/B)
/// (E[ē·ū] = E e · E u + Cov-trace(e, u)/B). w, h, g row-major [batch][dim], batch ≥ 2.
double downstream_bias_term(const double* w, const double* h, const double* g, int batch, int dim);

/// λ ← m·λ + (1 − m)·λ_batch (THEORY.md §5). m = 1 returns λ unchanged, bit for bit.
inline double adaptive_lambda_update(double lambda, double lambda_batch, double momentum) {
  if (momentum >= 1.0) return lambda;
  return momentum * lambda + (1.0 - momentum) * lambda_batch;
}

}  // namespace sglab::dynamics
