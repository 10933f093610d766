// The bandit lab's plots and read-out, described from a session snapshot
// through core/bandit/bandit_summary (which computed every mean and SE).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "ui/bandit/bandit_lab.hpp"
#include "ui/theme.hpp"

namespace sglab::ui {

namespace {

using bandit::Method;

ImU32 method_colour(Method m) {
  switch (m) {
    case Method::kBackprop: return palette::kBp;
    case Method::kSgFixed: return palette::kSg;
    case Method::kSgAdaptive: return palette::kMix;
    case Method::kMlp: return palette::kGreen;
  }
  return palette::kGrey;
}

std::string num(double v, const char* format = "%.3f") {
  if (std::isnan(v)) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

plot::Series line(const std::string& name, ImU32 colour, bool dashed = false) {
  plot::Series s;
  s.name = name;
  s.colour = colour;
  s.dashed = dashed;
  return s;
}

// x = samples seen, y = one value per evaluation; NaNs are left out.
void fill(plot::Series& s, const bandit::MethodCurve& c, const std::vector<double>& y) {
  for (std::size_t e = 0; e < y.size() && e < c.samples_seen.size(); ++e)
    if (!std::isnan(y[e])) {
      s.x.push_back(static_cast<double>(c.samples_seen[e]));
      s.y.push_back(y[e]);
    }
}

plot::Series reward_series(const bandit::MethodCurve& c) {
  plot::Series s = line(bandit_method_label(c.method), method_colour(c.method), c.method == Method::kSgFixed);
  s.marker = plot::Marker::kCircle;
  for (std::size_t e = 0; e < c.reward_mean.size(); ++e) {
    s.x.push_back(static_cast<double>(c.samples_seen[e]));
    s.y.push_back(c.reward_mean[e]);
    if (!std::isnan(c.reward_se[e])) {
      s.band_lo.push_back(c.reward_mean[e] - c.reward_se[e]);
      s.band_hi.push_back(c.reward_mean[e] + c.reward_se[e]);
    }
  }
  if (s.band_lo.size() != s.x.size()) s.band_lo.clear(), s.band_hi.clear();
  return s;
}

void lambda_plot(plot::PlotSpec& p, const std::vector<bandit::MethodCurve>& curves) {
  for (const auto& c : curves) {
    if (c.method == Method::kSgAdaptive) {
      for (std::size_t l = 0; l < c.lambda.size(); ++l) {
        plot::Series s = line("adaptive λ, layer " + std::to_string(l + 1), palette::series(static_cast<int>(l)));
        fill(s, c, c.lambda[l]);
        p.series.push_back(std::move(s));
      }
    } else if (c.method == Method::kSgFixed && !c.lambda.empty()) {
      plot::Series s = line("fixed λ (all layers)", palette::kSg, true);
      fill(s, c, c.lambda.front());
      p.series.push_back(std::move(s));
    }
  }
  if (p.series.empty()) p.empty_message = "no SG method is on: λ belongs to the SG runs";
}

void norm_plot(plot::PlotSpec& p, const std::vector<bandit::MethodCurve>& curves, int layer) {
  const auto l = static_cast<std::size_t>(layer);
  for (const auto& c : curves) {
    if (l >= c.true_grad_norm.size()) continue;
    plot::Series t = line(bandit_method_label(c.method) + ": true", method_colour(c.method));
    fill(t, c, c.true_grad_norm[l]);
    if (!t.x.empty()) p.series.push_back(std::move(t));
    plot::Series s = line(bandit_method_label(c.method) + ": synthetic", method_colour(c.method), true);
    s.marker = plot::Marker::kTriangle;
    fill(s, c, c.synthetic_grad_norm[l]);
    if (!s.x.empty()) p.series.push_back(std::move(s));
  }
}

void sweep_plot(plot::PlotSpec& p, const bandit::BanditSnapshot& session, const bandit::BanditConfig& config) {
  int points = 0;
  for (const auto& m : bandit::final_reward_sweep(session, config)) {
    plot::Series s = line(bandit_method_label(m.method), method_colour(m.method), m.method == Method::kSgFixed);
    s.marker = plot::Marker::kCircle;
    bool bars = true;
    for (const auto& pt : m.points) {
      s.x.push_back(pt.p_flip);
      s.y.push_back(pt.mean);
      bars = bars && !std::isnan(pt.se);
      s.y_lo.push_back(pt.mean - (std::isnan(pt.se) ? 0.0 : pt.se));
      s.y_hi.push_back(pt.mean + (std::isnan(pt.se) ? 0.0 : pt.se));
    }
    if (!bars) s.y_lo.clear(), s.y_hi.clear();
    points += static_cast<int>(m.points.size());
    if (!s.x.empty()) p.series.push_back(std::move(s));
  }
  std::size_t finished = 0;
  for (const auto& r : session.runs) finished += r.steps_done >= config.steps ? 1 : 0;
  p.subtitle = std::to_string(finished) + " of " + std::to_string(session.runs.size()) + " runs finished";
  if (points == 0) p.empty_message = "fills in as the runs of each p_flip finish";
}

}  // namespace

std::string bandit_method_label(Method m) {
  switch (m) {
    case Method::kBackprop: return "BP";
    case Method::kSgFixed: return "SG, fixed λ";
    case Method::kSgAdaptive: return "SG, adaptive λ";
    case Method::kMlp: return "MLP (dense, BP)";
  }
  return "?";
}

std::array<plot::PlotSpec, 4> build_bandit_plot_specs(const jobs::BanditLabSnapshot* s,
                                                      const bandit::BanditConfig& config, const BanditView& view) {
  std::array<plot::PlotSpec, 4> specs;
  auto& reward = specs[0];
  auto& lambda = specs[1];
  auto& norms = specs[2];
  auto& sweep = specs[3];
  const plot::Axis samples{"samples seen (steps × batch)", plot::Scale::kLinear, false, {}, {}};
  reward.id = "bandit_reward";
  reward.title = "Eval reward on held-out contexts";
  reward.x = samples;
  reward.y = {"mean reward (unflipped)", plot::Scale::kLinear, false, {}, {}};
  lambda.id = "bandit_lambda";
  lambda.title = "λ per layer (mean over neurons and seeds)";
  lambda.x = samples;
  lambda.y = {"λ (weight on the synthetic gradient)", plot::Scale::kLinear, false, -0.02, {}};
  lambda.legend_right = true;
  const int layer = std::clamp(view.layer, 0, config.layers - 1);
  norms.id = "bandit_grad_norms";
  norms.title = "True vs synthetic gradient norm, layer " + std::to_string(layer + 1);
  norms.x = samples;
  norms.y = {"‖dloss/dh‖ over the batch", plot::Scale::kLog, false, {}, {}};
  norms.legend_right = true;
  sweep.id = "bandit_p_flip_sweep";
  sweep.title = "Final eval reward against p_flip";
  sweep.x = {"p_flip (reward flip probability)", plot::Scale::kLinear, false, {}, {}};
  sweep.y = reward.y;
  sweep.legend_right = true;
  const char* waiting = s == nullptr ? "starting the runs…" : "no evaluation yet: press Play";
  for (auto& p : specs) p.empty_message = waiting;
  if (s == nullptr || !s->session) return specs;
  // The x axis spans the whole run from the start (its 20 evaluations appear
  // left to right) and the y axes hold their range: an evaluation then adds
  // points at the curves' ends, and the frame loop redraws just those.
  const double run_samples = static_cast<double>(config.steps) * static_cast<double>(config.batch_size);
  for (plot::PlotSpec* p : {&reward, &lambda, &norms}) {
    p->x.min = 0.0;
    p->x.max = run_samples;
    p->y.hold_range = true;
  }
  const std::size_t pi = std::min<std::size_t>(static_cast<std::size_t>(std::max(view.p_flip_index, 0)),
                                               config.p_flip.size() - 1);
  const auto curves = bandit::method_curves(*s->session, config, config.p_flip[pi]);
  const std::string setting = "p_flip " + num(config.p_flip[pi], "%.2f") + ", K = " + std::to_string(config.seeds) +
                              (config.seeds > 1 ? ", band ± 1 SE" : "");
  reward.subtitle = setting;
  lambda.subtitle = setting;
  norms.subtitle = setting;
  for (const auto& c : curves)
    if (!c.reward_mean.empty()) reward.series.push_back(reward_series(c));
  lambda_plot(lambda, curves);
  norm_plot(norms, curves, layer);
  sweep_plot(sweep, *s->session, config);
  return specs;
}

std::string bandit_readout(const std::vector<bandit::MethodCurve>& curves, double p_flip) {
  const auto cmp = bandit::compare_leaders(curves);
  if (!cmp) return "No evaluation of two methods yet at p_flip = " + num(p_flip, "%.2f") + ": press Play.";
  if (cmp->gap < 0.0005)  // below the read-out's precision: say so rather than name a leader
    return "At " + std::to_string(cmp->samples_seen) + " samples, " + bandit_method_label(cmp->leader) + " and " +
           bandit_method_label(cmp->runner_up) + " are level (" + num(cmp->leader_reward) +
           " eval reward): the methods have not parted yet.";
  std::string out = "At " + std::to_string(cmp->samples_seen) + " samples, " + bandit_method_label(cmp->leader) +
                    " leads " + bandit_method_label(cmp->runner_up) + " by " + num(cmp->gap) + " eval reward (" +
                    num(cmp->leader_reward) + " vs " + num(cmp->runner_up_reward);
  if (cmp->seeds < 2 || std::isnan(cmp->gap_se))
    return out + ", one seed): with one seed there is no standard error, so raise K to tell this gap from seed noise.";
  out += ", mean of " + std::to_string(cmp->seeds) + " seeds); the gap is ";
  out += cmp->gap > 2.0 * cmp->gap_se ? "larger" : "not larger";
  return out + " than 2 SE (" + num(2.0 * cmp->gap_se) + ")" +
         (cmp->gap > 2.0 * cmp->gap_se ? "." : ", so it may be seed noise.");
}

std::string bandit_lambda_readout(const std::vector<bandit::MethodCurve>& curves, double initial_lambda) {
  for (const auto& c : curves) {
    if (c.method != Method::kSgAdaptive || c.samples_seen.empty()) continue;
    double lo = 1e300, hi = -1e300;
    int lo_layer = 0, hi_layer = 0;
    for (std::size_t l = 0; l < c.lambda.size(); ++l) {
      const double v = c.lambda[l].back();
      if (std::isnan(v)) continue;
      if (v < lo) lo = v, lo_layer = static_cast<int>(l) + 1;
      if (v > hi) hi = v, hi_layer = static_cast<int>(l) + 1;
    }
    if (lo > hi) return "";
    return "Adaptive λ (started at " + num(initial_lambda, "%.2f") + ") now runs from " + num(lo) + " (layer " +
           std::to_string(lo_layer) + ") to " + num(hi) + " (layer " + std::to_string(hi_layer) + ").";
  }
  return "";
}

}  // namespace sglab::ui
