#pragma once
// Binomial(n, p) draws by inversion of a precomputed distribution function,
// our own transform (std::binomial_distribution differs between libraries).
// One 32-bit word per draw whatever n is: each outcome's probability is its
// exact pmf rounded to a multiple of 2^-32, the same resolution as every other
// uniform in the project. Build once per (n, p), draw many times.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/rng/counter_rng.hpp"

namespace sglab::rng {

class BinomialSampler {
 public:
  BinomialSampler(std::uint32_t n, double p);

  std::uint32_t draw(StreamReader& stream) const { return outcome(stream.next_word()); }

  /// The outcome a draw gives for the 32-bit word u.
  std::uint32_t outcome(std::uint64_t u) const {
    // Smallest k with u < cdf[k]. For small n: the number of k < n with
    // cdf[k] ≤ u, the same k since cdf is non-decreasing and cdf[n] = 2^32 > u,
    // counted without a branch (a search mispredicts about once per draw at
    // p = ½). Bisection otherwise.
    if (cdf_.size() <= 17) {
      std::uint32_t k = 0;
      for (std::size_t i = 0; i + 1 < cdf_.size(); ++i) k += static_cast<std::uint32_t>(u >= cdf_[i]);
      return k;
    }
    std::size_t lo = 0, hi = cdf_.size() - 1;
    while (lo < hi) {
      const std::size_t mid = (lo + hi) / 2;
      if (u < cdf_[mid]) hi = mid;
      else lo = mid + 1;
    }
    return static_cast<std::uint32_t>(lo);
  }

  /// outcome(words[i]) for i < count, into out (n = 1, the common case, as one compare).
  void outcomes(const std::uint32_t* words, std::size_t count, std::uint32_t* out) const {
    if (cdf_.size() == 2) {
      const std::uint64_t one = cdf_[0];
      for (std::size_t i = 0; i < count; ++i) out[i] = static_cast<std::uint32_t>(words[i] >= one);
      return;
    }
    for (std::size_t i = 0; i < count; ++i) out[i] = outcome(words[i]);
  }

  /// outcome(words[i]) as a double for i < count (eight words per SIMD step
  /// when n ≤ kMaxCountedN, binomial_block.hpp).
  void outcomes_as_double(const std::uint32_t* words, std::size_t count, double* out) const;

  /// Probability of outcome k as the sampler realises it (quantised pmf).
  double realised_pmf(std::uint32_t k) const;

 private:
  static constexpr std::uint32_t kMaxCountedN = 64;
  void fill_cdf(std::uint32_t n, double p);  ///< the non-degenerate cdf_
  std::vector<std::uint64_t> cdf_;  ///< cdf_[k] = round(F(k)·2^32), cdf_[n] = 2^32
  /// cdf_[k] for k < n while below 2^32: the k such that u ≥ cdf_[k] can hold
  /// for a 32-bit u (cdf_ is non-decreasing, so the rest never count).
  std::vector<std::uint32_t> thresholds_;
};

}  // namespace sglab::rng
