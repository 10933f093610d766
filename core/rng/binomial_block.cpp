#include "core/rng/binomial_block.hpp"

#include <cstring>

#include "core/util/simd_clones.hpp"

namespace sglab::rng {

namespace {
typedef std::uint32_t Words __attribute__((vector_size(32)));
typedef std::int32_t Counts __attribute__((vector_size(32)));
typedef double Doubles __attribute__((vector_size(64)));
}  // namespace

SGLAB_SIMD_CLONES void count_reached_thresholds(const std::uint32_t* words, std::size_t count,
                                                const std::uint32_t* thresholds, int t, double* out) {
  std::size_t i = 0;
  for (; i + 8 <= count; i += 8) {
    Words u;
    std::memcpy(&u, words + i, sizeof u);
    Counts k = {};
    for (int j = 0; j < t; ++j) k -= (u >= thresholds[j]);  // a reached threshold is −1
    const Doubles x = __builtin_convertvector(k, Doubles);
    std::memcpy(out + i, &x, sizeof x);
  }
  for (; i < count; ++i) {
    int k = 0;
    for (int j = 0; j < t; ++j) k += words[i] >= thresholds[j] ? 1 : 0;
    out[i] = static_cast<double>(k);
  }
}

}  // namespace sglab::rng
