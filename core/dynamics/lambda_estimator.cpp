#include "core/dynamics/lambda_estimator.hpp"

#include <algorithm>

namespace sglab::dynamics {

const char* lambda_estimator_name(LambdaEstimator estimator) {
  switch (estimator) {
    case LambdaEstimator::paper: return "paper";
    case LambdaEstimator::ratio: return "ratio";
    case LambdaEstimator::bias_corrected: return "bias_corrected";
  }
  return "?";
}

const char* lambda_estimator_description(LambdaEstimator estimator) {
  switch (estimator) {
    case LambdaEstimator::paper: return "momentum on the clamped batch plug-in clamp(-c / (v + b^2)) (the paper's code)";
    case LambdaEstimator::ratio: return "momentum on -c and v + b^2 separately, clamped after (a ratio of averages)";
    case LambdaEstimator::bias_corrected:
      return "the ratio rule plus eq 18's downstream-bias term, estimated with the batch's BP gradients (diagnostic)";
  }
  return "?";
}

bool lambda_estimator_from_name(const std::string& name, LambdaEstimator& out) {
  for (int k = 0; k < kLambdaEstimatorCount; ++k) {
    const auto e = static_cast<LambdaEstimator>(k);
    if (name == lambda_estimator_name(e)) {
      out = e;
      return true;
    }
  }
  return false;
}

double lambda_estimator_step(LambdaEstimator estimator, LambdaEstimatorState& state, const AdaptiveLambdaBatch& batch,
                             double momentum) {
  if (estimator == LambdaEstimator::paper) {
    // batch.lambda_batch is the old λ on a degenerate batch, which keeps λ (THEORY.md §5).
    const double batch_lambda = batch.degenerate ? state.lambda : batch.lambda_batch;
    state.lambda = adaptive_lambda_update(state.lambda, batch_lambda, momentum);
    return state.lambda;
  }
  if (batch.degenerate || momentum >= 1.0) return state.lambda;
  const double numerator = estimator == LambdaEstimator::bias_corrected ? -batch.c + batch.bias_term : -batch.c;
  state.numerator = momentum * state.numerator + (1.0 - momentum) * numerator;
  state.denominator = momentum * state.denominator + (1.0 - momentum) * (batch.v + batch.b2);
  // D > 0 here: it holds a positive multiple of a non-degenerate batch's v + b² > 0.
  state.lambda = std::clamp(state.numerator / state.denominator, 0.0, 1.0);
  return state.lambda;
}

}  // namespace sglab::dynamics
