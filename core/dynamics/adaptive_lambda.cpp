#include "core/dynamics/adaptive_lambda.hpp"

#include <algorithm>
#include <vector>

namespace sglab::dynamics {

AdaptiveLambdaBatch adaptive_lambda_batch(const double* w, const double* h, int batch, int dim, double old_lambda) {
  AdaptiveLambdaBatch out;
  const auto d = static_cast<std::size_t>(dim);
  // Batch means w̄ and ū (two passes: centred sums stay accurate when the means are large).
  // Batch means in a stack buffer for the usual small fan-ins (no allocation per node and step).
  constexpr std::size_t kSmall = 32;
  double small[2 * kSmall];
  std::vector<double> large;
  double* mean_w = small;
  if (d > kSmall) {
    large.assign(2 * d, 0.0);
    mean_w = large.data();
  }
  double* mean_u = mean_w + d;
  for (std::size_t j = 0; j < d; ++j) mean_w[j] = mean_u[j] = 0.0;
  double scale = 0.0;  // Σ_k ||w_k||² + ||h_k||²
  for (int k = 0; k < batch; ++k) {
    const double* wk = w + static_cast<std::size_t>(k) * d;
    const double* hk = h + static_cast<std::size_t>(k) * d;
    for (std::size_t j = 0; j < d; ++j) {
      mean_w[j] += wk[j];
      mean_u[j] += hk[j] - wk[j];  // u_k = h_k − w_k
      scale += wk[j] * wk[j] + hk[j] * hk[j];
    }
  }
  const double inv_b = 1.0 / static_cast<double>(batch);
  for (std::size_t j = 0; j < d; ++j) {
    mean_w[j] *= inv_b;
    mean_u[j] *= inv_b;
  }
  double suu = 0.0, swu = 0.0;
  for (int k = 0; k < batch; ++k) {
    const double* wk = w + static_cast<std::size_t>(k) * d;
    const double* hk = h + static_cast<std::size_t>(k) * d;
    for (std::size_t j = 0; j < d; ++j) {
      const double du = (hk[j] - wk[j]) - mean_u[j];
      suu += du * du;
      swu += (wk[j] - mean_w[j]) * du;
    }
  }
  const double bm1 = static_cast<double>(batch - 1);
  double mean_u_norm2 = 0.0;
  for (std::size_t j = 0; j < d; ++j) mean_u_norm2 += mean_u[j] * mean_u[j];
  out.v = suu / bm1 * inv_b;                      // S(u, u) / B
  out.c = swu / bm1 * inv_b;                      // S(w, u) / B
  out.b2 = std::max(mean_u_norm2 - out.v, 0.0);   // max(||ū||² − v, 0)
  const double denominator = out.v + out.b2;
  if (!(denominator > kDegenerateRelative * scale * inv_b)) {
    out.degenerate = true;
    out.raw = 0.0;
    out.lambda_batch = old_lambda;
    return out;
  }
  out.raw = -out.c / denominator;  // eq 18 with n = B, propagated part taken as unbiased
  out.lambda_batch = std::clamp(out.raw, 0.0, 1.0);
  out.clipped = out.raw < 0.0 ? std::int8_t{-1} : (out.raw > 1.0 ? std::int8_t{1} : std::int8_t{0});
  return out;
}

double downstream_bias_term(const double* w, const double* h, const double* g, int batch, int dim) {
  const auto d = static_cast<std::size_t>(dim);
  const auto b = static_cast<std::size_t>(batch);
  std::vector<double> mean_e(d, 0.0), mean_u(d, 0.0);
  for (std::size_t k = 0; k < b; ++k)
    for (std::size_t j = 0; j < d; ++j) {
      const std::size_t at = k * d + j;
      mean_e[j] += w[at] - g[at];
      mean_u[j] += h[at] - w[at];
    }
  const double inv_b = 1.0 / static_cast<double>(batch);
  double dot = 0.0;
  for (std::size_t j = 0; j < d; ++j) {
    mean_e[j] *= inv_b;
    mean_u[j] *= inv_b;
    dot += mean_e[j] * mean_u[j];
  }
  double seu = 0.0;
  for (std::size_t k = 0; k < b; ++k)
    for (std::size_t j = 0; j < d; ++j) {
      const std::size_t at = k * d + j;
      seu += (w[at] - g[at] - mean_e[j]) * (h[at] - w[at] - mean_u[j]);
    }
  const double covariance_of_means = seu / static_cast<double>(batch - 1) * inv_b;  // S(e, u) / B
  return -(dot - covariance_of_means);
}

}  // namespace sglab::dynamics
