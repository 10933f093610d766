#pragma once
// The ziggurat's accepting fast path (ziggurat_normal.hpp) over a run of
// words: StreamReader::fill_normals converts whole runs at once and calls the
// rejection part only for the ≈2.8% of words that need it. With AVX2 (picked
// at run time) eight words are tested per step — layer, signed position and
// |position| < k[layer] in integer lanes, k[layer] and the scale w[layer]
// loaded word by word — and each normal is value·w[layer], the one rounding of the scalar path, so
// every kernel gives the same doubles (tests/core/rng_test.cpp pins it).

#include <cstddef>
#include <cstdint>

#include "core/rng/ziggurat_normal.hpp"

namespace sglab::rng {

enum class ZigguratKernel { kBest, kScalar };

/// out[i] = the normal of words[i] for i = 0, 1, … while words[i] takes the
/// accepting fast path, for at most n words. Returns how many were converted:
/// n, or the index of the first word that needs the rejection part. Slots
/// out[returned .. n) may be overwritten with scratch values.
std::size_t ziggurat_accepting_run(const std::uint32_t* words, std::size_t n, double* out,
                                   const ZigguratTables& tables,
                                   ZigguratKernel kernel = ZigguratKernel::kBest);

/// The kernel ziggurat_accepting_run's kBest picks on this CPU, for hot
/// callers that resolve it once (StreamReader) instead of per run.
using AcceptingRunKernel = std::size_t (*)(const std::uint32_t*, std::size_t, double*, const ZigguratTables&);
AcceptingRunKernel best_accepting_run_kernel();

}  // namespace sglab::rng
