#pragma once
// Adam over one flat parameter vector (torch.optim.Adam defaults: β1 0.9,
// β2 0.999, ε 1e-8, bias-corrected, no weight decay). Element-wise, so its
// result does not depend on how the gradient was computed in parallel.

#include <Eigen/Dense>

#include <cstdint>

namespace sglab::bandit {

class Adam {
 public:
  Adam(Eigen::Index size, double learning_rate);
  /// params −= lr · m̂ / (√v̂ + ε); `threads` split the elements (same bytes for any count).
  void step(Eigen::VectorXd& params, const Eigen::VectorXd& grad, int threads = 1);
  /// step, then grad ← 0 in the same pass (a trainer that accumulates the next
  /// step's gradient into the same vector needs no separate zeroing pass).
  void step_and_clear(Eigen::VectorXd& params, Eigen::VectorXd& grad, int threads = 1);
  double learning_rate() const { return lr_; }

 private:
  void update(Eigen::VectorXd& params, double* grad, bool clear_gradient, int threads);

  double lr_;
  std::int64_t t_ = 0;
  Eigen::VectorXd m_, v_;
};

}  // namespace sglab::bandit
