#include "core/dynamics/lambda_tracking.hpp"

#include <cmath>
#include <cstdio>
#include <limits>

namespace sglab::dynamics {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string number(double v) {
  if (std::isnan(v)) return "";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", v);
  return buffer;
}
}  // namespace

double LambdaTracking::mean(LambdaEstimator estimator) const {
  double sum = 0.0;
  int count = 0;
  for (double e : error[static_cast<std::size_t>(estimator)])
    if (!std::isnan(e)) {
      sum += e;
      ++count;
    }
  return count > 0 ? sum / count : kNaN;
}

bool LambdaTracking::any() const {
  for (int p : points)
    if (p > 0) return true;
  return false;
}

LambdaTracking lambda_tracking(const TrainRecords& records) {
  LambdaTracking out;
  const int slots = records.slots();
  out.points.assign(static_cast<std::size_t>(slots), 0);
  for (auto& e : out.error) e.assign(static_cast<std::size_t>(slots), 0.0);
  if (!records.empty()) {
    out.to_step = records.step(records.size() - 1);
    out.from_step = out.to_step / 2;
  }
  for (std::size_t r = 0; r < records.size(); ++r) {
    if (records.step(r) <= out.from_step || !records.layout().probes_at(records.step(r))) continue;
    for (int slot = 0; slot < slots; ++slot) {
      const double star = records.value(NodeSeries::exact_lambda_star, r, slot);
      if (std::isnan(star)) continue;
      ++out.points[static_cast<std::size_t>(slot)];
      for (int e = 0; e < kLambdaEstimatorCount; ++e)
        out.error[static_cast<std::size_t>(e)][static_cast<std::size_t>(slot)] +=
            std::fabs(records.value(lambda_estimator_series(e), r, slot) - star);
    }
  }
  for (int slot = 0; slot < slots; ++slot) {
    const int n = out.points[static_cast<std::size_t>(slot)];
    for (auto& e : out.error) e[static_cast<std::size_t>(slot)] = n > 0 ? e[static_cast<std::size_t>(slot)] / n : kNaN;
  }
  return out;
}

std::string lambda_tracking_csv(const TrainRecords& records, const LambdaTracking& tracking) {
  std::string out = "node,layer,estimator,drives_adaptive_run,exact_points,from_step,to_step,tracking_error\n";
  if (records.empty()) return out;
  const TrainLayout& layout = records.layout();
  const auto window = ',' + std::to_string(tracking.from_step + 1) + ',' + std::to_string(tracking.to_step) + ',';
  for (int e = 0; e < kLambdaEstimatorCount; ++e) {
    const auto estimator = static_cast<LambdaEstimator>(e);
    const std::string name = lambda_estimator_name(estimator);
    const std::string drives = layout.driving_estimator == e ? "1" : "0";
    int with_points = 0;
    for (int slot = 0; slot < layout.slots(); ++slot) {
      const auto ss = static_cast<std::size_t>(slot);
      if (!layout.mixes[ss]) continue;
      with_points += tracking.points[ss] > 0 ? 1 : 0;
      out += std::to_string(layout.node[ss]) + ',' + std::to_string(layout.layer[ss]) + ',' + name + ',' + drives +
             ',' + std::to_string(tracking.points[ss]) + window +
             number(tracking.error[static_cast<std::size_t>(e)][ss]) + '\n';
    }
    out += "mean,," + name + ',' + drives + ',' + std::to_string(with_points) + window +
           number(tracking.mean(estimator)) + '\n';
  }
  return out;
}

std::string lambda_tracking_summary(const TrainRecords& records, const LambdaTracking& tracking) {
  if (records.empty()) return "lambda tracking error: no steps recorded";
  const TrainLayout& layout = records.layout();
  if (!layout.exact_available) return "lambda tracking error: not computed (" + layout.exact_note + ")";
  if (!tracking.any())
    return "lambda tracking error: no exact lambda* in steps " + std::to_string(tracking.from_step + 1) + ".." +
           std::to_string(tracking.to_step);
  int nodes = 0;
  for (int p : tracking.points) nodes += p > 0 ? 1 : 0;
  std::string line = "lambda tracking error, mean |lambda - lambda*(n = B)| over steps " +
                     std::to_string(tracking.from_step + 1) + ".." + std::to_string(tracking.to_step) + " and " +
                     std::to_string(nodes) + " nodes:";
  for (int e = 0; e < kLambdaEstimatorCount; ++e) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, " %s %.4f%s", lambda_estimator_name(static_cast<LambdaEstimator>(e)),
                  tracking.mean(static_cast<LambdaEstimator>(e)), e + 1 < kLambdaEstimatorCount ? "," : "");
    line += buffer;
  }
  line += std::string(" (adaptive run driven by ") +
          lambda_estimator_name(static_cast<LambdaEstimator>(layout.driving_estimator)) + ")";
  return line;
}

}  // namespace sglab::dynamics
