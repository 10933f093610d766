#include "core/stats/summary_stats.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace sglab::stats {

double mean(const std::vector<double>& xs) {
  if (xs.empty()) return 0.0;
  double sum = 0.0;
  for (double x : xs) sum += x;
  return sum / static_cast<double>(xs.size());
}

double variance(const std::vector<double>& xs, int ddof) {
  const auto n = static_cast<long>(xs.size());
  if (n - ddof <= 0) return 0.0;
  const double m = mean(xs);
  double ss = 0.0;
  for (double x : xs) ss += (x - m) * (x - m);
  return ss / static_cast<double>(n - ddof);
}

double standard_error(const std::vector<double>& xs) {
  if (xs.size() < 2) return 0.0;
  return std::sqrt(variance(xs, 1) / static_cast<double>(xs.size()));
}

double percentile(std::vector<double> xs, double q) {
  if (xs.empty()) throw std::invalid_argument("percentile of an empty sample");
  std::sort(xs.begin(), xs.end());
  const double pos = std::clamp(q, 0.0, 100.0) / 100.0 * static_cast<double>(xs.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, xs.size() - 1);
  const double frac = pos - static_cast<double>(lo);
  return xs[lo] + frac * (xs[hi] - xs[lo]);
}

void RunningMoments::add(double x) {
  ++count_;
  const double delta = x - mean_;
  mean_ += delta / static_cast<double>(count_);
  m2_ += delta * (x - mean_);
}

double RunningMoments::variance() const {
  return count_ < 2 ? 0.0 : m2_ / static_cast<double>(count_ - 1);
}

double RunningMoments::standard_error() const {
  return count_ < 2 ? 0.0 : std::sqrt(variance() / static_cast<double>(count_));
}

}  // namespace sglab::stats
