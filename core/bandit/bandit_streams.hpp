#pragma once
// Purposes of the Philox streams of a bandit run (core/rng/counter_rng.hpp).
// Every random number of a run is a function of (seed, purpose, fields), so
// BP, SG-fixed, SG-adaptive and the MLP of one seed see the same contexts,
// the same action uniforms and the same flips, whatever the thread count.

#include <cstdint>

namespace sglab::bandit {

constexpr std::uint64_t kStreamDataSplit = 0xB0A1;
constexpr std::uint64_t kStreamSyntheticTeacher = 0xB0A2;
constexpr std::uint64_t kStreamSyntheticContexts = 0xB0A3;
constexpr std::uint64_t kStreamWiring = 0xB0A4;        ///< SparseNet parents and first-layer pixels
constexpr std::uint64_t kStreamPolicyInit = 0xB0A5;    ///< SparseNet / MLP initial parameters
constexpr std::uint64_t kStreamPredictorInit = 0xB0A6;
constexpr std::uint64_t kStreamBatch = 0xB0A7;         ///< {step}: context indices, action uniforms, flip uniforms
constexpr std::uint64_t kStreamEval = 0xB0A8;          ///< {eval index}: eval contexts and action uniforms

}  // namespace sglab::bandit
