#pragma once
// Paired bootstrap of a ratio of means (THEORY.md §6: the interval of the
// BP/SG MSE ratio). Trials are resampled as pairs, so the correlation between
// the two estimators' errors within a trial is kept.

#include <cstdint>
#include <vector>

namespace sglab::stats {

struct RatioInterval {
  double ratio = 0.0;    ///< mean(numerator) / mean(denominator) on the original sample
  double se = 0.0;       ///< standard deviation of the resampled ratios (ddof 0, as NumPy's std)
  double ci_low = 0.0;   ///< 2.5th percentile of the resampled ratios
  double ci_high = 0.0;  ///< 97.5th percentile
};

/// `resamples` bootstrap draws of trial indices from the counter stream
/// (seed, stream); resamples = 0 returns the point ratio with zero spread.
RatioInterval paired_bootstrap_ratio(const std::vector<double>& numerator,
                                     const std::vector<double>& denominator, int resamples,
                                     std::uint64_t seed, std::uint64_t stream);

}  // namespace sglab::stats
