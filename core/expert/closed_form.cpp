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

namespace {

// averaged_feedback_variance(c, noise, n, δ, α_j) for every (r, j), with the
// case switch and the δ-free factors taken out of the loops; each value is
// computed by the same expression, so the sums below are unchanged to the bit.
class VarianceOf {
 public:
  VarianceOf(NoiseCase c, const NoiseParams& noise, int n, const ExpertProblem& problem)
      : case_(c), nn_(static_cast<double>(n)), one_minus_p_(1.0 - noise.p), np_(nn_ * noise.p) {
    for (int j = 0; j < problem.m(); ++j)
      by_expert_.push_back(averaged_feedback_variance(c, noise, n, 0.0, problem.alpha(j)));
  }
  double operator()(double delta, int j) const {
    if (case_ == NoiseCase::kActivation) return delta * delta * one_minus_p_ / np_;
    return by_expert_[static_cast<std::size_t>(j)];  // σ²/n or α_j²τ²/n: no δ
  }

 private:
  NoiseCase case_;
  double nn_, one_minus_p_, np_;
  std::vector<double> by_expert_;
};

}  // namespace

ClosedForm closed_form(const ExpertProblem& problem, NoiseCase c, const NoiseParams& noise, int n) {
  const std::size_t R = problem.states();
  const int m = problem.m();
  const auto ms = static_cast<std::size_t>(m);
  const std::size_t keys = problem.keys_per_expert();
  const double G = static_cast<double>(problem.class_size());
  const VarianceOf variance(c, noise, n, problem);

  // Per (expert, key): Σ v over the class and the class mean of δ.
  std::vector<double> var_sum(ms * keys, 0.0), delta_mean(ms * keys, 0.0);
  for (std::size_t r = 0; r < R; ++r) {
    const std::uint32_t* key = problem.key_row(r);
    const double* delta = problem.clean_feedback_row(r);
    for (int j = 0; j < m; ++j) {
      const std::size_t slot = static_cast<std::size_t>(j) * keys + key[j];
      var_sum[slot] += variance(delta[j], j);
      delta_mean[slot] += delta[j] / G;
    }
  }

  ClosedForm out;
  std::vector<double> beta(ms);
  std::vector<std::size_t> diagonal(ms);  // packed index of Q[j, j]
  for (std::size_t j = 0, p = 0; j < ms; p += ms - j, ++j) diagonal[j] = p;
  for (std::size_t r = 0; r < R; ++r) {
    const std::uint32_t* key = problem.key_row(r);
    const double* delta = problem.clean_feedback_row(r);
    const double* q = problem.gram_packed(r);
    for (int j = 0; j < m; ++j) {
      const auto js = static_cast<std::size_t>(j);
      const std::size_t slot = js * keys + key[j];
      const double qjj = q[diagonal[js]];
      const double v = variance(delta[j], j);
      out.mse_bp += qjj * v;                        // E[err_BP] (eq 23)
      out.sg_var += qjj * var_sum[slot] / (G * G);  // E[err_SG], noise part
      out.cross += qjj * v / G;                     // Cov(ē_rj, table) = v_rj / G
      beta[js] = delta_mean[slot] - delta[j];
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
  return crossover_n_from(closed_form(problem, c, noise, 1));
}

double crossover_n_from(const ClosedForm& at_one) {
  // Both variances scale as 1/n in every case, so one evaluation at n = 1
  // gives mse_bp(n) = A/n and mse_sg(n) = V/n + bias².
  const double gain = at_one.mse_bp - at_one.sg_var;
  if (gain <= 0) return 0.0;
  // A bias at rounding level (class means of equal δ) is no bias.
  if (at_one.sg_bias2 <= 1e-12 * gain) return std::numeric_limits<double>::infinity();
  return gain / at_one.sg_bias2;
}

}  // namespace sglab::expert
