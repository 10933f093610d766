#include "core/rng/binomial_sampler.hpp"

#include "core/rng/binomial_block.hpp"

#include <math.h>  // lgamma_r

#include <algorithm>
#include <cmath>

namespace sglab::rng {

namespace {

// log(x!) for x ≥ 0, as log Γ(x + 1). Not std::lgamma: it writes the global
// `signgam`, a data race when samplers are built on several threads at once
// (ThreadSanitizer found it in the expert lab's parallel trials). lgamma_r
// returns the same value and writes the sign to a local instead.
double log_factorial(double x) {
  int sign = 0;
  return ::lgamma_r(x + 1.0, &sign);
}

}  // namespace

BinomialSampler::BinomialSampler(std::uint32_t n, double p) {
  const double one = 0x1p32;
  cdf_.resize(static_cast<std::size_t>(n) + 1);
  if (p >= 1.0 || p <= 0.0) {
    // Degenerate: all mass on n (p = 1) or on 0 (p = 0).
    for (std::uint32_t k = 0; k <= n; ++k)
      cdf_[k] = (p >= 1.0 ? k == n : true) ? static_cast<std::uint64_t>(one) : 0;
  } else {
    fill_cdf(n, p);
  }
  for (std::uint32_t k = 0; k < n && cdf_[k] < (std::uint64_t{1} << 32); ++k)
    thresholds_.push_back(static_cast<std::uint32_t>(cdf_[k]));
}

void BinomialSampler::fill_cdf(std::uint32_t n, double p) {
  const double one = 0x1p32;
  // log pmf(k) = log C(n, k) + k log p + (n − k) log(1 − p), summed in order.
  const double log_p = std::log(p), log_q = std::log1p(-p);
  const double log_n_fact = log_factorial(static_cast<double>(n));
  double cumulative = 0.0;
  for (std::uint32_t k = 0; k <= n; ++k) {
    const double kk = static_cast<double>(k), rest = static_cast<double>(n - k);
    cumulative += std::exp(log_n_fact - log_factorial(kk) - log_factorial(rest) +
                           kk * log_p + rest * log_q);
    cdf_[k] = static_cast<std::uint64_t>(std::llround(std::min(cumulative, 1.0) * one));
  }
  cdf_[n] = static_cast<std::uint64_t>(one);  // the last outcome absorbs rounding
}

void BinomialSampler::outcomes_as_double(const std::uint32_t* words, std::size_t count,
                                         double* out) const {
  if (cdf_.size() - 1 <= kMaxCountedN) {
    count_reached_thresholds(words, count, thresholds_.data(), static_cast<int>(thresholds_.size()), out);
    return;
  }
  for (std::size_t i = 0; i < count; ++i) out[i] = static_cast<double>(outcome(words[i]));
}

double BinomialSampler::realised_pmf(std::uint32_t k) const {
  if (k >= cdf_.size()) return 0.0;
  const std::uint64_t below = k == 0 ? 0 : cdf_[k - 1];
  return static_cast<double>(cdf_[k] - below) * 0x1p-32;
}

}  // namespace sglab::rng
