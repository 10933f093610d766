#include "core/rng/binomial_block.hpp"

#include <cstring>

#include "core/util/simd_clones.hpp"

namespace sglab::rng {

namespace {

typedef std::uint32_t Words __attribute__((vector_size(32)));
typedef std::int32_t Counts __attribute__((vector_size(32)));
typedef double Doubles __attribute__((vector_size(32)));

// kT > 0 fixes the threshold count at compile time (the sweep's n ≤ 4 unroll
// fully); 0 reads t.
template <int kT>
__attribute__((always_inline)) inline void count_block(const std::uint32_t* words, std::size_t count,
                                                       const std::uint32_t* thresholds, int t, double* out) {
  const int n = kT > 0 ? kT : t;
  std::size_t i = 0;
  for (; i + 8 <= count; i += 8) {
    Words u;
    std::memcpy(&u, words + i, sizeof u);
    Counts k = {};
    for (int j = 0; j < n; ++j) k -= (u >= thresholds[j]);  // a reached threshold is −1
    // Two halves of four (one vcvtdq2pd each), stored straight from registers.
    const Doubles lo = __builtin_convertvector(__builtin_shufflevector(k, k, 0, 1, 2, 3), Doubles);
    const Doubles hi = __builtin_convertvector(__builtin_shufflevector(k, k, 4, 5, 6, 7), Doubles);
    std::memcpy(out + i, &lo, sizeof lo);
    std::memcpy(out + i + 4, &hi, sizeof hi);
  }
  for (; i < count; ++i) {
    int k = 0;
    for (int j = 0; j < n; ++j) k += words[i] >= thresholds[j] ? 1 : 0;
    out[i] = static_cast<double>(k);
  }
}

}  // namespace

SGLAB_SIMD_CLONES void count_reached_thresholds(const std::uint32_t* words, std::size_t count,
                                                const std::uint32_t* thresholds, int t, double* out) {
  switch (t) {
    case 1: count_block<1>(words, count, thresholds, t, out); return;
    case 2: count_block<2>(words, count, thresholds, t, out); return;
    case 3: count_block<3>(words, count, thresholds, t, out); return;
    case 4: count_block<4>(words, count, thresholds, t, out); return;
    default: count_block<0>(words, count, thresholds, t, out); return;
  }
}

}  // namespace sglab::rng
