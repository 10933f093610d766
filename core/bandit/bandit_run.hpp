#pragma once
// One training run of the bandit lab: one method, one seed, one sweep point
// (THEORY.md §8). Per step, as the paper's main.py with
// --reuse_policy_batch_for_sg: draw a batch (contexts, action uniforms,
// flips from the seed's stream), sample actions from the current policy,
// then for the SG methods train the predictors on that batch (bootstrapped
// targets, λ-mixed as the current λ), then one policy step on the same batch
// with per-neuron λ mixing (and, for sg-adaptive, the λ update). BP uses the
// same code with no predictors. Evaluation after the step at evenly spaced steps.

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "core/bandit/adam.hpp"
#include "core/bandit/bandit_config.hpp"
#include "core/bandit/bandit_data.hpp"
#include "core/bandit/mlp_policy.hpp"
#include "core/bandit/reinforce.hpp"
#include "core/bandit/sg_predictors.hpp"
#include "core/bandit/sparse_net.hpp"
#include "core/bandit/sparse_net_backward.hpp"

namespace sglab::bandit {

struct BanditRunSpec {
  Method method = Method::kBackprop;
  std::uint64_t seed = 0;
  double p_flip = 0.4;
  int num_parents = 3;
  double policy_lr = 1e-3;
};

/// One evaluation point. Per-layer vectors have `layers` entries; NaN where not applicable
/// (λ of the MLP, synthetic norms of BP and the MLP).
struct BanditEvalRecord {
  std::int64_t step = 0;
  std::int64_t samples_seen = 0;
  double eval_reward = 0.0;            ///< mean unflipped reward of sampled actions on held-out contexts
  std::vector<double> lambda;          ///< mean λ over the layer's neurons, after the step
  std::vector<double> true_grad_norm;  ///< ||∂loss/∂h_l|| over the batch (propagated, before mixing)
  std::vector<double> synthetic_grad_norm;  ///< ||ĝ_l|| over the batch
};

/// The evaluation steps: floor(linspace(1, steps, points)) without repeats (main.py build_eval_steps).
std::vector<std::int64_t> evaluation_steps(std::int64_t steps, int points);

class BanditRun {
 public:
  BanditRun(const BanditConfig& config, const BanditRunSpec& spec, std::shared_ptr<const BanditData> data);

  /// One policy step (and its evaluation when due). `threads` splits a layer's neurons.
  void step(int threads = 1);
  bool finished() const { return steps_done_ >= config_.steps; }
  std::int64_t steps_done() const { return steps_done_; }
  const BanditRunSpec& spec() const { return spec_; }
  const std::vector<BanditEvalRecord>& records() const { return records_; }
  /// λ per layer and neuron (SparseNet methods; BP: all 0).
  const std::vector<std::vector<double>>& lambdas() const { return lambda_; }
  const Eigen::VectorXd& policy_params() const;
  /// Mean unflipped reward on evaluation draw `eval_index` (fixed contexts and uniforms).
  /// Reuses the training step's activation buffers (the next step recomputes them).
  double evaluate(int eval_index, int threads = 1);

 private:
  struct StepDiagnostics {
    std::vector<double> true_norm, synthetic_norm;
  };
  void sparse_step(const RowMatrix& x, const std::vector<int>& labels, const BatchDraw& draw, int threads,
                   StepDiagnostics& diag);
  void train_predictors(const Eigen::MatrixXd& g_logits, int threads);
  void mlp_step(const RowMatrix& x, const std::vector<int>& labels, const BatchDraw& draw, StepDiagnostics& diag);
  bool uses_predictors() const { return spec_.method == Method::kSgFixed || spec_.method == Method::kSgAdaptive; }

  BanditConfig config_;
  BanditRunSpec spec_;
  std::shared_ptr<const BanditData> data_;
  std::optional<SparseNet> net_;
  std::optional<SgPredictors> predictors_;
  std::optional<MlpPolicy> mlp_;
  std::optional<Adam> policy_adam_, predictor_adam_;
  std::vector<std::vector<double>> lambda_;
  SparseForward forward_;
  // Step workspaces, kept between steps so that a step allocates nothing once warm.
  Eigen::VectorXd policy_grad_, predictor_grad_;
  LayerGrad layer_grad_, layer_below_, synthetic_, mixed_;
  std::vector<LayerGrad> predictor_targets_;
  std::vector<LayerGrad> predictions_;  ///< per layer ≥ 1: ĝ of the target pass, reused by the predictor loss
  std::vector<std::int64_t> eval_steps_;
  std::vector<BanditEvalRecord> records_;
  std::int64_t steps_done_ = 0;
};

}  // namespace sglab::bandit
