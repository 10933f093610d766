#include "core/rng/ziggurat_block.hpp"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

namespace sglab::rng {

namespace {

std::size_t accepting_run_scalar(const std::uint32_t* words, std::size_t n, double* out,
                                 const ZigguratTables& t) {
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t word = words[i];
    const int layer = static_cast<int>(word & 127u);
    const std::int32_t value = static_cast<std::int32_t>(word) >> 7;
    const std::uint32_t magnitude =
        static_cast<std::uint32_t>(value < 0 ? -static_cast<std::int64_t>(value) : value);
    if (magnitude >= t.k[layer]) return i;
    out[i] = static_cast<double>(value) * t.w[layer];
  }
  return n;
}

#if defined(__x86_64__) && defined(__GNUC__)
// |value| ≤ 2^24 and k[layer] < 2^24, so the signed compare is the unsigned one.
__attribute__((target("avx2"))) std::size_t accepting_run_avx2(const std::uint32_t* words, std::size_t n,
                                                               double* out, const ZigguratTables& t) {
  const __m128i low7 = _mm_set1_epi32(127);
  const __m256d all_lanes = _mm256_castsi256_pd(_mm256_set1_epi64x(-1));
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const __m128i word = _mm_loadu_si128(reinterpret_cast<const __m128i*>(words + i));
    const __m128i layer = _mm_and_si128(word, low7);
    const __m128i value = _mm_srai_epi32(word, 7);
    const __m128i limit = _mm_i32gather_epi32(reinterpret_cast<const int*>(t.k), layer, 4);
    const __m128i accept = _mm_cmpgt_epi32(limit, _mm_abs_epi32(value));
    if (_mm_movemask_ps(_mm_castsi128_ps(accept)) != 0xF) break;
    // The masked form with a zero source: the unmasked one reads an undefined register.
    const __m256d scale = _mm256_mask_i32gather_pd(_mm256_setzero_pd(), t.w, layer, all_lanes, 8);
    _mm256_storeu_pd(out + i, _mm256_mul_pd(_mm256_cvtepi32_pd(value), scale));
  }
  return i + accepting_run_scalar(words + i, n - i, out + i, t);
}
#endif

}  // namespace

std::size_t ziggurat_accepting_run(const std::uint32_t* words, std::size_t n, double* out,
                                   const ZigguratTables& tables, ZigguratKernel kernel) {
#if defined(__x86_64__) && defined(__GNUC__)
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (avx2 && kernel == ZigguratKernel::kBest) return accepting_run_avx2(words, n, out, tables);
#endif
  return accepting_run_scalar(words, n, out, tables);
}

}  // namespace sglab::rng
