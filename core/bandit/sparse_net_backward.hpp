#pragma once
// Backward pass of SparseNet, split at layer boundaries so that the trainer
// can mix synthetic gradients in at each layer's output (THEORY.md §8, as the
// paper's backward hooks on each hidden state do). All gradients are of the
// batch loss; per neuron, B rows.

#include <Eigen/Dense>

#include <vector>

#include "core/bandit/sparse_net.hpp"

namespace sglab::bandit {

/// Per-sample backward terms of one neuron for a gradient g at its mixture output (B × n):
/// t_s = w_s ⊙ g ⊙ (1 − y_s²)  (B × S·n: ∂/∂b_s per sample; ∂/∂A_s = t_s uᵀ)
/// dq_s = w_s (g·y_s − Σ_r w_r g·y_r)  (B × S: ∂/∂(routing logit); ∂/∂K_s = dq_s uᵀ / √(nP))
struct NeuronTerms {
  Eigen::MatrixXd t;
  Eigen::MatrixXd dq;
};
void neuron_terms(const SparseNet& net, const SparseForward& f, int layer, int neuron, const Eigen::MatrixXd& g_mix,
                  NeuronTerms& out);

/// The gradient at the mixture output from the gradient at the neuron's output
/// (the residual's tanh' on layers ≥ 1; identity otherwise).
void gradient_at_mixture(const SparseNet& net, const SparseForward& f, int layer, int neuron,
                         const Eigen::MatrixXd& g_h, Eigen::MatrixXd& g_mix);

/// Action layer: logits gradient (B × actions) → action-key gradient (added
/// into `grad` when not null) and the gradient at each last-layer neuron.
void backward_action_layer(const SparseNet& net, const SparseForward& f, const Eigen::MatrixXd& g_logits,
                           Eigen::VectorXd* grad, std::vector<Eigen::MatrixXd>& g_top);

/// Hidden layer `layer`: given the gradient at each neuron's output (W entries,
/// already mixed), adds the parameter gradients into `grad` (when not null)
/// and, when `g_below` is not null and layer ≥ 1, writes the gradient at the
/// outputs of layer − 1 (parents summed child by child in index order, plus
/// the residual path): the same numbers for any thread count.
void backward_hidden_layer(const SparseNet& net, const SparseForward& f, int layer,
                           const std::vector<Eigen::MatrixXd>& g_h, Eigen::VectorXd* grad,
                           std::vector<Eigen::MatrixXd>* g_below, int threads);

/// Batch moments of per-sample parameter gradients w_k (from g) and h_k (from
/// ĝ) of one neuron, for the adaptive λ (THEORY.md §5): means of ||w||²,
/// ||h||², h·w and the squared norms / dot of the batch means.
struct GradMoments {
  double mean_w_sq = 0, mean_h_sq = 0, mean_hw = 0;
  double wbar_sq = 0, hbar_sq = 0, wbar_hbar = 0;
};
/// As the paper's code: each sample's node gradient (at the mixture output)
/// is scaled to unit length first, so only directions count.
GradMoments neuron_grad_moments(const SparseNet& net, const SparseForward& f, int layer, int neuron,
                                const Eigen::MatrixXd& g_true_h, const Eigen::MatrixXd& g_synthetic_h);

}  // namespace sglab::bandit
