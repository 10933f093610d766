#include "core/bandit/neuron_lambda.hpp"

#include <algorithm>

namespace sglab::bandit {

double neuron_lambda_batch(const GradMoments& m, int batch, double old_lambda) {
  if (batch <= 1) return old_lambda;
  const double bm1 = static_cast<double>(batch) - 1.0;
  // S(x, y)/B = (mean(x·y) − x̄·ȳ)/(B − 1) for the sample covariance trace with denominator B − 1.
  const double mean_u_sq = m.mean_h_sq + m.mean_w_sq - 2.0 * m.mean_hw;
  const double ubar_sq = m.hbar_sq + m.wbar_sq - 2.0 * m.wbar_hbar;
  const double v = std::max((mean_u_sq - ubar_sq) / bm1, 0.0);
  const double c = ((m.mean_hw - m.mean_w_sq) - (m.wbar_hbar - m.wbar_sq)) / bm1;
  const double b2 = std::max(ubar_sq - v, 0.0);
  const double denom = v + b2;
  if (!(denom > kLambdaDegenerate)) return old_lambda;
  return std::clamp(-c / denom, 0.0, 1.0);
}

}  // namespace sglab::bandit
