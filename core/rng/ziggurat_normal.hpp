#pragma once
// Standard normal deviates by the ziggurat method (Marsaglia & Tsang 2000),
// our own implementation on 32-bit words. Each word is split so that the
// layer index (low 7 bits) and the position inside the layer (high 25 bits,
// signed) never share bits — the correlation Doornik (2005) found in the
// original RNOR. About 98.8% of draws take one word and no transcendental call,
// which is what makes millions of noisy feedback draws per trial cheap.

#include <cstdint>

namespace sglab::rng {

class ZigguratTables {
 public:
  static constexpr int kLayers = 128;
  static const ZigguratTables& instance();

  std::uint32_t k[kLayers];  ///< accept |value| < k[i] without further tests
  double w[kLayers];         ///< value → x scale per layer
  double f[kLayers];         ///< density exp(−x²/2) at each layer's edge
  double r;                  ///< start of the tail

 private:
  ZigguratTables();
};

/// A normal deviate from a source of 32-bit words (`next()` returns uint32).
template <typename WordSource>
double ziggurat_normal(WordSource& next);
/// The same with the tables passed in (hot loops fetch them once).
template <typename WordSource>
double ziggurat_normal(WordSource& next, const ZigguratTables& tables);

}  // namespace sglab::rng

#include "core/rng/ziggurat_normal_impl.hpp"
