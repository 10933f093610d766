#pragma once
// Standard normal deviates by the ziggurat method (Marsaglia & Tsang 2000),
// our own implementation on 32-bit words. Each word is split so that the
// layer index (low 7 bits) and the position inside the layer (high 25 bits,
// signed) never share bits — the correlation Doornik (2005) found in the
// original RNOR. About 97.2% of draws take one word and no transcendental call
// (the top layer, k[1] = 0, always goes to its wedge; 2.76% of draws enter the
// rejection part, 1.041 words per normal, measured over 2·10^7 draws), which
// is what makes millions of noisy feedback draws per trial cheap.

#include <cmath>
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

  /// The wedge test of layer i ≥ 1 without exp where lines decide it: +1 when
  /// y < exp(−x²/2) is certain, −1 when y ≥ exp(−x²/2) is, 0 when too close
  /// to call (then the caller evaluates exp). |x| = ax lies in the layer's
  /// wedge. The density is concave on |x| ≤ 1 and convex beyond, so on a
  /// wedge inside one of them its chord and its tangents at the wedge's ends
  /// bound it from either side; a margin of 1e-12 (the density there is at
  /// least 0.002, exp's error under 1e-15 of it) keeps every call that exp
  /// might decide otherwise undecided, so the draws are exp's draws
  /// (tests/core/expert_normals_test.cpp).
  int wedge_verdict(int i, double ax, double y) const {
    const Wedge& wedge = wedge_[i];
    if (wedge.shape == Wedge::kMixed) return 0;
    const double chord = wedge.g_in + wedge.chord_slope * (ax - wedge.in);
    const double tangent_in = wedge.g_in + wedge.slope_in * (ax - wedge.in);
    const double tangent_out = wedge.g_out + wedge.slope_out * (ax - wedge.out);
    if (wedge.shape == Wedge::kConvex) {  // tangents ≤ density ≤ chord
      if (y >= chord + kWedgeMargin) return -1;
      if (y < (tangent_in > tangent_out ? tangent_in : tangent_out) - kWedgeMargin) return 1;
    } else {  // chord ≤ density ≤ tangents
      if (y < chord - kWedgeMargin) return 1;
      if (y >= (tangent_in < tangent_out ? tangent_in : tangent_out) + kWedgeMargin) return -1;
    }
    return 0;
  }
  static constexpr double kWedgeMargin = 1e-12;

  /// The whole wedge test of layer i ≥ 1 for the point (x, y): y <
  /// exp(−x²/2), decided as wedge_verdict decides it where it can, by exp
  /// where it cannot. The same verdicts in the same priority, formed with
  /// selects rather than a branch per shape and line, for the in-place
  /// rejection handling of StreamReader::fill_normals (a wedge's outcome is a
  /// coin flip to the branch predictor).
  bool wedge_accepts(int i, double x, double y) const {
    const Wedge& wedge = wedge_[i];
    const double ax = std::fabs(x);
    const double chord = wedge.g_in + wedge.chord_slope * (ax - wedge.in);
    const double tangent_in = wedge.g_in + wedge.slope_in * (ax - wedge.in);
    const double tangent_out = wedge.g_out + wedge.slope_out * (ax - wedge.out);
    const double tangent_max = tangent_in > tangent_out ? tangent_in : tangent_out;
    const double tangent_min = tangent_in < tangent_out ? tangent_in : tangent_out;
    const bool convex = wedge.shape == Wedge::kConvex;
    // Convex: tangents ≤ density ≤ chord, the reject line tested first;
    // concave: chord ≤ density ≤ tangents, the accept line first.
    const bool below = y < (convex ? tangent_max : chord) - kWedgeMargin;
    const bool above = y >= (convex ? chord : tangent_min) + kWedgeMargin;
    const bool accept = convex ? below & !above : below;
    const bool reject = convex ? above : above & !below;
    if (__builtin_expect(wedge.shape == Wedge::kMixed || !(accept | reject), 0))
      return y < std::exp(-0.5 * x * x);
    return accept;
  }

 private:
  ZigguratTables();
  // |x| ∈ [in, out] in layer i's wedge; the density g and its slope −x·g at both ends.
  struct Wedge {
    enum Shape { kConcave, kConvex, kMixed } shape = kMixed;
    double in = 0, out = 0, g_in = 0, g_out = 0, chord_slope = 0, slope_in = 0, slope_out = 0;
  };
  Wedge wedge_[kLayers];
};

/// A normal deviate from a source of 32-bit words (`next()` returns uint32).
template <typename WordSource>
double ziggurat_normal(WordSource& next);
/// The same with the tables passed in (hot loops fetch them once).
template <typename WordSource>
double ziggurat_normal(WordSource& next, const ZigguratTables& tables);

}  // namespace sglab::rng

#include "core/rng/ziggurat_normal_impl.hpp"
