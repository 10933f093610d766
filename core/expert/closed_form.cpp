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

// Σ over the G states of a class of the noise variance, per (expert, key),
// in state order. In the noisy and partial cases v does not depend on δ, so
// every key of expert j sums the same G copies of v_j (each key is the bits
// of k distinct coordinates: exactly G states per key), one sum per expert.
std::vector<double> class_variance_sums(const ExpertProblem& problem, NoiseCase c,
                                        const NoiseParams& noise, int n) {
  const int m = problem.m();
  const std::size_t keys = problem.keys_per_expert(), G = problem.class_size();
  std::vector<double> var_sum(static_cast<std::size_t>(m) * keys, 0.0);
  if (c == NoiseCase::kActivation) {
    // averaged_feedback_variance's expression, δ²(1 − p)/(n p) in its order,
    // with the case switch and the out-of-line call hoisted.
    const double one_minus_p = 1.0 - noise.p, np = static_cast<double>(n) * noise.p;
    for (std::size_t r = 0; r < problem.states(); ++r) {
      const std::uint32_t* key = problem.key_row(r);
      const double* delta = problem.clean_feedback_row(r);
      for (int j = 0; j < m; ++j)
        var_sum[static_cast<std::size_t>(j) * keys + key[j]] += delta[j] * delta[j] * one_minus_p / np;
    }
    return var_sum;
  }
  for (int j = 0; j < m; ++j) {
    const double v = averaged_feedback_variance(c, noise, n, 0.0, problem.alpha(j));
    double sum = 0.0;
    for (std::size_t i = 0; i < G; ++i) sum += v;
    std::fill_n(var_sum.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(j) * keys),
                keys, sum);
  }
  return var_sum;
}

// Σ_r β_rᵀ Q_r β_r with β_r = δ̄[key_r] − δ_r, each term as
// ExpertProblem::quadratic_form forms it (diagonal and off-diagonal sums
// apart, then diagonal + 2·off). kM > 0 fixes m at compile time.
template <int kM>
double leak_bias_sum(const ExpertProblem& problem, const double* class_mean) {
  const int m = kM > 0 ? kM : problem.m();
  const std::size_t keys = problem.keys_per_expert();
  double beta[ExpertLimits::kMaxExperts];
  double sum = 0.0;
  for (std::size_t r = 0; r < problem.states(); ++r) {
    const std::uint32_t* key = problem.key_row(r);
    const double* delta = problem.clean_feedback_row(r);
    for (int j = 0; j < m; ++j) beta[j] = class_mean[static_cast<std::size_t>(j) * keys + key[j]] - delta[j];
    const double* q = problem.gram_packed(r);
    double diagonal = 0.0, off = 0.0;
    for (int a = 0; a < m; ++a) {
      diagonal += *q++ * beta[a] * beta[a];
      for (int b = a + 1; b < m; ++b) off += *q++ * beta[a] * beta[b];
    }
    sum += diagonal + 2.0 * off;
  }
  return sum;
}

}  // namespace

ClosedFormBase closed_form_base(const ExpertProblem& problem) {
  const std::size_t R = problem.states();
  const int m = problem.m();
  const auto ms = static_cast<std::size_t>(m);
  const std::size_t keys = problem.keys_per_expert();
  const double G = static_cast<double>(problem.class_size());
  ClosedFormBase base;
  if (problem.pooled().available) {
    // The build summed the same terms in the same state order (pool_states).
    base.class_mean = problem.pooled().class_mean;
  } else {
    base.class_mean.assign(ms * keys, 0.0);
    for (std::size_t r = 0; r < R; ++r) {
      const std::uint32_t* key = problem.key_row(r);
      const double* delta = problem.clean_feedback_row(r);
      for (int j = 0; j < m; ++j) base.class_mean[static_cast<std::size_t>(j) * keys + key[j]] += delta[j] / G;
    }
  }
  switch (m) {
    case 3: base.bias_sum = leak_bias_sum<3>(problem, base.class_mean.data()); break;
    case 4: base.bias_sum = leak_bias_sum<4>(problem, base.class_mean.data()); break;
    case 5: base.bias_sum = leak_bias_sum<5>(problem, base.class_mean.data()); break;
    case 6: base.bias_sum = leak_bias_sum<6>(problem, base.class_mean.data()); break;
    default: base.bias_sum = leak_bias_sum<0>(problem, base.class_mean.data()); break;
  }
  return base;
}

ClosedForm closed_form(const ExpertProblem& problem, NoiseCase c, const NoiseParams& noise, int n) {
  return closed_form(problem, closed_form_base(problem), c, noise, n);
}

// G is a power of two, so x / G and x / G² equal x·(1/G) and x·(1/G²) to the
// bit (both are x·2^−s rounded once); the multiplies spare two divisions per term.
ClosedForm closed_form(const ExpertProblem& problem, const ClosedFormBase& base, NoiseCase c,
                       const NoiseParams& noise, int n) {
  const std::size_t R = problem.states();
  const int m = problem.m();
  const auto ms = static_cast<std::size_t>(m);
  const std::size_t keys = problem.keys_per_expert();
  const double G = static_cast<double>(problem.class_size());
  const double inv_g = 1.0 / G, inv_g2 = 1.0 / (G * G);
  const std::vector<double> var_sum = class_variance_sums(problem, c, noise, n);
  std::vector<double> by_expert(ms);  // v_j where it does not depend on δ
  for (int j = 0; j < m; ++j)
    by_expert[static_cast<std::size_t>(j)] = averaged_feedback_variance(c, noise, n, 0.0, problem.alpha(j));
  const bool activation = c == NoiseCase::kActivation;
  const double one_minus_p = 1.0 - noise.p, np = static_cast<double>(n) * noise.p;
  std::vector<std::size_t> diagonal(ms);  // packed index of Q[j, j]
  for (std::size_t j = 0, p = 0; j < ms; p += ms - j, ++j) diagonal[j] = p;
  ClosedForm out;
  for (std::size_t r = 0; r < R; ++r) {
    const std::uint32_t* key = problem.key_row(r);
    const double* delta = problem.clean_feedback_row(r);
    const double* q = problem.gram_packed(r);
    for (std::size_t j = 0; j < ms; ++j) {
      const double qjj = q[diagonal[j]];
      // averaged_feedback_variance's expression, case switch hoisted.
      const double v = activation ? delta[j] * delta[j] * one_minus_p / np : by_expert[j];
      out.mse_bp += qjj * v;                                // E[err_BP] (eq 23)
      out.sg_var += qjj * var_sum[j * keys + key[j]] * inv_g2;  // E[err_SG], noise part
      out.cross += qjj * v * inv_g;                         // Cov(ē_rj, table) = v_rj / G
    }
  }
  const double inv_r2 = 1.0 / (static_cast<double>(R) * static_cast<double>(R));
  out.mse_bp *= inv_r2;
  out.sg_var *= inv_r2;
  out.cross *= inv_r2;
  out.sg_bias2 = base.bias_sum * inv_r2;
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
