#pragma once
// Stochastic expert feedback, already averaged over the n repeats of a state
// (THEORY.md §6, "Stochastic feedback"). All three cases are unbiased.

#include "core/expert/expert_config.hpp"
#include "core/rng/counter_rng.hpp"

namespace sglab::expert {

/// Variance v_rj of the averaged feedback ē_rj:
/// case 1 σ²/n; case 2 δ²(1 − p)/(n p); case 3 α² τ²/n.
double averaged_feedback_variance(NoiseCase c, const NoiseParams& noise, int n, double delta,
                                  double alpha);

/// One draw of ē_rj given the clean feedback δ_rj and expert scale α_j:
/// case 1 δ + N(0, σ²/n); case 2 δ·Binomial(n, p)/(n p); case 3 δ − α·N(0, τ²/n).
double draw_averaged_feedback(NoiseCase c, const NoiseParams& noise, int n, double delta,
                              double alpha, rng::StreamReader& stream);

}  // namespace sglab::expert
