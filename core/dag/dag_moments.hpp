#pragma once
// Per-node moments of a gradient estimator and the formulas built on them:
// Lemma 1 (THEORY.md §2), the mixing MSE and λ* of eq 17–18 (§4), and the
// crossover sample size where SG stops paying.

#include <Eigen/Core>

#include <limits>

namespace sglab::dag {

/// ECV, VCM, Bias² of one estimator's per-sample parameter gradient at one node (eq 8).
struct DagEstimatorMoments {
  double ecv = 0.0;             ///< E[tr Cov(g | o_i)]
  double vcm = 0.0;             ///< tr Cov(E[g | o_i])
  double bias2 = 0.0;           ///< ||E g − μ_i||²
  double total_variance = 0.0;  ///< tr Cov(g), computed directly (equals ecv + vcm)
  Eigen::VectorXd mean;         ///< E g

  /// Lemma 1: MSE_i(n) = (ECV_i + VCM_i)/n + Bias²_i.
  double mse(double n) const { return (ecv + vcm) / n + bias2; }
};

/// Moments of the two parts of eq 16, g_θi(λ) = (1 − λ) a + λ b, at one node.
struct DagMixingMoments {
  bool applicable = false;        ///< false at terminals (they do not mix)
  double tr_cov_a = 0.0;          ///< trCov(a)
  double tr_cov_b = 0.0;          ///< trCov(b)
  double tr_cov_ab = 0.0;         ///< trCov(a, b)
  double tr_cov_a_minus_b = 0.0;  ///< trCov(a − b)
  Eigen::VectorXd mean_a;         ///< E a
  Eigen::VectorXd mean_b;         ///< E b
};

/// eq 17: MSE_i(λ, n) = trCov((1 − λ) a + λ b)/n + ||(1 − λ) E a + λ E b − μ||².
double mixing_mse(const DagMixingMoments& mixing, const Eigen::VectorXd& mu, double lambda, double n);

/// eq 18 and its two sides (THEORY.md §4).
struct LambdaStar {
  double value = 0.0;          ///< λ*, clamped to [0, 1]; 0 when irrelevant
  double unclamped = 0.0;      ///< numerator / denominator before clamping
  double numerator = 0.0;      ///< variance_side − bias_side
  double denominator = 0.0;    ///< trCov(a − b)/n + ||E a − E b||²
  double variance_side = 0.0;  ///< (trCov(a) − trCov(a, b))/n: variance removed by leaning on b
  double bias_side = 0.0;      ///< (E a − μ)·(E b − E a): what leaning on b costs in bias at first order
  bool irrelevant = false;     ///< a ≡ b almost surely (relative tolerance): λ* taken as 0
};

/// λ*_i(n) by eq 18; `relative_tolerance` judges a ≡ b: E||a − b||² ≤ tol · (E||a||² + E||b||²).
LambdaStar lambda_star(const DagMixingMoments& mixing, const Eigen::VectorXd& mu, double n,
                       double relative_tolerance = 1e-12);

/// Theorem 3's two sides against n (THEORY.md §4): the variance side
/// V/n = (trCov(a) − trCov(a, b))/n falls with n, the bias side
/// Bs = (E a − μ)·(E b − E a) does not depend on n, and λ* > 0 exactly where
/// V/n > Bs (eq 18's numerator is their difference). They cross at n× = V/Bs
/// when that is a positive finite number: with V > 0 and Bs > 0, λ* > 0 for
/// n < n× and 0 beyond; with V < 0 and Bs < 0, the other way round.
struct Theorem3Sides {
  double variance_at_1 = 0.0;  ///< V = trCov(a) − trCov(a, b) (the variance side at n = 1)
  double bias_side = 0.0;      ///< Bs
  double crossing_n = std::numeric_limits<double>::infinity();  ///< n×, or +∞ when the sides never cross
};
Theorem3Sides theorem3_sides(const DagMixingMoments& mixing, const Eigen::VectorXd& mu);

/// Where SG (as configured) and BP trade places, from MSE(n) = V/n + B for each.
enum class CrossoverKind {
  same,            ///< equal variance and bias (to tolerance): no winner
  sg_always,       ///< SG has no more variance and no more bias, and is better somewhere
  bp_always,       ///< BP has no more variance and no more bias, and is better somewhere
  sg_below,        ///< SG wins for n < n_cross, BP for n > n_cross (SG biased, less variance)
  sg_above,        ///< BP wins for n < n_cross, SG for n > n_cross (BP biased: only with a biased "BP" input)
};

struct Crossover {
  CrossoverKind kind = CrossoverKind::same;
  double n = std::numeric_limits<double>::infinity();  ///< n_cross for sg_below / sg_above
};

Crossover sg_bp_crossover(const DagEstimatorMoments& bp, const DagEstimatorMoments& sg,
                          double relative_tolerance = 1e-9);

const char* crossover_kind_name(CrossoverKind kind);

}  // namespace sglab::dag
