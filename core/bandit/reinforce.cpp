#include "core/bandit/reinforce.hpp"

#include "core/bandit/bandit_streams.hpp"
#include "core/rng/counter_rng.hpp"

namespace sglab::bandit {

namespace {

BatchDraw draw(std::uint64_t seed, std::uint64_t stream_id, int count, int pool_size, bool flips) {
  rng::StreamReader stream(seed, stream_id);
  BatchDraw d;
  d.rows.resize(static_cast<std::size_t>(count));
  d.action_u.resize(static_cast<std::size_t>(count));
  if (flips) d.flip_u.resize(static_cast<std::size_t>(count));
  for (int b = 0; b < count; ++b) {
    const auto i = static_cast<std::size_t>(b);
    d.rows[i] = static_cast<int>(stream.next_below(static_cast<std::uint32_t>(pool_size)));
    d.action_u[i] = rng::uniform53(stream.next_word(), stream.next_word());
    if (flips) d.flip_u[i] = rng::uniform53(stream.next_word(), stream.next_word());
  }
  return d;
}

}  // namespace

BatchDraw draw_batch(std::uint64_t seed, std::int64_t step, int batch, int pool_size) {
  return draw(seed, rng::make_stream(kStreamBatch, {static_cast<std::uint64_t>(step)}), batch, pool_size, true);
}

BatchDraw draw_eval(std::uint64_t seed, int eval_index, int contexts, int pool_size) {
  return draw(seed, rng::make_stream(kStreamEval, {static_cast<std::uint64_t>(eval_index)}), contexts, pool_size,
              false);
}

Eigen::MatrixXd softmax_rows(const Eigen::MatrixXd& logits) {
  Eigen::MatrixXd p = logits;
  for (Eigen::Index b = 0; b < p.rows(); ++b) {
    p.row(b) = (p.row(b).array() - p.row(b).maxCoeff()).exp();
    p.row(b) /= p.row(b).sum();
  }
  return p;
}

std::vector<int> sample_actions(const Eigen::MatrixXd& probs, const std::vector<double>& uniforms) {
  std::vector<int> a(static_cast<std::size_t>(probs.rows()));
  for (Eigen::Index b = 0; b < probs.rows(); ++b) {
    double cum = 0.0;
    int pick = static_cast<int>(probs.cols()) - 1;  // rounding: the last action takes any leftover mass
    for (Eigen::Index k = 0; k < probs.cols(); ++k) {
      cum += probs(b, k);
      if (uniforms[static_cast<std::size_t>(b)] < cum) {
        pick = static_cast<int>(k);
        break;
      }
    }
    a[static_cast<std::size_t>(b)] = pick;
  }
  return a;
}

std::vector<double> noisy_rewards(const std::vector<int>& actions, const std::vector<int>& labels,
                                  const std::vector<double>& flip_u, double p_flip) {
  std::vector<double> r(actions.size());
  for (std::size_t b = 0; b < actions.size(); ++b) {
    const double clean = actions[b] == labels[b] ? 1.0 : 0.0;
    r[b] = flip_u[b] < p_flip ? 1.0 - clean : clean;
  }
  return r;
}

Eigen::MatrixXd reinforce_logit_gradient(const Eigen::MatrixXd& probs, const std::vector<int>& actions,
                                         const std::vector<double>& rewards) {
  const double inv_b = 1.0 / static_cast<double>(probs.rows());
  Eigen::MatrixXd g = probs;
  for (Eigen::Index b = 0; b < g.rows(); ++b) {
    g(b, actions[static_cast<std::size_t>(b)]) -= 1.0;
    g.row(b) *= rewards[static_cast<std::size_t>(b)] * inv_b;
  }
  return g;
}

}  // namespace sglab::bandit
