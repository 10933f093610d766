#pragma once
// Backward pass of SparseNet, split at layer boundaries so that the trainer
// can mix synthetic gradients in at each layer's output (THEORY.md §8, as the
// paper's backward hooks on each hidden state do). All gradients are of the
// batch loss. A layer's gradient is one batch-minor block (batch_kernels.hpp)
// of W·n rows (neuron j, component k: row j·n + k) with zero pad entries.

#include <Eigen/Dense>

#include <vector>

#include "core/bandit/sparse_net.hpp"

namespace sglab::bandit {

using LayerGrad = std::vector<double>;

/// Per-sample backward terms of one neuron for a gradient g at its mixture output (n rows):
/// t_s = w_s ⊙ g ⊙ (1 − y_s²)  (S·n rows: ∂/∂b_s per sample; ∂/∂A_s = t_s uᵀ)
/// dq_s = w_s (g·y_s − Σ_r w_r g·y_r)  (S rows: ∂/∂(routing logit); ∂/∂K_s = dq_s uᵀ / √(nP))
/// `t` and `dq` must hold S·n and S rows of f.stride.
void neuron_terms(const SparseNet& net, const SparseForward& f, int layer, int neuron, const double* g_mix, double* t,
                  double* dq);

/// The gradient at the mixture output (n rows) from the gradient at the neuron's
/// output (the residual's tanh' on layers ≥ 1; identity otherwise).
void gradient_at_mixture(const SparseNet& net, const SparseForward& f, int layer, int neuron, const double* g_h,
                         double* g_mix);

/// Action layer: logits gradient (B × actions) → action-key gradient (added
/// into `grad` when not null) and the gradient at the last layer's outputs.
void backward_action_layer(const SparseNet& net, const SparseForward& f, const Eigen::MatrixXd& g_logits,
                           Eigen::VectorXd* grad, LayerGrad& g_top);

/// Hidden layer `layer`: given the gradient at its outputs (already mixed),
/// adds the parameter gradients into `grad` (when not null) and, when
/// `g_below` is not null and layer ≥ 1, writes the gradient at the outputs of
/// layer − 1 (parents summed child by child in index order, plus the residual
/// path): the same numbers for any thread count.
void backward_hidden_layer(const SparseNet& net, const SparseForward& f, int layer, const LayerGrad& g_h,
                           Eigen::VectorXd* grad, LayerGrad* g_below, int threads);

/// Batch moments of per-sample parameter gradients w_k (from g) and h_k (from
/// ĝ) of one neuron, for the adaptive λ (THEORY.md §5): means of ||w||²,
/// ||h||², h·w and the squared norms / dot of the batch means.
struct GradMoments {
  double mean_w_sq = 0, mean_h_sq = 0, mean_hw = 0;
  double wbar_sq = 0, hbar_sq = 0, wbar_hbar = 0;
};
/// As the paper's code: each sample's node gradient (at the mixture output)
/// is scaled to unit length first, so only directions count. `g_true_h` and
/// `g_synthetic_h` point at the neuron's n rows.
GradMoments neuron_grad_moments(const SparseNet& net, const SparseForward& f, int layer, int neuron,
                                const double* g_true_h, const double* g_synthetic_h);

}  // namespace sglab::bandit
