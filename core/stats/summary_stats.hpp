#pragma once
// Moments, standard errors, percentiles and a running (Welford) accumulator.

#include <cstddef>
#include <vector>

namespace sglab::stats {

double mean(const std::vector<double>& xs);
/// Sample variance with denominator (N - ddof).
double variance(const std::vector<double>& xs, int ddof = 1);
/// Standard error of the mean: sqrt(variance(ddof = 1) / N); 0 for N < 2.
double standard_error(const std::vector<double>& xs);
/// Percentile q in [0, 100] with linear interpolation between order statistics
/// (the convention of NumPy's default, so results compare with the paper's code).
double percentile(std::vector<double> xs, double q);

/// Welford's running mean and variance: numerically stable in one pass.
class RunningMoments {
 public:
  void add(double x);
  std::size_t count() const { return count_; }
  double mean() const { return mean_; }
  /// Sample variance (denominator N - 1); 0 for N < 2.
  double variance() const;
  double standard_error() const;

 private:
  std::size_t count_ = 0;
  double mean_ = 0.0;
  double m2_ = 0.0;
};

}  // namespace sglab::stats
