#include "core/bandit/bandit_summary.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace sglab::bandit {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct MeanSe {
  double mean = kNaN, se = kNaN;
};

// Mean and standard error of the non-NaN values (SE needs two of them).
MeanSe mean_se(const std::vector<double>& values) {
  double sum = 0.0;
  int n = 0;
  for (double v : values)
    if (!std::isnan(v)) {
      sum += v;
      ++n;
    }
  MeanSe out;
  if (n == 0) return out;
  out.mean = sum / n;
  if (n < 2) return out;
  double ss = 0.0;
  for (double v : values)
    if (!std::isnan(v)) ss += (v - out.mean) * (v - out.mean);
  out.se = std::sqrt(ss / (n - 1)) / std::sqrt(static_cast<double>(n));
  return out;
}

// The run belongs to the sweep point the curves show (the first parents and learning-rate values).
bool at_point(const BanditRunSpec& spec, const BanditConfig& config, double p_flip) {
  if (spec.p_flip != p_flip) return false;
  if (spec.method != Method::kMlp && spec.num_parents != config.num_parents.front()) return false;
  return config.policy_lr.empty() || spec.policy_lr == config.policy_lr.front();
}

double layer_value(const std::vector<double>& per_layer, std::size_t layer) {
  return layer < per_layer.size() ? per_layer[layer] : kNaN;
}

MethodCurve curve_of(Method method, const std::vector<const BanditRunResult*>& runs, int layers) {
  MethodCurve c;
  c.method = method;
  c.seeds = static_cast<int>(runs.size());
  std::size_t evals = runs.empty() ? 0 : runs.front()->evals.size();
  for (const BanditRunResult* r : runs) evals = std::min(evals, r->evals.size());
  const auto L = static_cast<std::size_t>(layers);
  c.lambda.assign(L, {});
  c.true_grad_norm.assign(L, {});
  c.synthetic_grad_norm.assign(L, {});
  std::vector<double> values(runs.size());
  auto over_seeds = [&](std::size_t e, auto get) {
    for (std::size_t k = 0; k < runs.size(); ++k) values[k] = get(runs[k]->evals[e]);
    return mean_se(values);
  };
  for (std::size_t e = 0; e < evals; ++e) {
    c.steps.push_back(runs.front()->evals[e].step);
    c.samples_seen.push_back(runs.front()->evals[e].samples_seen);
    const MeanSe reward = over_seeds(e, [](const BanditEvalRecord& r) { return r.eval_reward; });
    c.reward_mean.push_back(reward.mean);
    c.reward_se.push_back(reward.se);
    for (std::size_t l = 0; l < L; ++l) {
      c.lambda[l].push_back(over_seeds(e, [l](const BanditEvalRecord& r) { return layer_value(r.lambda, l); }).mean);
      c.true_grad_norm[l].push_back(
          over_seeds(e, [l](const BanditEvalRecord& r) { return layer_value(r.true_grad_norm, l); }).mean);
      c.synthetic_grad_norm[l].push_back(
          over_seeds(e, [l](const BanditEvalRecord& r) { return layer_value(r.synthetic_grad_norm, l); }).mean);
    }
  }
  return c;
}

}  // namespace

std::vector<MethodCurve> method_curves(const BanditSnapshot& snapshot, const BanditConfig& config, double p_flip) {
  std::vector<MethodCurve> out;
  for (Method m : config.methods) {
    std::vector<const BanditRunResult*> runs;
    for (const BanditRunResult& r : snapshot.runs)
      if (r.spec.method == m && at_point(r.spec, config, p_flip)) runs.push_back(&r);
    if (!runs.empty()) out.push_back(curve_of(m, runs, config.layers));
  }
  return out;
}

std::vector<MethodSweep> final_reward_sweep(const BanditSnapshot& snapshot, const BanditConfig& config) {
  std::vector<MethodSweep> out;
  for (Method m : config.methods) {
    MethodSweep sweep;
    sweep.method = m;
    for (double p : config.p_flip) {
      std::vector<double> finals;
      for (const BanditRunResult& r : snapshot.runs)
        if (r.spec.method == m && at_point(r.spec, config, p) && r.steps_done >= config.steps && !r.evals.empty())
          finals.push_back(r.evals.back().eval_reward);
      if (finals.empty()) continue;
      const MeanSe f = mean_se(finals);
      sweep.points.push_back({p, f.mean, f.se, static_cast<int>(finals.size())});
    }
    out.push_back(std::move(sweep));
  }
  return out;
}

std::optional<LeaderComparison> compare_leaders(const std::vector<MethodCurve>& curves) {
  std::size_t shared = std::numeric_limits<std::size_t>::max();
  int with_evals = 0;
  for (const MethodCurve& c : curves) {
    shared = std::min(shared, c.reward_mean.size());
    if (!c.reward_mean.empty()) ++with_evals;
  }
  if (with_evals < 2 || shared == 0 || with_evals != static_cast<int>(curves.size())) return std::nullopt;
  const std::size_t e = shared - 1;
  std::vector<const MethodCurve*> order;
  for (const MethodCurve& c : curves) order.push_back(&c);
  std::stable_sort(order.begin(), order.end(),
                   [e](const MethodCurve* a, const MethodCurve* b) { return a->reward_mean[e] > b->reward_mean[e]; });
  const MethodCurve& first = *order[0];
  const MethodCurve& second = *order[1];
  LeaderComparison out;
  out.leader = first.method;
  out.runner_up = second.method;
  out.samples_seen = first.samples_seen[e];
  out.leader_reward = first.reward_mean[e];
  out.runner_up_reward = second.reward_mean[e];
  out.gap = out.leader_reward - out.runner_up_reward;
  out.gap_se = std::sqrt(first.reward_se[e] * first.reward_se[e] + second.reward_se[e] * second.reward_se[e]);
  out.seeds = std::min(first.seeds, second.seeds);
  return out;
}

}  // namespace sglab::bandit
