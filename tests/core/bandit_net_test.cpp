// SparseNet and MLP backward against finite differences, and the REINFORCE
// feedback's unbiasedness (THEORY.md §8).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "core/bandit/mlp_policy.hpp"
#include "core/bandit/reinforce.hpp"
#include "core/bandit/sparse_net.hpp"
#include "core/bandit/sparse_net_backward.hpp"
#include "core/rng/counter_rng.hpp"

namespace sglab::bandit {
namespace {

SparseNetShape tiny_shape(bool residual) {
  SparseNetShape s;
  s.input_dim = 7;
  s.n_dim = 2;
  s.layers = 3;
  s.width = 3;
  s.slots = 2;
  s.parents = 2;
  s.actions = 3;
  s.residual = residual;
  return s;
}

RowMatrix random_inputs(int rows, int cols, std::uint64_t seed) {
  RowMatrix x(rows, cols);
  rng::StreamReader r(seed, 77);
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = r.next_normal();
  return x;
}

// Full BP gradient of Σ c ⊙ logits through the split backward pass.
Eigen::VectorXd sparse_gradient(const SparseNet& net, const RowMatrix& x, const Eigen::MatrixXd& c) {
  SparseForward f;
  net.forward(x, f, 1);
  Eigen::VectorXd grad = Eigen::VectorXd::Zero(net.params().size());
  LayerGrad g;
  backward_action_layer(net, f, c, &grad, g);
  for (int l = net.shape().layers - 1; l >= 0; --l) {
    LayerGrad below;
    backward_hidden_layer(net, f, l, g, &grad, l > 0 ? &below : nullptr, 1);
    g = std::move(below);
  }
  return grad;
}

double sparse_objective(const SparseNet& net, const RowMatrix& x, const Eigen::MatrixXd& c) {
  SparseForward f;
  net.forward(x, f, 1);
  return (f.logits.array() * c.array()).sum();
}

void check_sparse_fd(bool residual) {
  SparseNet net(tiny_shape(residual), 11);
  const RowMatrix x = random_inputs(4, 7, 1);
  const Eigen::MatrixXd c = random_inputs(4, 3, 2);
  const Eigen::VectorXd grad = sparse_gradient(net, x, c);
  const double h = 1e-6;
  for (Eigen::Index i = 0; i < net.params().size(); ++i) {
    const double keep = net.params()[i];
    net.params()[i] = keep + h;
    const double up = sparse_objective(net, x, c);
    net.params()[i] = keep - h;
    const double down = sparse_objective(net, x, c);
    net.params()[i] = keep;
    const double fd = (up - down) / (2 * h);
    ASSERT_NEAR(grad[i], fd, 1e-7 + 1e-6 * std::abs(fd)) << "parameter " << i << " residual " << residual;
  }
}

TEST(BanditNet, SparseNetBackwardMatchesFiniteDifferences) {
  check_sparse_fd(true);
  check_sparse_fd(false);
}

TEST(BanditNet, SparseNetBackwardIsThreadIndependent) {
  SparseNetShape s = tiny_shape(true);
  s.width = 9;
  SparseNet net(s, 5);
  const RowMatrix x = random_inputs(5, 7, 3);
  const Eigen::MatrixXd c = random_inputs(5, 3, 4);
  SparseForward f1, f2;
  net.forward(x, f1, 1);
  net.forward(x, f2, 2);
  EXPECT_EQ(f1.logits, f2.logits);
}

TEST(BanditNet, MlpBackwardMatchesFiniteDifferences) {
  MlpPolicy mlp(5, 4, 2, 3, 9);
  for (Eigen::Index i = 0; i < mlp.params().size(); ++i) mlp.params()[i] += 0.01 * static_cast<double>(i % 7);  // nonzero biases
  const RowMatrix x = random_inputs(4, 5, 6);
  const Eigen::MatrixXd c = random_inputs(4, 3, 7);
  auto objective = [&] {
    MlpForward f;
    mlp.forward(x, f);
    return (f.logits.array() * c.array()).sum();
  };
  MlpForward f;
  mlp.forward(x, f);
  Eigen::VectorXd grad = Eigen::VectorXd::Zero(mlp.params().size());
  mlp.backward(x, f, c, grad, nullptr);
  const double h = 1e-6;
  for (Eigen::Index i = 0; i < mlp.params().size(); ++i) {
    const double keep = mlp.params()[i];
    mlp.params()[i] = keep + h;
    const double up = objective();
    mlp.params()[i] = keep - h;
    const double down = objective();
    mlp.params()[i] = keep;
    const double fd = (up - down) / (2 * h);
    ASSERT_NEAR(grad[i], fd, 1e-7 + 1e-6 * std::abs(fd)) << "parameter " << i;
  }
}

// The Monte Carlo mean of the per-sample REINFORCE parameter gradient, drawn
// through the lab's own sampling (draw_batch, sample_actions, noisy_rewards),
// matches the exact expectation over actions and flips within 5 SE.
TEST(BanditNet, ReinforceFeedbackIsUnbiased) {
  const std::uint64_t seed = 20260419;
  std::printf("ReinforceFeedbackIsUnbiased: seed %llu\n", static_cast<unsigned long long>(seed));
  SparseNet net(tiny_shape(true), 3);
  const RowMatrix x = random_inputs(1, 7, 8);
  const int label = 1, K = 3;
  const double p_flip = 0.4;
  // J: parameter gradient per unit logit gradient (the backward is linear in it).
  Eigen::MatrixXd J(net.params().size(), K);
  for (int k = 0; k < K; ++k) {
    Eigen::MatrixXd unit = Eigen::MatrixXd::Zero(1, K);
    unit(0, k) = 1.0;
    J.col(k) = sparse_gradient(net, x, unit);
  }
  SparseForward f;
  net.forward(x, f, 1);
  const Eigen::MatrixXd probs = softmax_rows(f.logits);
  Eigen::RowVectorXd expected_g = Eigen::RowVectorXd::Zero(K);
  for (int a = 0; a < K; ++a) {
    const double mean_reward = a == label ? 1.0 - p_flip : p_flip;  // E[r | a] over the flip
    Eigen::RowVectorXd g = probs.row(0);
    g(a) -= 1.0;
    expected_g += probs(0, a) * mean_reward * g;
  }
  const Eigen::VectorXd exact = J * expected_g.transpose();

  const int n = 40000;
  const BatchDraw draw = draw_batch(seed, 1, n, 1);
  const Eigen::MatrixXd many_probs = probs.replicate(n, 1);
  const std::vector<int> actions = sample_actions(many_probs, draw.action_u);
  const std::vector<double> rewards = noisy_rewards(actions, std::vector<int>(n, label), draw.flip_u, p_flip);
  const Eigen::MatrixXd g = reinforce_logit_gradient(many_probs, actions, rewards) * static_cast<double>(n);  // per sample
  const Eigen::MatrixXd per_sample = g * J.transpose();  // n × params
  const Eigen::RowVectorXd mean = per_sample.colwise().mean();
  const Eigen::RowVectorXd var = (per_sample.rowwise() - mean).colwise().squaredNorm() / (n - 1.0);
  int checked = 0;
  for (Eigen::Index i = 0; i < exact.size(); ++i) {
    const double se = std::sqrt(var(i) / n);
    EXPECT_LE(std::abs(mean(i) - exact(i)), 5.0 * se + 1e-12) << "parameter " << i << " se " << se;
    checked += se > 0 ? 1 : 0;
  }
  EXPECT_GT(checked, 100);
}

}  // namespace
}  // namespace sglab::bandit
