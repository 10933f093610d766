#include "core/bandit/bandit_csv.hpp"

#include <cmath>
#include <cstdio>
#include <map>
#include <tuple>

#include <filesystem>

#include "core/bandit/bandit_config_json.hpp"
#include "core/config/scenario.hpp"
#include "core/stats/summary_stats.hpp"

namespace sglab::bandit {

namespace {

std::string num(double v) {
  if (std::isnan(v)) return "";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

void per_layer_header(std::string& out, const char* name, int layers) {
  for (int l = 0; l < layers; ++l) out += std::string(",") + name + "_l" + std::to_string(l);
}

void per_layer_values(std::string& out, const std::vector<double>& v, int layers) {
  for (int l = 0; l < layers; ++l) out += "," + (l < static_cast<int>(v.size()) ? num(v[static_cast<std::size_t>(l)]) : "");
}

}  // namespace

std::string bandit_records_csv(const BanditSnapshot& snapshot, int layers) {
  std::string out = "method,seed,p_flip,num_parents,policy_lr,step,samples_seen,eval_reward";
  per_layer_header(out, "lambda", layers);
  per_layer_header(out, "true_grad_norm", layers);
  per_layer_header(out, "synthetic_grad_norm", layers);
  out += "\n";
  for (const auto& run : snapshot.runs)
    for (const auto& e : run.evals) {
      out += method_name(run.spec.method) + "," + std::to_string(run.spec.seed) + "," + num(run.spec.p_flip) + "," +
             (run.spec.method == Method::kMlp ? "" : std::to_string(run.spec.num_parents)) + "," +
             num(run.spec.policy_lr) + "," + std::to_string(e.step) + "," + std::to_string(e.samples_seen) + "," +
             num(e.eval_reward);
      per_layer_values(out, e.lambda, layers);
      per_layer_values(out, e.true_grad_norm, layers);
      per_layer_values(out, e.synthetic_grad_norm, layers);
      out += "\n";
    }
  return out;
}

std::string bandit_summary_csv(const BanditSnapshot& snapshot, int layers) {
  // Groups in first-seen (plan) order; seeds pooled.
  using Key = std::tuple<std::string, double, int, double, std::int64_t>;
  std::vector<Key> order;
  std::map<Key, std::vector<const BanditEvalRecord*>> groups;
  for (const auto& run : snapshot.runs)
    for (const auto& e : run.evals) {
      const Key key{method_name(run.spec.method), run.spec.p_flip,
                    run.spec.method == Method::kMlp ? 0 : run.spec.num_parents, run.spec.policy_lr, e.step};
      auto& g = groups[key];
      if (g.empty()) order.push_back(key);
      g.push_back(&e);
    }
  std::string out = "method,p_flip,num_parents,policy_lr,step,samples_seen,seeds,eval_reward_mean,eval_reward_se";
  per_layer_header(out, "lambda_mean", layers);
  out += "\n";
  for (const Key& key : order) {
    const auto& g = groups[key];
    std::vector<double> rewards;
    for (const auto* e : g) rewards.push_back(e->eval_reward);
    out += std::get<0>(key) + "," + num(std::get<1>(key)) + "," +
           (std::get<2>(key) == 0 ? "" : std::to_string(std::get<2>(key))) + "," + num(std::get<3>(key)) + "," +
           std::to_string(std::get<4>(key)) + "," + std::to_string(g.front()->samples_seen) + "," +
           std::to_string(g.size()) + "," + num(stats::mean(rewards)) + "," +
           (g.size() > 1 ? num(stats::standard_error(rewards)) : "");
    for (int l = 0; l < layers; ++l) {
      std::vector<double> lam;
      for (const auto* e : g)
        if (l < static_cast<int>(e->lambda.size()) && !std::isnan(e->lambda[static_cast<std::size_t>(l)]))
          lam.push_back(e->lambda[static_cast<std::size_t>(l)]);
      out += "," + (lam.empty() ? std::string() : num(stats::mean(lam)));
    }
    out += "\n";
  }
  return out;
}

std::vector<config::OutputFile> bandit_output_files(const std::string& outdir, const BanditConfig& config,
                                                    const BanditSnapshot& snapshot) {
  const std::filesystem::path dir(outdir);
  std::string evals = bandit_records_csv(snapshot, config.layers);
  std::string summary = bandit_summary_csv(snapshot, config.layers);
  config::Scenario scenario;
  scenario.lab = "bandit";
  scenario.name = "sglab-cli bandit";
  scenario.description = "evals.csv FNV-1a 64 " + config::content_checksum(evals) + ", summary.csv FNV-1a 64 " +
                         config::content_checksum(summary);
  scenario.bodies["bandit"] = bandit_config_to_json(config);
  return {{(dir / "evals.csv").string(), std::move(evals)},
          {(dir / "summary.csv").string(), std::move(summary)},
          {(dir / "config.json").string(), config::scenario_to_text(scenario)}};
}

}  // namespace sglab::bandit
