// The bandit lab's quantities (THEORY.md §8): the scenario's experiment run
// headless; each method's final evaluation reward is its mean over seeds at
// the first sweep point (the first p_flip, num_parents and learning rate).
#include <limits>

#include "core/bandit/bandit_config_json.hpp"
#include "core/bandit/bandit_session.hpp"
#include "core/lessons/lab_quantities.hpp"
#include "core/util/cancelled.hpp"

namespace sglab::lessons {

namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

// Each method's learning rate is its own default unless the config sweeps policy_lr;
// the MLP has no parents.
bool same_point(const bandit::BanditConfig& config, const bandit::BanditRunSpec& a, const bandit::BanditRunSpec& b) {
  if (a.p_flip != b.p_flip) return false;
  if (a.method == bandit::Method::kMlp || b.method == bandit::Method::kMlp) return true;
  return a.num_parents == b.num_parents && (config.policy_lr.empty() || a.policy_lr == b.policy_lr);
}

}  // namespace

QuantityValues bandit_quantities(const config::Scenario& scenario, int threads, const WorkControl* control) {
  const nlohmann::json* body = scenario.body("bandit");
  const bandit::BanditConfig config = body ? bandit::bandit_config_from_json(*body, "bandit") : bandit::BanditConfig{};
  bandit::BanditSession session(config, threads);
  while (!session.finished())
    if (!session.advance(config.steps, control)) throw Cancelled();
  const bandit::BanditSnapshot snap = *session.snapshot();

  QuantityValues q;
  q["p_flip"] = config.p_flip.front();
  q["chance"] = 1.0 / bandit::num_actions(config);
  const bandit::BanditRunSpec& first = snap.runs.front().spec;
  double initial = 0.0;
  int initial_count = 0;
  for (bandit::Method method : {bandit::Method::kBackprop, bandit::Method::kSgFixed, bandit::Method::kSgAdaptive,
                                bandit::Method::kMlp}) {
    std::string name = bandit::method_name(method);
    for (char& c : name)
      if (c == '-') c = '_';
    double sum = 0.0, lambda = 0.0;
    int count = 0;
    for (const bandit::BanditRunResult& run : snap.runs) {
      if (run.spec.method != method || !same_point(config, run.spec, first) || run.evals.empty()) continue;
      sum += run.evals.back().eval_reward;
      initial += run.evals.front().eval_reward;
      ++initial_count;
      double layer_sum = 0.0;
      for (double l : run.evals.back().lambda) layer_sum += l;
      lambda += run.evals.back().lambda.empty() ? kNan : layer_sum / run.evals.back().lambda.size();
      ++count;
    }
    q["reward_" + name] = count > 0 ? sum / count : kNan;
    if (method == bandit::Method::kSgAdaptive) q["lambda_sg_adaptive"] = count > 0 ? lambda / count : kNan;
  }
  q["initial_reward"] = initial_count > 0 ? initial / initial_count : kNan;
  return q;
}

}  // namespace sglab::lessons
