// The mixing-dynamics lab's quantities (THEORY.md §5): the scenario's three
// runs trained headless for its "train" body's steps, summarised as the lab's
// plots show them (losses near the end, λ per node over the second half).
#include <cmath>
#include <limits>

#include "core/dynamics/dynamics_session.hpp"
#include "core/dynamics/train_config.hpp"
#include "core/lessons/lab_quantities.hpp"

namespace sglab::lessons {

namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

// Mean of the finite values of series(r) for r in [begin, end); NaN when none.
template <typename Series>
double finite_mean(std::size_t begin, std::size_t end, Series series) {
  double sum = 0.0;
  int count = 0;
  for (std::size_t r = begin; r < end; ++r) {
    const double v = series(r);
    if (std::isfinite(v)) {
      sum += v;
      ++count;
    }
  }
  return count > 0 ? sum / count : kNan;
}

void add_node(QuantityValues& q, const dynamics::TrainRecords& rec, int slot) {
  using dynamics::NodeSeries;
  const std::string p = "node:" + std::to_string(rec.layout().node[static_cast<std::size_t>(slot)]) + ".";
  const std::size_t size = rec.size(), half = size / 2;
  auto series = [&](NodeSeries s) { return [&rec, s, slot](std::size_t r) { return rec.value(s, r, slot); }; };
  q[p + "lambda"] = size > 0 ? rec.value(NodeSeries::lambda_adaptive, size - 1, slot) : kNan;
  q[p + "lambda_mean"] = finite_mean(half, size, series(NodeSeries::lambda_adaptive));
  q[p + "lambda_star"] = finite_mean(half, size, series(NodeSeries::exact_lambda_star));
  q[p + "tracking_error"] = finite_mean(half, size, [&rec, slot](std::size_t r) {
    return std::fabs(rec.value(NodeSeries::lambda_adaptive, r, slot) - rec.value(NodeSeries::exact_lambda_star, r, slot));
  });
}

}  // namespace

QuantityValues dynamics_quantities(const config::Scenario& scenario, const WorkControl* control) {
  using dynamics::TrainRun;
  const dynamics::TrainConfig config = dynamics::train_config_of(scenario);
  const dynamics::TrainRecords rec =
      dynamics::run_training(dynamics::training_network(scenario, config), config, control);
  const std::size_t size = rec.size();
  // The last 10 % of the records (at least one): per-batch losses are noisy.
  const std::size_t tail = size - std::max<std::size_t>(1, size / 10);

  QuantityValues q;
  q["steps"] = static_cast<double>(config.steps);
  auto loss = [&rec](TrainRun run) { return [&rec, run](std::size_t r) { return rec.loss(run, r); }; };
  q["loss_bp"] = finite_mean(tail, size, loss(TrainRun::bp));
  q["loss_sg_fixed"] = finite_mean(tail, size, loss(TrainRun::sg_fixed));
  q["loss_sg_adaptive"] = finite_mean(tail, size, loss(TrainRun::sg_adaptive));
  q["initial_loss"] = size > 0 ? rec.loss(TrainRun::bp, 0) : kNan;
  double diverged = 0.0;
  for (int run = 0; run < dynamics::kTrainRunCount; ++run)
    if (rec.diverged_at(static_cast<TrainRun>(run)) > 0) diverged += 1.0;
  q["diverged"] = diverged;
  for (int slot = 0; slot < rec.slots(); ++slot)
    if (rec.layout().mixes[static_cast<std::size_t>(slot)]) add_node(q, rec, slot);
  return q;
}

}  // namespace sglab::lessons
