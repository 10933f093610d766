#pragma once
// The dense baseline (models.py MLPPolicy, as the paper's sweeps run it: no
// residual): L tanh layers of width H, then a linear action layer with bias.
// Xavier-normal weights (std √(2/(fan_in + fan_out))), zero biases. Trained by BP.

#include <Eigen/Dense>

#include <cstdint>
#include <vector>

#include "core/bandit/sparse_net.hpp"

namespace sglab::bandit {

struct MlpForward {
  std::vector<Eigen::MatrixXd> h;  ///< per hidden layer, B × H
  Eigen::MatrixXd logits;          ///< B × actions
};

class MlpPolicy {
 public:
  MlpPolicy(int input_dim, int width, int layers, int actions, std::uint64_t seed);
  void forward(const RowMatrix& x, MlpForward& f) const;
  /// Adds the gradient of the batch loss, given ∂loss/∂logits, into `grad`;
  /// `hidden_grad_norms` (when not null) gets ||∂loss/∂h_l|| per hidden layer.
  void backward(const RowMatrix& x, const MlpForward& f, const Eigen::MatrixXd& g_logits, Eigen::VectorXd& grad,
                std::vector<double>* hidden_grad_norms) const;
  Eigen::VectorXd& params() { return params_; }
  const Eigen::VectorXd& params() const { return params_; }
  int layers() const { return layers_; }

 private:
  int fan_in(int layer) const { return layer == 0 ? input_dim_ : width_; }
  int fan_out(int layer) const { return layer == layers_ ? actions_ : width_; }
  int input_dim_, width_, layers_, actions_;
  std::vector<std::size_t> offset_;  ///< per layer (layers_ + 1 with the action layer): [W (out × in) | b (out)]
  Eigen::VectorXd params_;
};

}  // namespace sglab::bandit
