#pragma once
// Philox4x32-10 on many consecutive counters at once: the words of blocks
// first_block, first_block + 1, … of one (seed, stream), in the order
// philox_block would give them one block at a time.
//
// Random123's Philox works on one counter per call; its ten rounds are a chain
// of dependent 32×32→64 multiplies, so one block at a time leaves most of the
// core idle. Here the blocks are kept in structure-of-arrays form (lane l holds
// block first_block + l) and every round runs over all lanes, which the
// core's SIMD multiplies run on (pmuludq on SSE2, vpmuludq on AVX2, picked at
// run time; a portable C++ twin elsewhere).
// Integer arithmetic only, so every build gives the same words; tests/core
// rng_test pins them against Random123 word for word.

#include <cstddef>
#include <cstdint>

namespace sglab::rng {

/// Which implementation runs the rounds. kBest: AVX2 straight from counters to
/// words when the CPU has it (SSE2 for a tail of < 12 blocks), else SSE2
/// (x86-64), else portable C++. The others exist so tests can pin
/// every twin against Random123 (each falls back to kBest's choice where
/// it cannot run).
enum class PhiloxKernel { kBest, kPortable, kSse2 };

/// Writes 4·count words: out[4·b + w] is word w of block first_block + b.
void philox_words(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_block,
                  std::size_t count, std::uint32_t* out, PhiloxKernel kernel = PhiloxKernel::kBest);

}  // namespace sglab::rng
