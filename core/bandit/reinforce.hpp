#pragma once
// The contextual bandit's sampling, reward and REINFORCE feedback
// (THEORY.md §8 "Environment"; trainers.py): a ~ softmax(ℓ); r = 1[a = y],
// flipped with probability p_flip (A.1); batch loss −mean_b r_b log π(a_b|x_b),
// so the feedback on the logits of sample b is r_b (π_b − e_{a_b}) / B.

#include <Eigen/Dense>

#include <cstdint>
#include <vector>

namespace sglab::bandit {

/// One training batch's randomness, a function of (seed, step) alone so that
/// every method of a seed sees the same contexts, action uniforms and flips.
struct BatchDraw {
  std::vector<int> rows;          ///< context indices into the training pool
  std::vector<double> action_u;   ///< uniforms for inverse-CDF action sampling
  std::vector<double> flip_u;     ///< reward flipped when flip_u < p_flip
};
BatchDraw draw_batch(std::uint64_t seed, std::int64_t step, int batch, int pool_size);
/// The eval contexts (with replacement) and action uniforms of evaluation number `eval_index`.
BatchDraw draw_eval(std::uint64_t seed, int eval_index, int contexts, int pool_size);

/// Row-wise softmax of logits.
Eigen::MatrixXd softmax_rows(const Eigen::MatrixXd& logits);
/// Inverse-CDF sample of each row's categorical with its uniform.
std::vector<int> sample_actions(const Eigen::MatrixXd& probs, const std::vector<double>& uniforms);
/// r = 1[a = y], flipped where flip_u < p_flip.
std::vector<double> noisy_rewards(const std::vector<int>& actions, const std::vector<int>& labels,
                                  const std::vector<double>& flip_u, double p_flip);
/// ∂(−mean_b r_b log π(a_b)) / ∂logits = r_b (π_b − e_{a_b}) / B.
Eigen::MatrixXd reinforce_logit_gradient(const Eigen::MatrixXd& probs, const std::vector<int>& actions,
                                         const std::vector<double>& rewards);

}  // namespace sglab::bandit
