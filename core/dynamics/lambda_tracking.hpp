#pragma once
// How well each λ estimator (lambda_estimator.hpp) follows the exact λ*(n = B)
// (THEORY.md §4, computed every exact_every steps at the adaptive run's
// parameters): the tracking error per node and estimator,
//   mean over recorded steps s > last/2 that carry an exact λ* of |λ_est(s) − λ*(s)|,
// where `last` is the newest recorded step (the run's second half, so the start
// from the initial λ does not dominate). Both values at step s describe the
// state after step s's update (dynamics_session.hpp).

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/dynamics/lambda_estimator.hpp"
#include "core/dynamics/train_records.hpp"

namespace sglab::dynamics {

struct LambdaTracking {
  std::int64_t from_step = 0;  ///< steps > from_step count
  std::int64_t to_step = 0;    ///< the newest recorded step
  /// [estimator][slot]: mean |λ − λ*|; NaN for terminals or when no exact λ* falls in the window.
  std::array<std::vector<double>, kLambdaEstimatorCount> error;
  std::vector<int> points;     ///< per slot: exact λ* values in the window
  /// Mean over the mixing slots that have a value; NaN when none has.
  double mean(LambdaEstimator estimator) const;
  bool any() const;            ///< some slot has an exact λ* in the window
};

LambdaTracking lambda_tracking(const TrainRecords& records);

/// CSV, one row per mixing node and estimator:
///   node,layer,estimator,drives_adaptive_run,exact_points,from_step,to_step,tracking_error
/// then one row per estimator with node "mean" (the mean over nodes). Empty cell = no exact λ*.
std::string lambda_tracking_csv(const TrainRecords& records, const LambdaTracking& tracking);

/// One line: "lambda tracking error mean |lambda - lambda*| over steps 501..1000 (N nodes):
/// paper 0.123, ratio 0.045 (drives: paper)", or why there is none.
std::string lambda_tracking_summary(const TrainRecords& records, const LambdaTracking& tracking);

}  // namespace sglab::dynamics
