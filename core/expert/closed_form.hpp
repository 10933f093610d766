#pragma once
// Closed-form expected MSE of BP, SG and their mixture for every-state
// sampling (THEORY.md §6, Theorem 5 / eq 23, and the mixing and leak
// extensions), with λ* and the crossover n where SG stops paying.

#include <vector>

#include "core/expert/expert_config.hpp"
#include "core/expert/expert_problem.hpp"

namespace sglab::expert {

struct ClosedForm {
  double mse_bp = 0.0;     ///< (1/R²) Σ_r Σ_j Q_r[j,j] v_rj
  double sg_var = 0.0;     ///< (1/R²) Σ_r Σ_j Q_r[j,j] (1/G²) Σ_{r'~_j r} v_r'j
  double sg_bias2 = 0.0;   ///< (1/R²) Σ_r β_rᵀ Q_r β_r (0 without leak)
  double cross = 0.0;      ///< (1/R²) Σ_r Σ_j Q_r[j,j] v_rj / G: E⟨BP error, SG error⟩
  double mse_sg() const { return sg_var + sg_bias2; }
  /// E||(1−λ)ĝ_BP + λĝ_SG − g||² = (1−λ)²·mse_bp + λ²·mse_sg + 2λ(1−λ)·cross.
  double mse_at(double lambda) const;
  /// argmin over [0, 1] of mse_at (eq 18 in this model); 0 when BP ≡ SG.
  double lambda_star() const;
  double ratio() const { return mse_sg() > 0 ? mse_bp / mse_sg() : 0.0; }
};

/// The noise-free parts of the closed forms, the same for every case and n:
/// the class means δ̄ of the clean feedback and Σ_r β_rᵀ Q_r β_r (the leak
/// bias, before the 1/R²). Computed once per problem instance, then shared.
struct ClosedFormBase {
  std::vector<double> class_mean;  ///< m × 2^k
  double bias_sum = 0.0;
};
ClosedFormBase closed_form_base(const ExpertProblem& problem);

/// Expected errors at n repeats per state.
ClosedForm closed_form(const ExpertProblem& problem, NoiseCase c, const NoiseParams& noise, int n);
/// The same from the problem's closed_form_base (the same bits; no pass over
/// the states for the noise-free parts).
ClosedForm closed_form(const ExpertProblem& problem, const ClosedFormBase& base, NoiseCase c,
                       const NoiseParams& noise, int n);

/// Smallest n at which BP's expected MSE is no larger than SG's (λ = 1):
/// n* = (mse_bp(1) − sg_var(1)) / sg_bias2, since both variances scale as 1/n.
/// Returns +infinity when SG never loses (no bias) and 0 when it never wins.
double crossover_n(const ExpertProblem& problem, NoiseCase c, const NoiseParams& noise);
/// The same from closed_form(problem, c, noise, 1), when the caller has it.
double crossover_n_from(const ClosedForm& at_one);

}  // namespace sglab::expert
