#pragma once
// The finite outcome space of exact mode (THEORY.md §7): inputs × dropout
// masks × terminal signs, with probabilities.
//
// A *configuration* fixes the inputs and the dropout masks, hence every node
// value; its index holds the input bits (bit k set: input k = +1) in the low
// `input_count` bits and the mask bits (bit j set: dropout node j kept) above.
// A *sign pattern* fixes ε_t of the noisy terminals (bit k set: ε = +1).
// Outcome = configuration × sign pattern; the two are independent.

#include <cstdint>
#include <string>

#include "core/dag/dag_limits.hpp"
#include "core/dag/dag_network.hpp"

namespace sglab::dag {

constexpr int kMaxExactOutcomeBits = DagLimits::kMaxExactOutcomeBits;

struct DagOutcomeSpace {
  int input_bits = 0;
  int mask_bits = 0;
  int sign_bits = 0;
  int total_bits() const { return input_bits + mask_bits + sign_bits; }
  std::uint64_t configuration_count() const { return 1ULL << (input_bits + mask_bits); }
  std::uint64_t sign_pattern_count() const { return 1ULL << sign_bits; }
  std::uint64_t outcome_count() const { return 1ULL << total_bits(); }
};

/// The outcome space of a network (no size check: see require_exact_feasible).
DagOutcomeSpace dag_outcome_space(const DagNetwork& net);

/// Throws sglab::Error when the space has more than 2^max_bits outcomes, saying
/// how large it is, what makes it so, and suggesting sample mode.
void require_exact_feasible(const DagOutcomeSpace& space, int max_bits = kMaxExactOutcomeBits);

/// Decodes configuration `index`: inputs (±1 per input) and kept flags (per dropout slot).
void decode_configuration(const DagNetwork& net, std::uint64_t index, double* inputs, unsigned char* kept);

/// Probability of configuration `index`: 2^-inputs · Π_j (q_j if kept else 1 − q_j).
double configuration_probability(const DagNetwork& net, std::uint64_t index);

/// Decodes sign pattern `index` into ε per terminal index (0 for noiseless terminals).
void decode_sign_pattern(const DagNetwork& net, std::uint64_t index, double* noise_sign);

}  // namespace sglab::dag
