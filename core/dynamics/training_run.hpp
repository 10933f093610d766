#pragma once
// One of the three runs of the mixing-dynamics lab (issue 5): a copy of the
// network whose parameters θ_i = (w_i, b_i) are trained by SGD on the teacher
// task of THEORY.md §7, with BP feedback (eq 4) or SG feedback (eq 5) mixed by
// the run's per-node λ, and — for SG — learned linear predictors.
//
// Predictors: one per child c, linear on [o_c, 1] = [x_pa(c), 1], predicting
// the scalar δ_c g̃_c (the gradient at c's pre-activation); the synthetic
// gradient on edge c → i is s_{c→i}(o_c) = w_ci · prediction_c. This is the
// per-edge predictor of issue 5 with the edge factor w_ci pulled out: the
// propagated message is J_{c,i} g̃_c = w_ci · δ_c g̃_c (§7) and w_ci is c's own,
// known parameter, so E[J_{c,i} g̃_c | o_c] = w_ci · E[δ_c g̃_c | o_c] and the
// least-squares linear predictor of each edge is exactly w_ci times the one
// per-child predictor. Per child, the regression pools all of c's edges, follows
// a change of w_ci at once instead of relearning it, and matches the
// `prediction[c]` convention of dag_synthetic_backprop and exact mode (eq 13).
// Regression (THEORY.md §5): squared error of prediction_c against the
// propagated, bootstrapped target δ_c g̃_c, one SGD step per policy step on the
// same batch, starting from zero coefficients.

#include <vector>

#include "core/dag/dag_network.hpp"
#include "core/dynamics/train_batch.hpp"
#include "core/dynamics/train_forward.hpp"

namespace sglab::dynamics {

class TrainingRun {
 public:
  enum class Feedback { bp, sg };

  /// `lambda`: λ_i per node (global index; ignored for BP, inputs and terminals).
  TrainingRun(const dag::DagNetwork& initial, Feedback feedback, const std::vector<double>& lambda,
              bool unit_normalise);

  /// One SGD step on `batch` (parameters and, for SG, predictors). Returns the
  /// batch-mean loss ℓ = ½ Σ_t (x_t − y_t)² (§7, without the noise term) at the
  /// parameters before the step. Keeps, per sample, x and the parts a_i, b_i
  /// used in the parameter gradients (after unit normalisation) for node_gradient_parts.
  double step(const TrainBatch& batch, double learning_rate, double predictor_learning_rate);

  /// Mean loss ½Σ_t (x_t − y_t)² over `held_out` at the current parameters (no
  /// update; the terminal noise does not enter, as in step()'s loss).
  double held_out_loss(const TrainBatch& held_out) const;

  const dag::DagNetwork& network() const { return net_; }
  /// Every weight, bias, λ and predictor coefficient is finite (divergence check).
  bool state_finite() const;
  /// λ_i per node (the adaptive run updates it between steps).
  double lambda(int node) const { return net_.lambda[static_cast<std::size_t>(node)]; }
  void set_lambda(int node, double value) { net_.lambda[static_cast<std::size_t>(node)] = value; }
  bool has_predictor(int node) const { return has_predictor_[static_cast<std::size_t>(node)] != 0; }
  /// Mean squared error of node c's prediction against δ_c g̃_c on the last batch,
  /// before the predictor step (NaN without a predictor or for BP).
  double predictor_error(int node) const { return predictor_error_[static_cast<std::size_t>(node)]; }
  /// Predictor coefficients of node c on [x_pa(c), 1].
  std::vector<double> predictor_coefficients(int node) const;

  /// Per-sample parameter gradients of node i on the last batch, row-major
  /// [k][parents + 1]: w_k = a_k [x_pa(i), 1] (propagated part) and
  /// h_k = b_k [x_pa(i), 1] (synthetic part) — the w_k and h_k of THEORY.md §5.
  /// `bp` (optional): the per-sample BP parameter gradients g_k = m_k [x_pa(i), 1] at
  /// the same parameters (what BP would have used on this batch; eq 4, 6).
  void node_gradient_parts(int node, std::vector<double>& w, std::vector<double>& h,
                           std::vector<double>* bp = nullptr) const;

 private:
  // The parts of step(), in its order.
  double backprop(const TrainBatch& batch);
  void bp_messages();
  void synthetic_messages();
  void write_parts(std::size_t i, const double* a, const double* b);
  void predictor_sums();
  void add_features(std::size_t i);
  void parameter_step(double learning_rate);
  void predictor_step(double predictor_learning_rate);

  dag::DagNetwork net_;
  Feedback feedback_;
  bool unit_normalise_;
  int batch_ = 0;
  std::vector<unsigned char> has_predictor_;
  std::vector<int> coef_begin_;     // per node, into coef_ (parents + 1 each)
  std::vector<double> coef_, coef_grad_;
  std::vector<double> predictor_error_, error_sum_;
  // The last batch, node by node: row i = [i * rows_.stride, ...), one value per sample.
  TrainForwardRows rows_;  // x, δ, the teachers' targets
  std::vector<double> g_, m_;  // BP messages (eq 4)
  std::vector<double> part_a_, part_b_, part_bp_, coefficient_;  // of the parameter gradients (eq 6, 16)
  std::vector<double> prediction_;  // predictions of δ_c g̃_c (0 without a predictor)
  std::vector<double> residual_;    // g̃ while eq 5 runs, then prediction − δ_c g̃_c (nodes with a predictor)
  std::vector<double> grad_w_, grad_b_;
  std::vector<const double*> features_;  // scratch: rows whose batch dot products are taken
  std::vector<double> batch_sums_, ones_;
  double* row(std::vector<double>& rows, std::size_t node) const { return rows.data() + node * rows_.stride; }
  const double* row(const std::vector<double>& rows, std::size_t node) const {
    return rows.data() + node * rows_.stride;
  }
};

}  // namespace sglab::dynamics
