#pragma once
// Inline part of ziggurat_normal.hpp (the hot path must inline into callers).

#include <cmath>
#include <cstdint>

namespace sglab::rng {

namespace detail {
inline double word_to_unit(std::uint32_t w) { return (static_cast<double>(w) + 0.5) * 0x1p-32; }
}  // namespace detail

template <typename WordSource>
double ziggurat_normal(WordSource& next) {
  const ZigguratTables& t = ZigguratTables::instance();
  for (;;) {
    const std::uint32_t word = next();
    const int layer = static_cast<int>(word & 127u);
    // Signed 25-bit position from the high bits: value ∈ [−2^24, 2^24).
    const std::int32_t value = static_cast<std::int32_t>(word) >> 7;
    const std::uint32_t magnitude =
        static_cast<std::uint32_t>(value < 0 ? -static_cast<std::int64_t>(value) : value);
    const double x = static_cast<double>(value) * t.w[layer];
    if (magnitude < t.k[layer]) return x;  // inside the rectangle: accept
    if (layer == 0) {
      // Tail beyond r (Marsaglia's exponential method).
      double xt = 0, yt = 0;
      do {
        xt = -std::log(detail::word_to_unit(next())) / t.r;
        yt = -std::log(detail::word_to_unit(next()));
      } while (yt + yt < xt * xt);
      return value < 0 ? -(t.r + xt) : t.r + xt;
    }
    // Wedge: accept under the density.
    const double u = detail::word_to_unit(next());
    if (t.f[layer] + u * (t.f[layer - 1] - t.f[layer]) < std::exp(-0.5 * x * x)) return x;
  }
}

}  // namespace sglab::rng
