#pragma once
// Estimators of the mixing weight λ_i from the per-batch ingredients of
// THEORY.md §5 (adaptive_lambda.hpp), compared side by side in the dynamics lab
// against the exact λ*(n = B) (issue 11, item 4).
//
// Both see the same batch values num = −c and den = v + b² (eq 18 with n = B,
// the propagated part taken as unbiased):
//   paper  the paper's code (Appendix H.2): λ ← m·λ + (1 − m)·clamp(num/den, 0, 1)
//          — a momentum average of per-batch *ratios*, each clamped;
//   ratio  momentum on numerator and denominator separately, clamped after:
//          N ← m·N + (1 − m)·num,  D ← m·D + (1 − m)·den,  λ = clamp(N/D, 0, 1).
// Why the alternative: λ* (THEORY.md §4) is a ratio of *expectations*. With a
// small batch the batch denominator v + b² is noisy (v is a sample variance of
// B values, b² an unbiased-but-noisy square), and E[num/den] ≠ E[num]/E[den]
// (Jensen: 1/den is convex, so noise in den inflates the average of ratios); the
// clamp then adds its own bias whenever λ* sits near 0 or 1, since clipped
// batches pull the average toward the interior. N and D are averages of unbiased
// estimates of the numerator and denominator of λ*(B) (b² up to its max(·, 0)),
// so N/D is consistent as the averaging window grows; only the final value is
// clamped.
//   bias_corrected  the ratio rule with eq 18's full numerator: N averages
//          −c + (E a − μ)·(E a − E b), the second term estimated per batch with the
//          BP gradients of the same batch (adaptive_lambda.hpp, downstream_bias_term).
//          A diagnostic, not a practical rule (it needs the BP gradient SG is meant
//          to avoid): §5's plug-in takes the propagated part as unbiased, which
//          fails once downstream nodes mix (THEORY.md §4: λ* then tends to a
//          positive limit); this variant shows how much of the gap to λ* that
//          omitted term explains.
// N and D start at 0, so the first usable batch sets λ = λ_batch
// (the (1 − m) factors cancel in the ratio) and the initial λ is forgotten at once;
// m = 1 freezes λ, as for the paper's rule. A degenerate batch (v + b² ≈ 0)
// leaves both estimators' state unchanged.

#include <string>

#include "core/dynamics/adaptive_lambda.hpp"

namespace sglab::dynamics {

enum class LambdaEstimator { paper = 0, ratio = 1, bias_corrected = 2 };
constexpr int kLambdaEstimatorCount = 3;
/// "paper", "ratio", "bias_corrected" (the names in files, flags and CSV columns).
const char* lambda_estimator_name(LambdaEstimator estimator);
/// A short description for read-outs and help texts.
const char* lambda_estimator_description(LambdaEstimator estimator);
/// Parses a name; false when `name` is not one.
bool lambda_estimator_from_name(const std::string& name, LambdaEstimator& out);

/// One node's running state for one estimator.
struct LambdaEstimatorState {
  double lambda = 0.0;
  double numerator = 0.0;    ///< ratio: momentum average of −c (unused by paper)
  double denominator = 0.0;  ///< ratio: momentum average of v + b² (unused by paper)
};

/// The state before any batch: λ = initial λ, empty averages.
inline LambdaEstimatorState lambda_estimator_start(double initial_lambda) { return {initial_lambda, 0.0, 0.0}; }

/// One batch's update of `state` (see the file comment). Returns the new λ.
double lambda_estimator_step(LambdaEstimator estimator, LambdaEstimatorState& state, const AdaptiveLambdaBatch& batch,
                             double momentum);

}  // namespace sglab::dynamics
