#pragma once
// Binomial outcomes of a run of words, eight per SIMD step: the count of the
// thresholds a word reaches (BinomialSampler::outcome's branch-free form),
// written as doubles for the noise kernels. Integer compares and an exact
// int → double conversion, so every build gives the same numbers
// (tests/core/expert_normals_test pins them against BinomialSampler::outcome).

#include <cstddef>
#include <cstdint>

namespace sglab::rng {

/// out[i] = #{ j < t : words[i] ≥ thresholds[j] }, for i < count.
void count_reached_thresholds(const std::uint32_t* words, std::size_t count,
                              const std::uint32_t* thresholds, int t, double* out);

}  // namespace sglab::rng
