#include "core/stats/paired_bootstrap.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "core/rng/counter_rng.hpp"
#include "core/stats/summary_stats.hpp"

namespace sglab::stats {

namespace {
double ratio_of_sums(double num, double den) {
  if (den == 0.0) return num == 0.0 ? 1.0 : std::numeric_limits<double>::infinity();
  return num / den;
}
}  // namespace

RatioInterval paired_bootstrap_ratio(const std::vector<double>& numerator,
                                     const std::vector<double>& denominator, int resamples,
                                     std::uint64_t seed, std::uint64_t stream) {
  if (numerator.size() != denominator.size() || numerator.empty())
    throw std::invalid_argument("paired bootstrap needs two non-empty samples of equal size");
  const auto trials = static_cast<std::uint32_t>(numerator.size());
  RatioInterval out;
  out.ratio = ratio_of_sums(mean(numerator), mean(denominator));
  if (resamples <= 0) {
    out.ci_low = out.ci_high = out.ratio;
    return out;
  }
  std::vector<double> ratios(static_cast<std::size_t>(resamples));
  rng::StreamReader reader(seed, stream);
  // A resample's words in bulk; each pick is next_below(trials) of its word.
  std::vector<std::uint32_t> words(trials);
  for (auto& r : ratios) {
    reader.fill_words(words.data(), trials);
    double num = 0.0, den = 0.0;
    for (std::uint32_t t = 0; t < trials; ++t) {
      const std::uint32_t pick = rng::word_below(words[t], trials);
      num += numerator[pick];
      den += denominator[pick];
    }
    r = ratio_of_sums(num, den);
  }
  out.se = std::sqrt(variance(ratios, 0));
  out.ci_low = percentile(ratios, 2.5);
  out.ci_high = percentile(ratios, 97.5);
  return out;
}

}  // namespace sglab::stats
