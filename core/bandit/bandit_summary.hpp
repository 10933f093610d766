#pragma once
// What the bandit lab's plots and read-out show, computed from a session
// snapshot: per method, the mean and standard error over seeds of the eval
// reward, the per-layer λ and gradient norms at each evaluation (paper §6's
// learning curves), and the final reward at each p_flip (the shape of the
// paper's mnist_p_flip_sweep figure). No drawing here: the app and tests read it.

#include <cstdint>
#include <optional>
#include <vector>

#include "core/bandit/bandit_config.hpp"
#include "core/bandit/bandit_session.hpp"

namespace sglab::bandit {

/// Mean ± SE over the seeds of one method at one sweep point, per evaluation
/// (only the evaluations every seed has reached). SE = sample SD / √K; NaN for K = 1.
struct MethodCurve {
  Method method = Method::kBackprop;
  int seeds = 0;
  std::vector<std::int64_t> steps, samples_seen;
  std::vector<double> reward_mean, reward_se;
  /// [layer][evaluation], means over seeds; NaN where the method has none (MLP λ, BP synthetic norm).
  std::vector<std::vector<double>> lambda, true_grad_norm, synthetic_grad_norm;
};

/// The runs at p_flip = `p_flip`, the first num_parents value and the first
/// policy_lr value (or each method's own), one curve per method of the config.
std::vector<MethodCurve> method_curves(const BanditSnapshot& snapshot, const BanditConfig& config, double p_flip);

struct SweepPoint {
  double p_flip = 0.0;
  double mean = 0.0, se = 0.0;  ///< final eval reward over the finished seeds (se NaN for one)
  int finished_seeds = 0;
};
/// Per method, the p_flip values where at least one seed has finished, in the config's order.
struct MethodSweep {
  Method method = Method::kBackprop;
  std::vector<SweepPoint> points;
};
std::vector<MethodSweep> final_reward_sweep(const BanditSnapshot& snapshot, const BanditConfig& config);

/// The leading method at the newest evaluation all curves share, against the runner-up.
struct LeaderComparison {
  Method leader = Method::kBackprop, runner_up = Method::kBackprop;
  std::int64_t samples_seen = 0;
  double leader_reward = 0.0, runner_up_reward = 0.0;
  double gap = 0.0;     ///< leader − runner-up mean reward (≥ 0)
  double gap_se = 0.0;  ///< √(SE₁² + SE₂²); NaN with one seed
  int seeds = 0;        ///< the fewer seeds of the two
};
/// Nothing when fewer than two methods have an evaluation.
std::optional<LeaderComparison> compare_leaders(const std::vector<MethodCurve>& curves);

}  // namespace sglab::bandit
