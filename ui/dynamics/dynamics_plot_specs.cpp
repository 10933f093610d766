// The mixing-dynamics plots and read-out, described from the recorded steps
// (the core computed every value; long series are thinned to at most
// kMaxPoints drawn points by taking every k-th record).
#include <algorithm>
#include <cmath>
#include <cstdio>

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

// Every k-th record (and the last), skipping NaN values.
template <class Value>
void thinned(const dynamics::TrainRecords& rec, plot::Series& s, Value value,
             std::size_t max_points = kMaxPoints) {
  const std::size_t n = rec.size();
  const std::size_t stride = n > max_points ? (n + max_points - 1) / max_points : 1;
  for (std::size_t r = 0; r < n; r += stride) {
    const double v = value(r);
    if (std::isnan(v)) continue;
    s.x.push_back(static_cast<double>(rec.step(r)));
    s.y.push_back(v);
  }
  if (n > 0 && (n - 1) % stride != 0) {
    const double v = value(n - 1);
    if (!std::isnan(v)) {
      s.x.push_back(static_cast<double>(rec.step(n - 1)));
      s.y.push_back(v);
    }
  }
}

}  // namespace

std::array<plot::PlotSpec, 4> build_dynamics_plot_specs(const jobs::DynamicsLabSnapshot* s,
                                                        int slot, int scrub) {
  std::array<plot::PlotSpec, 4> specs;
  auto& loss = specs[0];
  auto& lambda = specs[1];
  auto& parts = specs[2];
  auto& predictor = specs[3];
  loss.id = "dyn_loss";
  loss.title = "Training loss of the three runs";
  loss.x = {"SGD step", plot::Scale::kLinear, true, {}, {}};
  loss.y = {"batch loss ½Σ(x_t − y_t)² (before the step)", plot::Scale::kLog, false, {}, {}};
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

  plot::Series bp = line("BP", palette::kBp), fixed = line("SG, fixed λ", palette::kSg, true),
               adaptive = line("SG, adaptive λ", palette::kMix);
  thinned(rec, bp, [&](std::size_t r) { return rec.loss(dynamics::TrainRun::bp, r); });
  thinned(rec, fixed, [&](std::size_t r) { return rec.loss(dynamics::TrainRun::sg_fixed, r); });
  thinned(rec, adaptive,
          [&](std::size_t r) { return rec.loss(dynamics::TrainRun::sg_adaptive, r); });
  loss.series = {bp, fixed, adaptive};
  loss.subtitle = "batch B = " + std::to_string(layout.batch_size);

  std::vector<plot::VLine> marker;
  if (scrub >= 0)
    marker.push_back({static_cast<double>(rec.step(static_cast<std::size_t>(scrub))), "scrub",
                      palette::kGrey, true});
  for (auto& p : specs) p.vlines = marker;
  if (slot < 0 || slot >= rec.slots()) {
    for (std::size_t i = 1; i < specs.size(); ++i)
      specs[i].empty_message = "pick a node that mixes (has a λ)";
    return specs;
  }
  const int node = layout.node[static_cast<std::size_t>(slot)];
  const std::string who = ", node " + std::to_string(node);
  lambda.title = "λ of node " + std::to_string(node) + ": adaptive vs fixed vs exact λ*";
  parts.title += who;
  predictor.title += who;

  // λ trajectories.
  plot::Series batch = line("λ_batch (this batch's plug-in)", IM_COL32(150, 150, 150, 255));
  batch.line = false;
  batch.marker = plot::Marker::kCircle;
  batch.width = 1.0f;
  thinned(
      rec, batch,
      [&](std::size_t r) { return rec.value(dynamics::NodeSeries::lambda_batch, r, slot); },
      kMaxMarkers);
  plot::Series clipped = line("λ_batch clipped to [0, 1]", palette::kOrange);
  clipped.line = false;
  clipped.marker = plot::Marker::kTriangle;
  std::vector<std::size_t>
      clips;  // every clip event, then evenly thinned (a cap on the first ones would
  for (std::size_t r = 0; r < rec.size(); ++r)  // look as if clipping stopped)
    if (rec.clipped(r, slot) != 0) clips.push_back(r);
  const std::size_t clip_stride =
      clips.size() > kMaxMarkers ? (clips.size() + kMaxMarkers - 1) / kMaxMarkers : 1;
  for (std::size_t k = 0; k < clips.size(); k += clip_stride) {
    clipped.x.push_back(static_cast<double>(rec.step(clips[k])));
    clipped.y.push_back(rec.value(dynamics::NodeSeries::lambda_batch, clips[k], slot));
  }
  plot::Series adapt = line("adaptive λ", palette::kMix);
  adapt.width = 2.5f;
  thinned(rec, adapt,
          [&](std::size_t r) { return rec.value(dynamics::NodeSeries::lambda_adaptive, r, slot); });
  plot::Series fix = line("fixed λ", palette::kSg, true);
  const double fixed_value = layout.fixed_lambda[static_cast<std::size_t>(slot)];
  fix.x = {static_cast<double>(rec.step(0)), static_cast<double>(rec.step(rec.size() - 1))};
  fix.y = {fixed_value, fixed_value};
  plot::Series star = line("exact λ*(n = B)", palette::kBlack);
  star.line = false;
  star.marker = plot::Marker::kDiamond;
  if (layout.exact_available) {  // only every exact_every-th step has one: collect those, then thin
                                 // evenly
    std::vector<std::size_t> exact;
    for (std::size_t r = 0; r < rec.size(); ++r)
      if (!std::isnan(rec.value(dynamics::NodeSeries::exact_lambda_star, r, slot)))
        exact.push_back(r);
    const std::size_t stride =
        exact.size() > kMaxMarkers ? (exact.size() + kMaxMarkers - 1) / kMaxMarkers : 1;
    for (std::size_t k = 0; k < exact.size(); k += stride) {
      star.x.push_back(static_cast<double>(rec.step(exact[k])));
      star.y.push_back(rec.value(dynamics::NodeSeries::exact_lambda_star, exact[k], slot));
    }
  }
  lambda.series = {batch, adapt, fix};
  if (!clipped.x.empty()) lambda.series.insert(lambda.series.begin() + 1, clipped);
  if (!star.x.empty()) lambda.series.push_back(star);
  lambda.subtitle = layout.exact_available ? "" : "no exact λ*: " + layout.exact_note;

  // Ingredients.
  plot::Series v = line("v = S(u,u)/B", palette::kSkyBlue),
               c = line("c = S(w,u)/B", palette::kOrange),
               b2 = line("b² = max(|mean u|² − v, 0)", palette::kPurple);
  thinned(rec, v, [&](std::size_t r) { return rec.value(dynamics::NodeSeries::v, r, slot); });
  thinned(rec, c, [&](std::size_t r) { return rec.value(dynamics::NodeSeries::c, r, slot); });
  thinned(rec, b2, [&](std::size_t r) { return rec.value(dynamics::NodeSeries::b2, r, slot); });
  parts.series = {v, c, b2};
  parts.subtitle = "λ_batch = clamp(−c / (v + b²), 0, 1)";

  // Predictor error.
  plot::Series pf = line("fixed-λ run", palette::kSg, true),
               pa = line("adaptive-λ run", palette::kMix);
  thinned(rec, pf, [&](std::size_t r) {
    return rec.value(dynamics::NodeSeries::predictor_error_fixed, r, slot);
  });
  thinned(rec, pa, [&](std::size_t r) {
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
