// The mixing-dynamics plots and read-out, described from the recorded steps
// (the core computed every value; long series are thinned to at most
// kMaxPoints drawn points: the first record of each bin of steps).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/dynamics/lambda_tracking.hpp"
#include "ui/dynamics/dynamics_lab.hpp"
#include "ui/theme.hpp"

namespace sglab::ui {

namespace {

// Software GL draws every segment on the CPU: a few hundred points per series keep
// the window above 30 FPS while training, and are as many as a plot cell shows.
constexpr std::size_t kMaxPoints = 400;
constexpr std::size_t kMaxMarkers = 200;

std::string num(double v) {
  if (std::isnan(v)) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

plot::Series line(const std::string& name, ImU32 colour, bool dashed = false) {
  plot::Series s;
  s.name = name;
  s.colour = colour;
  s.dashed = dashed;
  return s;
}

}  // namespace

std::int64_t dynamics_step_axis_end(std::int64_t newest_step, std::int64_t steps_total) {
  // At least a sixteenth of the run: the axis then changes a few times per run.
  const std::int64_t at_least = std::max<std::int64_t>(newest_step, steps_total / 16);
  std::int64_t end = 10;
  for (std::int64_t decade = 10; end < at_least; decade *= 10)
    for (const std::int64_t m : {2, 5, 10}) {
      end = m * decade;
      if (end >= at_least) break;
    }
  return steps_total > 0 ? std::min(end, steps_total) : end;
}

namespace {

// Which records a series draws: the first of each bin of `width` steps (among
// the records `usable` accepts) and the newest. Bins of steps, not of record
// counts: a record once drawn stays drawn as the run grows, so an update adds
// points at the curves' ends only and the frame loop redraws just those
// (ui/draw_damage.hpp), until the step axis itself grows.
template <class Usable>
std::vector<std::size_t> records_to_draw(const dynamics::TrainRecords& rec, std::int64_t width, Usable usable) {
  std::vector<std::size_t> picked;
  std::int64_t last_bin = -1;
  for (std::size_t r = 0; r < rec.size(); ++r) {
    if (!usable(r)) continue;
    const std::int64_t bin = rec.step(r) / width;
    if (bin != last_bin || r + 1 == rec.size()) picked.push_back(r);
    last_bin = bin;
  }
  return picked;
}

// The bin width that keeps a series of the step axis [0, axis_end] under `points` points.
std::int64_t bin_width(std::int64_t axis_end, std::size_t points) {
  return std::max<std::int64_t>(1, (axis_end + static_cast<std::int64_t>(points) - 1) / static_cast<std::int64_t>(points));
}

// The picked records' values (NaN values skipped).
template <class Value>
void fill_series(const dynamics::TrainRecords& rec, const std::vector<std::size_t>& picked, plot::Series& s,
                 Value value) {
  for (const std::size_t r : picked) {
    const double v = value(r);
    if (std::isnan(v)) continue;
    s.x.push_back(static_cast<double>(rec.step(r)));
    s.y.push_back(v);
  }
}

// Display smoothing of a run's batch losses: an exponential moving average over
// the recorded steps, y ← y + α (loss − y), α = 2 / (span + 1), started at the
// first finite loss (NaNs after a divergence are skipped). Only for the eye: the
// CSV keeps the raw values.
constexpr double kLossSmoothingSpan = 50.0;

void smoothed_loss(const dynamics::TrainRecords& rec, dynamics::TrainRun run, const std::vector<std::size_t>& picked,
                   plot::Series& s) {
  const double alpha = 2.0 / (kLossSmoothingSpan + 1.0);
  double y = std::nan("");
  std::size_t next = 0;
  for (std::size_t r = 0; r < rec.size() && next < picked.size(); ++r) {
    const double v = rec.loss(run, r);
    if (!std::isnan(v)) y = std::isnan(y) ? v : y + alpha * (v - y);
    if (r != picked[next]) continue;
    ++next;
    if (std::isnan(y)) continue;
    s.x.push_back(static_cast<double>(rec.step(r)));
    s.y.push_back(y);
  }
}

const char* estimator_label(int e) {
  switch (static_cast<dynamics::LambdaEstimator>(e)) {
    case dynamics::LambdaEstimator::paper: return "paper";
    case dynamics::LambdaEstimator::ratio: return "ratio of averages";
    case dynamics::LambdaEstimator::bias_corrected: return "ratio + bias term (BP)";
  }
  return "?";
}

ImU32 estimator_colour(int e) {
  static constexpr ImU32 kColours[] = {palette::kMix, palette::kGreen, palette::kOrange};
  return kColours[e % 3];
}

// Tracking error per node (lambda_tracking.hpp): one marker series per estimator.
void fill_tracking_plot(const dynamics::TrainRecords& rec, const dynamics::LambdaTracking& tracking,
                        plot::PlotSpec& spec) {
  const auto& layout = rec.layout();
  if (!layout.exact_available) {
    spec.empty_message = "no exact λ*, so no tracking error: " + layout.exact_note;
    return;
  }
  if (!tracking.any()) {
    spec.empty_message = "no exact λ* yet in the run's second half";
    return;
  }
  std::string means;
  for (int e = 0; e < dynamics::kLambdaEstimatorCount; ++e) {
    plot::Series s = line(estimator_label(e), estimator_colour(e));
    s.line = false;
    s.marker = e == 0 ? plot::Marker::kCircle : (e == 1 ? plot::Marker::kSquare : plot::Marker::kTriangle);
    for (int slot = 0; slot < rec.slots(); ++slot) {
      const double v = tracking.error[static_cast<std::size_t>(e)][static_cast<std::size_t>(slot)];
      if (std::isnan(v)) continue;
      s.x.push_back(layout.node[static_cast<std::size_t>(slot)]);
      s.y.push_back(v);
    }
    spec.series.push_back(s);
    means += std::string(e == 0 ? "" : ", ") + dynamics::lambda_estimator_name(static_cast<dynamics::LambdaEstimator>(e)) +
             " " + num(tracking.mean(static_cast<dynamics::LambdaEstimator>(e)));
  }
  spec.subtitle = "steps " + std::to_string(tracking.from_step + 1) + "–" + std::to_string(tracking.to_step) +
                  "; node mean: " + means;
}

}  // namespace

std::string dynamics_estimator_label(int estimator) { return estimator_label(estimator); }

std::array<plot::PlotSpec, kDynamicsPlotCount> build_dynamics_plot_specs(const jobs::DynamicsLabSnapshot* s,
                                                        int slot, int scrub) {
  std::array<plot::PlotSpec, kDynamicsPlotCount> specs;
  auto& loss = specs[0];
  auto& lambda = specs[1];
  auto& parts = specs[2];
  auto& predictor = specs[3];
  auto& tracking = specs[4];
  loss.id = "dyn_loss";
  loss.title = "Loss: batch (faint), smoothed (thick), held-out (diamonds)";
  loss.x = {"SGD step", plot::Scale::kLinear, true, {}, {}};
  loss.y = {"loss ½Σ(x_t − y_t)²", plot::Scale::kLog, false, {}, {}};
  tracking.id = "dyn_tracking";
  tracking.title = "Tracking error per node (second half of the run)";
  tracking.x = {"node", plot::Scale::kLinear, true, {}, {}};
  tracking.y = {"mean |λ − λ*|", plot::Scale::kLinear, false, 0.0, {}};
  tracking.legend_right = true;
  loss.legend_right = true;
  lambda.id = "dyn_lambda";
  lambda.title = "λ of the node: adaptive vs fixed vs exact λ*";
  lambda.x = loss.x;
  lambda.y = {"λ (weight on the synthetic gradient)", plot::Scale::kLinear, false, -0.03, {}};
  parts.id = "dyn_ingredients";
  parts.title = "Ingredients of λ_batch at the node (§5)";
  parts.x = loss.x;
  parts.y = {"v, c, b² (per batch)", plot::Scale::kLinear, false, {}, {}};
  parts.legend_right = true;
  predictor.id = "dyn_predictor_error";
  predictor.title = "Error of the synthetic gradients the node sends to its parents";
  predictor.x = loss.x;
  predictor.y = {"mean squared error on the batch", plot::Scale::kLog, false, {}, {}};
  predictor.legend_right = true;
  const char* waiting = s == nullptr ? "starting the runs…" : "no steps yet: press Play or Step";
  for (auto& p : specs) p.empty_message = waiting;
  if (s == nullptr || s->records.empty()) return specs;
  const dynamics::TrainRecords& rec = s->records;
  const auto& layout = rec.layout();
  // The step axis ends at a round number past the newest step (or at the run's
  // end): it moves a few times per run instead of with every update.
  const std::int64_t axis_end = dynamics_step_axis_end(rec.step(rec.size() - 1), s->steps_total);
  for (plot::PlotSpec* p : {&loss, &lambda, &parts, &predictor}) {
    p->x.min = 0.0;
    p->x.max = static_cast<double>(axis_end);
  }
  for (plot::PlotSpec& p : specs) p.y.hold_range = true;  // new extremes move the axes seldom
  const std::int64_t line_bin = bin_width(axis_end, kMaxPoints), marker_bin = bin_width(axis_end, kMaxMarkers);
  const std::vector<std::size_t> lines = records_to_draw(rec, line_bin, [](std::size_t) { return true; });
  const std::vector<std::size_t> markers = records_to_draw(rec, marker_bin, [](std::size_t) { return true; });

  const char* run_names[] = {"BP", "SG, fixed λ", "SG, adaptive λ"};
  const ImU32 run_colours[] = {palette::kBp, palette::kSg, palette::kMix};
  for (int run = 0; run < dynamics::kTrainRunCount; ++run) {  // raw batch losses first, faint and thin
    plot::Series raw = line(std::string(run_names[run]) + ", batch", (run_colours[run] & 0x00FFFFFFu) | 0x50000000u);
    raw.width = 1.0f;
    raw.group = run_names[run];
    raw.in_legend = false;
    fill_series(rec, lines, raw, [&](std::size_t r) { return rec.loss(static_cast<dynamics::TrainRun>(run), r); });
    loss.series.push_back(raw);
  }
  for (int run = 0; run < dynamics::kTrainRunCount; ++run) {
    plot::Series smooth = line(run_names[run], run_colours[run], run == 1);
    smooth.width = 2.5f;
    smooth.group = run_names[run];
    smoothed_loss(rec, static_cast<dynamics::TrainRun>(run), lines, smooth);
    loss.series.push_back(smooth);
  }
  for (int run = 0; run < dynamics::kTrainRunCount; ++run) {
    plot::Series held = line(std::string(run_names[run]) + ", held-out", run_colours[run]);
    held.marker = plot::Marker::kDiamond;
    held.width = 1.0f;
    held.group = run_names[run];
    held.in_legend = false;
    const auto run_id = static_cast<dynamics::TrainRun>(run);
    const auto held_at = records_to_draw(rec, marker_bin, [&](std::size_t r) {  // every eval_every steps
      return layout.evaluates_at(rec.step(r)) && !std::isnan(rec.eval_loss(run_id, r));
    });
    fill_series(rec, held_at, held, [&](std::size_t r) { return rec.eval_loss(run_id, r); });
    if (!held.x.empty()) loss.series.push_back(held);
  }
  loss.subtitle = "B = " + std::to_string(layout.batch_size) + ", EMA span " +
                  std::to_string(static_cast<int>(kLossSmoothingSpan)) + "; " +
                  (layout.eval_every > 0 ? "held-out: " + std::to_string(layout.eval_size) + " samples / " +
                                               std::to_string(layout.eval_every) + " steps"
                                         : std::string("held-out loss off"));
  const dynamics::LambdaTracking tracked = dynamics::lambda_tracking(rec);
  fill_tracking_plot(rec, tracked, tracking);

  std::vector<plot::VLine> marker;
  if (scrub >= 0)
    marker.push_back({static_cast<double>(rec.step(static_cast<std::size_t>(scrub))), "scrub",
                      palette::kGrey, true});
  for (auto& p : specs) p.vlines = marker;
  tracking.vlines.clear();  // its x axis is the node, not the step
  if (slot < 0 || slot >= rec.slots()) {
    for (std::size_t i = 1; i < 4; ++i)  // the tracking plot (4) covers every node
      specs[i].empty_message = "pick a node that mixes (has a λ)";
    return specs;
  }
  const int node = layout.node[static_cast<std::size_t>(slot)];
  const std::string who = ", node " + std::to_string(node);
  lambda.title = "λ of node " + std::to_string(node) + ": estimators vs fixed vs exact λ*";
  parts.title += who;
  predictor.title += who;

  // λ trajectories.
  plot::Series batch = line("λ_batch", IM_COL32(150, 150, 150, 255));
  batch.line = false;
  batch.marker = plot::Marker::kCircle;
  batch.width = 1.0f;
  fill_series(rec, markers, batch, [&](std::size_t r) { return rec.value(dynamics::NodeSeries::lambda_batch, r, slot); });
  plot::Series clipped = line("λ_batch clipped", palette::kOrange);
  clipped.line = false;
  clipped.marker = plot::Marker::kTriangle;
  // Every clip event counts (a cap on the first ones would look as if clipping stopped), binned like the rest.
  const auto clips = records_to_draw(rec, marker_bin, [&](std::size_t r) { return rec.clipped(r, slot) != 0; });
  fill_series(rec, clips, clipped, [&](std::size_t r) { return rec.value(dynamics::NodeSeries::lambda_batch, r, slot); });
  std::vector<plot::Series> estimators;
  for (int e = 0; e < dynamics::kLambdaEstimatorCount; ++e) {
    const bool drives = e == layout.driving_estimator;
    plot::Series est = line(std::string(estimator_label(e)) + (drives ? " (drives)" : ""),
                            estimator_colour(e), !drives);
    est.width = drives ? 2.5f : 1.5f;
    fill_series(rec, lines, est, [&](std::size_t r) { return rec.value(dynamics::lambda_estimator_series(e), r, slot); });
    estimators.push_back(est);
  }
  plot::Series fix = line("fixed λ", palette::kSg, true);
  const double fixed_value = layout.fixed_lambda[static_cast<std::size_t>(slot)];
  fix.x = {static_cast<double>(rec.step(0)), static_cast<double>(rec.step(rec.size() - 1))};
  fix.y = {fixed_value, fixed_value};
  plot::Series star = line("exact λ*(n = B)", palette::kBlack);
  star.line = false;
  star.marker = plot::Marker::kDiamond;
  if (layout.exact_available) {  // only every exact_every-th step has one
    const auto exact = records_to_draw(rec, marker_bin, [&](std::size_t r) {
      return layout.probes_at(rec.step(r)) && !std::isnan(rec.value(dynamics::NodeSeries::exact_lambda_star, r, slot));
    });
    fill_series(rec, exact, star, [&](std::size_t r) { return rec.value(dynamics::NodeSeries::exact_lambda_star, r, slot); });
  }
  lambda.series = {batch};
  lambda.series.insert(lambda.series.end(), estimators.begin(), estimators.end());
  lambda.series.push_back(fix);
  if (!clipped.x.empty()) lambda.series.insert(lambda.series.begin() + 1, clipped);
  if (!star.x.empty()) lambda.series.push_back(star);
  lambda.subtitle = layout.exact_available ? "" : "no exact λ*: " + layout.exact_note;
  if (tracked.points[static_cast<std::size_t>(slot)] > 0) {
    lambda.subtitle = "mean |λ − λ*|:";
    for (int e = 0; e < dynamics::kLambdaEstimatorCount; ++e)
      lambda.subtitle += std::string(e == 0 ? " " : ", ") +
                         dynamics::lambda_estimator_name(static_cast<dynamics::LambdaEstimator>(e)) + " " +
                         num(tracked.error[static_cast<std::size_t>(e)][static_cast<std::size_t>(slot)]);
  }

  // Ingredients.
  plot::Series v = line("v = S(u,u)/B", palette::kSkyBlue),
               c = line("c = S(w,u)/B", palette::kOrange),
               b2 = line("b² = max(|mean u|² − v, 0)", palette::kPurple);
  fill_series(rec, lines, v, [&](std::size_t r) { return rec.value(dynamics::NodeSeries::v, r, slot); });
  fill_series(rec, lines, c, [&](std::size_t r) { return rec.value(dynamics::NodeSeries::c, r, slot); });
  fill_series(rec, lines, b2, [&](std::size_t r) { return rec.value(dynamics::NodeSeries::b2, r, slot); });
  parts.series = {v, c, b2};
  parts.subtitle = "λ_batch = clamp(−c / (v + b²), 0, 1)";

  // Predictor error.
  plot::Series pf = line("fixed-λ run", palette::kSg, true),
               pa = line("adaptive-λ run", palette::kMix);
  fill_series(rec, lines, pf, [&](std::size_t r) {
    return rec.value(dynamics::NodeSeries::predictor_error_fixed, r, slot);
  });
  fill_series(rec, lines, pa, [&](std::size_t r) {
    return rec.value(dynamics::NodeSeries::predictor_error_adaptive, r, slot);
  });
  predictor.series = {pf, pa};
  if (pf.x.empty() && pa.x.empty())
    predictor.empty_message = "this node predicts no messages (its parents are all inputs)";
  return specs;
}

std::vector<std::string> dynamics_readout(const jobs::DynamicsLabSnapshot& s, int slot,
                                          int record) {
  std::vector<std::string> out;
  const dynamics::TrainRecords& rec = s.records;
  if (record < 0 || static_cast<std::size_t>(record) >= rec.size()) return out;
  const auto r = static_cast<std::size_t>(record);
  out.push_back("Step " + std::to_string(rec.step(r)) + ": batch loss BP " +
                num(rec.loss(dynamics::TrainRun::bp, r)) + ", SG fixed " +
                num(rec.loss(dynamics::TrainRun::sg_fixed, r)) + ", SG adaptive " +
                num(rec.loss(dynamics::TrainRun::sg_adaptive, r)) + ".");
  if (slot < 0 || slot >= rec.slots()) return out;
  const int node = rec.layout().node[static_cast<std::size_t>(slot)];
  using dynamics::NodeSeries;
  std::string lambda_line = "Node " + std::to_string(node) + ": adaptive λ " +
                            num(rec.value(NodeSeries::lambda_adaptive, r, slot)) + ", λ_batch " +
                            num(rec.value(NodeSeries::lambda_batch, r, slot));
  if (rec.degenerate(r, slot))
    lambda_line += " (v + b² ≈ 0: old λ kept)";
  else if (rec.clipped(r, slot) != 0)
    lambda_line += " (clipped from " + num(rec.value(NodeSeries::lambda_batch_raw, r, slot)) + ")";
  out.push_back(lambda_line + ".");
  std::string estimators = "Estimators:";
  for (int e = 0; e < dynamics::kLambdaEstimatorCount; ++e)
    estimators += std::string(e == 0 ? " " : ", ") +
                  dynamics::lambda_estimator_name(static_cast<dynamics::LambdaEstimator>(e)) + " " +
                  num(rec.value(dynamics::lambda_estimator_series(e), r, slot));
  out.push_back(estimators + " (the run uses " +
                dynamics::lambda_estimator_name(static_cast<dynamics::LambdaEstimator>(rec.layout().driving_estimator)) +
                ").");
  out.push_back("v " + num(rec.value(NodeSeries::v, r, slot)) + ", c " +
                num(rec.value(NodeSeries::c, r, slot)) + ", b² " +
                num(rec.value(NodeSeries::b2, r, slot)) + ".");
  for (std::size_t k = r + 1;
       rec.layout().exact_available && k-- > 0;) {  // the newest exact λ* up to this step
    const double star = rec.value(NodeSeries::exact_lambda_star, k, slot);
    if (std::isnan(star)) continue;
    out.push_back("Exact λ*(n = B) " + num(star) + " at step " + std::to_string(rec.step(k)) + ".");
    break;
  }
  return out;
}

}  // namespace sglab::ui
