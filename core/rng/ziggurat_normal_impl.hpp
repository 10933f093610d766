#pragma once
// Inline part of ziggurat_normal.hpp (the hot path must inline into callers).

#include <cmath>
#include <cstdint>

namespace sglab::rng {

namespace detail {
inline double word_to_unit(std::uint32_t w) { return (static_cast<double>(w) + 0.5) * 0x1p-32; }
}  // namespace detail

// Rejection part: the tail and the wedges (about 2.8% of draws), kept out of
// line so the accepting fast path inlines into hot loops.
template <typename WordSource>
__attribute__((noinline)) double ziggurat_slow_path(std::uint32_t word, WordSource& next,
                                                    const ZigguratTables& t) {
  for (;;) {
    const int layer = static_cast<int>(word & 127u);
    const std::int32_t value = static_cast<std::int32_t>(word) >> 7;
    const std::uint32_t magnitude =
        static_cast<std::uint32_t>(value < 0 ? -static_cast<std::int64_t>(value) : value);
    const double x = static_cast<double>(value) * t.w[layer];
    if (magnitude < t.k[layer]) return x;
    if (layer == 0) {
      // Tail beyond r (Marsaglia's exponential method).
      double xt = 0, yt = 0;
      do {
        xt = -std::log(detail::word_to_unit(next())) / t.r;
        yt = -std::log(detail::word_to_unit(next()));
      } while (yt + yt < xt * xt);
      return value < 0 ? -(t.r + xt) : t.r + xt;
    }
    // Wedge: accept under the density (exp only where its bounding lines
    // cannot tell; the same verdicts as exp alone).
    const double u = detail::word_to_unit(next());
    const double y = t.f[layer] + u * (t.f[layer - 1] - t.f[layer]);
    const int verdict = t.wedge_verdict(layer, std::fabs(x), y);
    if (verdict > 0 || (verdict == 0 && y < std::exp(-0.5 * x * x))) return x;
    word = next();
  }
}

template <typename WordSource>
inline double ziggurat_normal(WordSource& next, const ZigguratTables& t) {
  const std::uint32_t word = next();
  const int layer = static_cast<int>(word & 127u);
  // Signed 25-bit position from the high bits: value ∈ [−2^24, 2^24).
  const std::int32_t value = static_cast<std::int32_t>(word) >> 7;
  const std::uint32_t magnitude =
      static_cast<std::uint32_t>(value < 0 ? -static_cast<std::int64_t>(value) : value);
  if (magnitude < t.k[layer]) return static_cast<double>(value) * t.w[layer];  // inside: accept
  return ziggurat_slow_path(word, next, t);
}

}  // namespace sglab::rng

namespace sglab::rng {
template <typename WordSource>
double ziggurat_normal(WordSource& next) {
  return ziggurat_normal(next, ZigguratTables::instance());
}
}  // namespace sglab::rng
