#pragma once
// Gamma(shape, 1) deviates by Marsaglia & Tsang (2000), "A simple method for
// generating gamma variables", on a source of 32-bit words (our own
// implementation, like the ziggurat it draws its normals from).
//
// shape ≥ 1: with e = shape − 1/3 and c = 1/√(9e), draw x ~ N(0, 1) until
// v = (1 + c·x)³ > 0, then u uniform on (0, 1]; accept e·v when
// u < 1 − 0.0331·x⁴ (the squeeze, no logarithm) or
// log u < x²/2 + e·(1 − v + log v); else start again. Acceptance is above
// 95% for every shape ≥ 1 and tends to 1 as the shape grows.
// shape < 1: the boost Gamma(shape) = Gamma(shape + 1) · U^{1/shape}
// (the Gamma(shape + 1) draw first, then U's word). For shapes below about
// 1/32 the power can underflow to 0 (U ≥ 2^-32): no caller goes there; the
// expert build's smallest shape is ½ (a χ² with one degree of freedom).
//
// The words read per draw vary (about 2 per attempt), so a caller that needs
// deterministic positions gives each item its own stream (counter_rng.hpp).

#include <cmath>
#include <cstdint>

#include "core/rng/ziggurat_normal.hpp"

namespace sglab::rng {

class GammaSampler {
 public:
  /// shape > 0 and finite; throws sglab::Error otherwise.
  explicit GammaSampler(double shape);

  double shape() const { return shape_; }

  /// One Gamma(shape, 1) deviate; `next()` returns the stream's next uint32.
  template <typename WordSource>
  double operator()(WordSource& next, const ZigguratTables& tables) const {
    const double g = marsaglia_tsang(next, tables);
    if (!boosted_) return g;
    return g * std::pow(open_unit(next()), inverse_shape_);
  }

 private:
  // Uniform on (0, 1]: never 0, so its logarithm is finite.
  static double open_unit(std::uint32_t word) { return (static_cast<double>(word) + 1.0) * 0x1p-32; }

  template <typename WordSource>
  double marsaglia_tsang(WordSource& next, const ZigguratTables& tables) const {
    for (;;) {
      double x = 0, v = 0;
      do {
        x = ziggurat_normal(next, tables);
        v = 1.0 + c_ * x;
      } while (v <= 0.0);
      v = v * v * v;
      const double u = open_unit(next());
      const double x2 = x * x;
      if (u < 1.0 - 0.0331 * x2 * x2) return e_ * v;
      if (std::log(u) < 0.5 * x2 + e_ * (1.0 - v + std::log(v))) return e_ * v;
    }
  }

  double shape_;
  bool boosted_;          ///< shape < 1: draw at shape + 1, then scale by U^{1/shape}
  double e_;              ///< (shape or shape + 1) − 1/3
  double c_;              ///< 1/√(9e)
  double inverse_shape_;  ///< 1/shape (boosted only)
};

}  // namespace sglab::rng
