#include "core/expert/closed_form.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/expert/feedback_noise.hpp"

namespace sglab::expert {

double ClosedForm::mse_at(double lambda) const {
  return (1 - lambda) * (1 - lambda) * mse_bp + lambda * lambda * mse_sg() +
         2 * lambda * (1 - lambda) * cross;
}

// Minimiser of the quadratic mse_at: λ(A + B − 2C) = A − C, with A = mse_bp,
// B = mse_sg, C = cross (eq 18 specialised to this model). The denominator is
// E||Δ_BP − Δ_SG||² ≥ 0; when it vanishes BP ≡ SG and λ is irrelevant.
double ClosedForm::lambda_star() const {
  const double denom = mse_bp + mse_sg() - 2 * cross;
  const double scale = mse_bp + mse_sg();
  if (!(denom > 1e-14 * scale) || scale == 0.0) return 0.0;
  return std::clamp((mse_bp - cross) / denom, 0.0, 1.0);
}

ClosedForm closed_form(const ExpertProblem& problem, NoiseCase c, const NoiseParams& noise, int n) {
  const std::size_t R = problem.states();
  const int m = problem.m();
  const auto ms = static_cast<std::size_t>(m);
  const std::size_t keys = problem.keys_per_expert();
  const double G = static_cast<double>(problem.class_size());

  // Per (expert, key): Σ v over the class and the class mean of δ.
  std::vector<double> var_sum(ms * keys, 0.0), delta_mean(ms * keys, 0.0);
  for (std::size_t r = 0; r < R; ++r)
    for (int j = 0; j < m; ++j) {
      const std::size_t slot = static_cast<std::size_t>(j) * keys + problem.key(r, j);
      const double delta = problem.clean_feedback(r, j);
      var_sum[slot] += averaged_feedback_variance(c, noise, n, delta, problem.alpha(j));
      delta_mean[slot] += delta / G;
    }

  ClosedForm out;
  std::vector<double> beta(ms);
  for (std::size_t r = 0; r < R; ++r) {
    for (int j = 0; j < m; ++j) {
      const auto js = static_cast<std::size_t>(j);
      const std::size_t slot = js * keys + problem.key(r, j);
      const double qjj = problem.gram_entry(r, j, j);
      const double v = averaged_feedback_variance(c, noise, n, problem.clean_feedback(r, j),
                                                  problem.alpha(j));
      out.mse_bp += qjj * v;                       // E[err_BP] (eq 23)
      out.sg_var += qjj * var_sum[slot] / (G * G);  // E[err_SG], noise part
      out.cross += qjj * v / G;                     // Cov(ē_rj, table) = v_rj / G
      beta[js] = delta_mean[slot] - problem.clean_feedback(r, j);
    }
    out.sg_bias2 += problem.quadratic_form(r, beta.data());  // leak bias β_rᵀ Q_r β_r
  }
  const double inv_r2 = 1.0 / (static_cast<double>(R) * static_cast<double>(R));
  out.mse_bp *= inv_r2;
  out.sg_var *= inv_r2;
  out.cross *= inv_r2;
  out.sg_bias2 *= inv_r2;
  return out;
}

double crossover_n(const ExpertProblem& problem, NoiseCase c, const NoiseParams& noise) {
  // Both variances scale as 1/n in every case, so one evaluation at n = 1
  // gives mse_bp(n) = A/n and mse_sg(n) = V/n + bias².
  const ClosedForm at_one = closed_form(problem, c, noise, 1);
  const double gain = at_one.mse_bp - at_one.sg_var;
  if (gain <= 0) return 0.0;
  // A bias at rounding level (class means of equal δ) is no bias.
  if (at_one.sg_bias2 <= 1e-12 * gain) return std::numeric_limits<double>::infinity();
  return gain / at_one.sg_bias2;
}

}  // namespace sglab::expert
