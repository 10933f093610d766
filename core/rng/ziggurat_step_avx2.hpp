#pragma once
// One AVX2 step of the ziggurat's accepting test over eight words, shared by
// ziggurat_accepting_run and StreamReader::fill_normals (internal to core/rng;
// include only from files that are built for x86-64 with GCC or Clang).
//
// |value| ≤ 2^24 and k[layer] < 2^24, so the signed compare is the unsigned
// one. k[layer] and w[layer] are read by eight scalar loads each, not by
// gathers: on Zen 3 (this project's machines) vpgatherdd/vgatherdpd cost more
// than the loads and inserts; 0.9–1.1 against 1.3–1.7 ns per word, same words.
// Each product is value·w[layer], the scalar path's one rounding.

#include <immintrin.h>

#include <cstdint>

#include "core/rng/ziggurat_normal.hpp"

namespace sglab::rng::detail {

/// Stores the eight products of words[0..8) to out[0..8), accepted or not,
/// and returns the accept mask (bit i: word i takes the fast path).
__attribute__((target("avx2"), always_inline)) inline unsigned ziggurat_step8_avx2(
    const std::uint32_t* words, double* out, const ZigguratTables& t) {
  const __m256i word = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(words));
  const __m256i value = _mm256_srai_epi32(word, 7);
  alignas(32) std::uint32_t layer[8];
  _mm256_store_si256(reinterpret_cast<__m256i*>(layer), _mm256_and_si256(word, _mm256_set1_epi32(127)));
  const __m256i limit =
      _mm256_setr_epi32(static_cast<int>(t.k[layer[0]]), static_cast<int>(t.k[layer[1]]),
                        static_cast<int>(t.k[layer[2]]), static_cast<int>(t.k[layer[3]]),
                        static_cast<int>(t.k[layer[4]]), static_cast<int>(t.k[layer[5]]),
                        static_cast<int>(t.k[layer[6]]), static_cast<int>(t.k[layer[7]]));
  const __m256i accept = _mm256_cmpgt_epi32(limit, _mm256_abs_epi32(value));
  const __m256d scale_lo = _mm256_setr_pd(t.w[layer[0]], t.w[layer[1]], t.w[layer[2]], t.w[layer[3]]);
  const __m256d scale_hi = _mm256_setr_pd(t.w[layer[4]], t.w[layer[5]], t.w[layer[6]], t.w[layer[7]]);
  const __m256d x_lo = _mm256_cvtepi32_pd(_mm256_castsi256_si128(value));
  const __m256d x_hi = _mm256_cvtepi32_pd(_mm256_extracti128_si256(value, 1));
  _mm256_storeu_pd(out, _mm256_mul_pd(x_lo, scale_lo));
  _mm256_storeu_pd(out + 4, _mm256_mul_pd(x_hi, scale_hi));
  return static_cast<unsigned>(_mm256_movemask_ps(_mm256_castsi256_ps(accept)));
}

}  // namespace sglab::rng::detail
