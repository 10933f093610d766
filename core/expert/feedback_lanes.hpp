#pragma once
// The averaged feedback of four trials side by side (the lane layout of
// every_state_lanes.hpp), from each trial's raw noise
// (AveragedFeedbackSampler::raw_noise). A draw is a fixed function of its
// noise x (THEORY.md §6, "Stochastic feedback"):
//   noisy       δ + (σ/√n)·x
//   activation  (δ·x)·(1/(n p))
//   partial     δ − (α_j·τ/√n)·x
// and each lane performs exactly those roundings, so the feedback equals
// AveragedFeedbackSampler::draw on the same noise bit for bit
// (tests/core/expert_engine_test pins it). The noise-free factors are formed
// once per batch of trials, not per draw; the four trials' noise is
// transposed into lanes four draws at a time.

#include <cstddef>
#include <vector>

#include "core/expert/feedback_noise.hpp"

namespace sglab::expert {

constexpr std::size_t kFeedbackLanes = 4;

/// The noise-free factor of draws 0 .. count − 1, draw i being expert i mod m:
/// σ/√n, 1/(n p) or α_j·τ/√n. The same for every run of whole states, so a
/// batch of trials computes it once.
std::vector<double> feedback_factors(const AveragedFeedbackSampler& sampler, const double* alpha, int m,
                                     std::size_t count);

/// out[i·4 + b] = the feedback of draw i in trial b, for i < count: clean
/// feedback delta[i], factor[i] (feedback_factors), noise x[b][i].
void feedback_lanes(NoiseCase c, const double* delta, const double* factor, std::size_t count,
                    const double* const x[kFeedbackLanes], double* out);

}  // namespace sglab::expert
