#pragma once
// Synthetic-gradient predictors of SparseNet (THEORY.md §8; models.py
// SparseSGFunctions.hidden_pred): per neuron, a linear map per slot mixed by
// the policy's own routing weights, ĝ_j(u) = Σ_s w_s(u) (C_s u + d_s) ∈ R^n,
// predicting ∂loss/∂h_j. The routing keys stay the policy's (not updated by
// the predictor step). Initialisation N(0, 1/(nP)) for C and d.

#include <Eigen/Dense>

#include <cstdint>
#include <vector>

#include "core/bandit/sparse_net.hpp"

namespace sglab::bandit {

class SgPredictors {
 public:
  SgPredictors(const SparseNetShape& shape, std::uint64_t seed, double init_scale = 1.0);

  /// ĝ of neuron (layer, j) on the batch of `f`: n rows of f.stride (pad entries zero).
  void predict(const SparseNet& net, const SparseForward& f, int layer, int neuron, double* out) const;

  /// Adds to `grad` the gradient of Σ_{layers, neurons} mean((ĝ − target)²) over B·W·n
  /// elements per layer (torch's mse_loss summed over layers) for neuron (layer, j),
  /// `target` its n rows (pad entries zero); returns that neuron's sum of squared errors.
  /// `prediction`, when not null, is this neuron's predict() output under the current
  /// parameters (the bootstrapped-target pass computed it already); else it is computed.
  double accumulate_gradient(const SparseNet& net, const SparseForward& f, int layer, int neuron,
                             const double* target, Eigen::VectorXd& grad, const double* prediction = nullptr) const;

  Eigen::VectorXd& params() { return params_; }
  const Eigen::VectorXd& params() const { return params_; }

 private:
  std::size_t offset(int layer, int neuron) const;
  SparseNetShape shape_;
  std::size_t neuron_size_;
  Eigen::VectorXd params_;  ///< per neuron [C (S·n × nP, column-major) | d (S·n)]
};

}  // namespace sglab::bandit
