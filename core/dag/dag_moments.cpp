#include "core/dag/dag_moments.hpp"

#include <algorithm>
#include <cmath>

namespace sglab::dag {

double mixing_mse(const DagMixingMoments& mixing, const Eigen::VectorXd& mu, double lambda, double n) {
  // eq 17 expanded: trCov((1−λ)a + λb) = (1−λ)² trCov(a) + 2λ(1−λ) trCov(a,b) + λ² trCov(b).
  const double keep = 1.0 - lambda;
  const double variance = keep * keep * mixing.tr_cov_a + 2.0 * lambda * keep * mixing.tr_cov_ab +
                          lambda * lambda * mixing.tr_cov_b;
  const Eigen::VectorXd mean = keep * mixing.mean_a + lambda * mixing.mean_b;
  return variance / n + (mean - mu).squaredNorm();
}

LambdaStar lambda_star(const DagMixingMoments& mixing, const Eigen::VectorXd& mu, double n,
                       double relative_tolerance) {
  LambdaStar out;
  if (!mixing.applicable) {
    out.irrelevant = true;
    return out;
  }
  const Eigen::VectorXd gap = mixing.mean_a - mixing.mean_b;
  // eq 18, THEORY.md §4.
  out.variance_side = (mixing.tr_cov_a - mixing.tr_cov_ab) / n;
  out.bias_side = (mixing.mean_a - mu).dot(mixing.mean_b - mixing.mean_a);
  out.numerator = out.variance_side - out.bias_side;
  out.denominator = mixing.tr_cov_a_minus_b / n + gap.squaredNorm();
  // a ≡ b a.s. ⇔ E||a − b||² = trCov(a − b) + ||E a − E b||² = 0.
  const double distance = mixing.tr_cov_a_minus_b + gap.squaredNorm();
  const double scale = mixing.tr_cov_a + mixing.mean_a.squaredNorm() + mixing.tr_cov_b +
                       mixing.mean_b.squaredNorm();
  if (distance <= relative_tolerance * scale || out.denominator <= 0.0) {
    out.irrelevant = true;
    return out;
  }
  out.unclamped = out.numerator / out.denominator;
  out.value = std::clamp(out.unclamped, 0.0, 1.0);
  return out;
}

Theorem3Sides theorem3_sides(const DagMixingMoments& mixing, const Eigen::VectorXd& mu) {
  Theorem3Sides out;
  if (!mixing.applicable) return out;
  // The same expressions as lambda_star's variance_side · n and bias_side.
  out.variance_at_1 = mixing.tr_cov_a - mixing.tr_cov_ab;
  out.bias_side = (mixing.mean_a - mu).dot(mixing.mean_b - mixing.mean_a);
  const double n = out.variance_at_1 / out.bias_side;
  if (out.bias_side != 0.0 && std::isfinite(n) && n > 0.0) out.crossing_n = n;
  return out;
}

Crossover sg_bp_crossover(const DagEstimatorMoments& bp, const DagEstimatorMoments& sg,
                          double relative_tolerance) {
  const double v_bp = bp.ecv + bp.vcm, v_sg = sg.ecv + sg.vcm;
  const double dv = v_bp - v_sg;  // > 0: SG has less variance
  const double db = sg.bias2 - bp.bias2;  // > 0: SG has more bias
  const double v_scale = std::max(std::abs(v_bp), std::abs(v_sg));
  const double b_scale = std::max({std::abs(bp.bias2), std::abs(sg.bias2), v_scale});
  const bool dv_zero = std::abs(dv) <= relative_tolerance * v_scale;
  const bool db_zero = std::abs(db) <= relative_tolerance * b_scale;
  Crossover out;
  if (dv_zero && db_zero) return out;
  if ((dv >= 0.0 || dv_zero) && (db <= 0.0 || db_zero)) {
    out.kind = CrossoverKind::sg_always;
  } else if ((dv <= 0.0 || dv_zero) && (db >= 0.0 || db_zero)) {
    out.kind = CrossoverKind::bp_always;
  } else if (dv > 0.0 && db > 0.0) {
    // dv/n > db ⇔ n < dv/db: SG wins below the crossover.
    out.kind = CrossoverKind::sg_below;
    out.n = dv / db;
  } else {
    out.kind = CrossoverKind::sg_above;
    out.n = dv / db;
  }
  return out;
}

const char* crossover_kind_name(CrossoverKind kind) {
  switch (kind) {
    case CrossoverKind::same: return "same";
    case CrossoverKind::sg_always: return "sg-always";
    case CrossoverKind::bp_always: return "bp-always";
    case CrossoverKind::sg_below: return "sg-below";
    case CrossoverKind::sg_above: return "sg-above";
  }
  return "?";
}

}  // namespace sglab::dag
