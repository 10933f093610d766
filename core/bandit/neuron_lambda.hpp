#pragma once
// The adaptive mixing weight of one SparseNet neuron from the batch moments
// of its per-sample parameter gradients (THEORY.md §5; the paper's
// trainers.py _estimate_theta_batch_for_layer, which returns θ = 1 − λ).

#include "core/bandit/sparse_net_backward.hpp"

namespace sglab::bandit {

/// v + b² at or below this counts as degenerate and keeps the old λ (the
/// paper's eps = 1e-6, on unit-length node gradients).
constexpr double kLambdaDegenerate = 1e-6;

/// λ_batch = clamp(−c / (v + b²), 0, 1), with u = h − w,
/// v = S(u,u)/B, c = S(w,u)/B, b² = max(||ū||² − v, 0); `old_lambda` when degenerate.
double neuron_lambda_batch(const GradMoments& m, int batch, double old_lambda);

}  // namespace sglab::bandit
