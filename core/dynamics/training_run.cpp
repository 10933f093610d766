#include "core/dynamics/training_run.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/dag/dag_propagation.hpp"
#include "core/dynamics/train_forward.hpp"

namespace sglab::dynamics {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Unit normalisation of a scalar node gradient keeps its sign (THEORY.md §5).
double unit(double v) { return v > 0.0 ? 1.0 : (v < 0.0 ? -1.0 : 0.0); }

}  // namespace

TrainingRun::TrainingRun(const dag::DagNetwork& initial, Feedback feedback, const std::vector<double>& lambda,
                         bool unit_normalise)
    : net_(initial), feedback_(feedback), unit_normalise_(unit_normalise) {
  const auto n = static_cast<std::size_t>(net_.node_count);
  for (std::size_t i = 0; i < n && i < lambda.size(); ++i) net_.lambda[i] = lambda[i];
  has_predictor_.assign(n, 0);
  coef_begin_.assign(n + 1, 0);
  for (int c = net_.input_count; c < net_.node_count; ++c) {
    const auto sc = static_cast<std::size_t>(c);
    bool any = false;  // s_{c→i} is read only for non-input parents i (eq 5)
    for (int e = net_.parent_begin[sc]; e < net_.parent_begin[sc + 1]; ++e)
      any = any || net_.parent[static_cast<std::size_t>(e)] >= net_.input_count;
    has_predictor_[sc] = (feedback_ == Feedback::sg && any) ? 1 : 0;
  }
  for (std::size_t i = 0; i < n; ++i)
    coef_begin_[i + 1] = coef_begin_[i] + (has_predictor_[i] ? net_.parent_count(static_cast<int>(i)) + 1 : 0);
  coef_.assign(static_cast<std::size_t>(coef_begin_[n]), 0.0);
  coef_grad_.assign(coef_.size(), 0.0);
  predictor_error_.assign(n, kNaN);
  for (auto* v : {&g_, &m_, &g_tilde_, &a_, &b_, &prediction_, &grad_b_}) v->assign(n, 0.0);
  grad_w_.assign(net_.weight.size(), 0.0);
}

std::vector<double> TrainingRun::predictor_coefficients(int node) const {
  const auto c = static_cast<std::size_t>(node);
  return std::vector<double>(coef_.begin() + coef_begin_[c], coef_.begin() + coef_begin_[c + 1]);
}

double TrainingRun::step(const TrainBatch& batch, double learning_rate, double predictor_learning_rate) {
  const auto sn = static_cast<std::size_t>(net_.node_count);
  batch_ = batch.size;
  const auto cells = static_cast<std::size_t>(batch_) * sn;
  if (x_.size() != cells)
    for (auto* v : {&x_, &delta_, &part_a_, &part_b_, &part_bp_, &coefficient_, &residual_}) v->assign(cells, 0.0);
  targets_.resize(static_cast<std::size_t>(batch_) * net_.terminals.size());
  error_sum_.assign(sn, 0.0);
  double loss = 0.0;  // summed terminal by terminal, sample by sample
  train_forward(net_, batch.inputs.data(), batch.kept.data(), static_cast<std::size_t>(batch_), x_.data(),
                delta_.data(), targets_.data(), node_rows_);
  for (std::size_t k = 0; k < static_cast<std::size_t>(batch_); ++k) sample_messages(batch, k, loss);
  if (feedback_ == Feedback::sg) predictor_sums();
  parameter_step(learning_rate);
  if (feedback_ == Feedback::sg) predictor_step(predictor_learning_rate);
  return loss * (1.0 / static_cast<double>(batch_));
}

// Sample k (after the batch's forward pass): the BP messages, the loss, and the coefficient of each
// node's parameter gradient (BP: m_i; SG: eq 16's mix of the two parts).
void TrainingRun::sample_messages(const TrainBatch& batch, std::size_t k, double& loss) {
  const int n = net_.node_count;
  const auto sn = static_cast<std::size_t>(n);
  const std::size_t terminals = net_.terminals.size();
  const double* x = x_.data() + k * sn;
  const double* delta = delta_.data() + k * sn;
  const double* noise = batch.noise_sign.data() + k * terminals;
  dag::dag_backprop_from_targets(net_, x, delta, targets_.data() + k * terminals, noise, g_.data(),
                                 m_.data());  // eq 4
  // ℓ = ½ Σ_t (x_t − y_t)² (§7), at the current parameters: x_t − y_t = g_t − σ_t ε_t
  // (one rounding away from the direct difference; saves a second teacher tanh).
  for (std::size_t t = 0; t < terminals; ++t) {
    const double sigma = net_.sigma[t];
    const double g = g_[static_cast<std::size_t>(net_.terminals[t])];
    const double r = sigma > 0.0 ? g - sigma * noise[t] : g;
    loss += 0.5 * r * r;
  }
  if (feedback_ == Feedback::sg) return synthetic_messages(k);
  // BP: g_θi = m_i [x_pa(i), 1] (eq 6).
  for (int i = net_.input_count; i < n; ++i) {
    const std::size_t at = k * sn + static_cast<std::size_t>(i);
    const double v = unit_normalise_ ? unit(m_[static_cast<std::size_t>(i)]) : m_[static_cast<std::size_t>(i)];
    part_a_[at] = v;
    part_b_[at] = v;
    part_bp_[at] = v;
    coefficient_[at] = v;
  }
}

// SG for sample k (after sample_messages' forward and BP): the predictions, eq 5's
// mixed messages, the coefficients of eq 16 and the predictors' residuals (§5).
void TrainingRun::synthetic_messages(std::size_t k) {
  const int n = net_.node_count;
  const auto sn = static_cast<std::size_t>(n);
  const double* x = x_.data() + k * sn;
  const double* delta = delta_.data() + k * sn;
  // Predictions of δ_c g̃_c on [x_pa(c), 1].
  for (int c = net_.input_count; c < n; ++c) {
    const auto sc = static_cast<std::size_t>(c);
    if (!has_predictor_[sc]) continue;
    const double* beta = coef_.data() + coef_begin_[sc];
    const int begin = net_.parent_begin[sc];
    const int count = net_.parent_begin[sc + 1] - begin;
    double s = beta[count];
    for (int j = 0; j < count; ++j) s += beta[j] * x[net_.parent[static_cast<std::size_t>(begin + j)]];
    prediction_[sc] = s;
  }
  // eq 5 with λ_{i,c} = λ_i; parts a, b of eq 16.
  dag::dag_synthetic_backprop(net_, delta, g_.data(), m_.data(), prediction_.data(), g_tilde_.data(), a_.data(),
                              b_.data());
  for (int i = net_.input_count; i < n; ++i) {
    const auto si = static_cast<std::size_t>(i);
    const std::size_t at = k * sn + si;
    const double a = unit_normalise_ ? unit(a_[si]) : a_[si];
    const double b = unit_normalise_ ? unit(b_[si]) : b_[si];
    part_a_[at] = a;
    part_b_[at] = b;
    part_bp_[at] = unit_normalise_ ? unit(m_[si]) : m_[si];  // the BP message at the same parameters (eq 4)
    // g_θi = ((1 − λ_i) a_i + λ_i b_i) [x_pa(i), 1] (eq 16); terminals do not mix (a = b = m).
    const double lambda = net_.is_terminal(i) ? 0.0 : net_.lambda[si];
    coefficient_[at] = (1.0 - lambda) * a + lambda * b;
    // Residual of the prediction against the propagated target δ_c g̃_c (§5).
    if (has_predictor_[si]) residual_[at] = prediction_[si] - delta[si] * g_tilde_[si];
  }
}

// The predictors' regression sums over the batch (§5): Σ_k r_k² and
// Σ_k r_k [x_pa(c), 1]_k, each in sample order in a register.
void TrainingRun::predictor_sums() {
  const auto sn = static_cast<std::size_t>(net_.node_count);
  const auto B = static_cast<std::size_t>(batch_);
  for (std::size_t si = static_cast<std::size_t>(net_.input_count); si < sn; ++si) {
    if (!has_predictor_[si]) continue;
    const double* residual = residual_.data() + si;
    double squares = 0.0;
    for (std::size_t off = 0; off < B * sn; off += sn) squares += residual[off] * residual[off];
    error_sum_[si] = squares;
    double* grad = coef_grad_.data() + coef_begin_[si];
    const int begin = net_.parent_begin[si];
    const int count = net_.parent_begin[si + 1] - begin;
    for (int j = 0; j < count; ++j) {
      const double* xp = x_.data() + static_cast<std::size_t>(net_.parent[static_cast<std::size_t>(begin + j)]);
      double sum = 0.0;
      for (std::size_t off = 0; off < B * sn; off += sn) sum += residual[off] * xp[off];
      grad[j] = sum;
    }
    double sum = 0.0;
    for (std::size_t off = 0; off < B * sn; off += sn) sum += residual[off];
    grad[count] = sum;
  }
}

// Parameter gradients: batch means of coefficient · [x_pa(i), 1]; one SGD step.
void TrainingRun::parameter_step(double learning_rate) {
  const int n = net_.node_count;
  const auto sn = static_cast<std::size_t>(n);
  const auto B = static_cast<std::size_t>(batch_);
  const double inv_b = 1.0 / static_cast<double>(batch_);
  // Per parameter, the sum over samples runs in sample order in a register.
  for (int i = net_.input_count; i < n; ++i) {
    const auto si = static_cast<std::size_t>(i);
    const double* coefficient = coefficient_.data() + si;
    for (int e = net_.parent_begin[si]; e < net_.parent_begin[si + 1]; ++e) {
      const double* xp = x_.data() + static_cast<std::size_t>(net_.parent[static_cast<std::size_t>(e)]);
      double sum = 0.0;
      for (std::size_t k = 0, off = 0; k < B; ++k, off += sn) sum += coefficient[off] * xp[off];
      grad_w_[static_cast<std::size_t>(e)] = sum;
    }
    double sum = 0.0;
    for (std::size_t k = 0, off = 0; k < B; ++k, off += sn) sum += coefficient[off];
    grad_b_[si] = sum;
  }
  for (std::size_t e = 0; e < grad_w_.size(); ++e) net_.weight[e] -= learning_rate * (grad_w_[e] * inv_b);
  for (int i = net_.input_count; i < n; ++i)
    net_.bias[static_cast<std::size_t>(i)] -= learning_rate * (grad_b_[static_cast<std::size_t>(i)] * inv_b);
}

// Predictor step: β_c ← β_c − η_p · mean_k (β_c·f_k − δ_c g̃_c) f_k.
void TrainingRun::predictor_step(double predictor_learning_rate) {
  const double inv_b = 1.0 / static_cast<double>(batch_);
  for (std::size_t j = 0; j < coef_.size(); ++j) coef_[j] -= predictor_learning_rate * (coef_grad_[j] * inv_b);
  for (std::size_t i = 0; i < predictor_error_.size(); ++i)
    predictor_error_[i] = has_predictor_[i] ? error_sum_[i] * inv_b : kNaN;
}

double TrainingRun::held_out_loss(const TrainBatch& held_out) const {
  const auto sn = static_cast<std::size_t>(net_.node_count);
  const auto samples = static_cast<std::size_t>(held_out.size);
  const std::size_t terminals = net_.terminals.size();
  std::vector<double> x(samples * sn), delta(samples * sn), targets(samples * terminals), node_rows;
  train_forward(net_, held_out.inputs.data(), held_out.kept.data(), samples, x.data(), delta.data(), targets.data(),
                node_rows);
  double loss = 0.0;
  for (std::size_t k = 0; k < samples; ++k) {
    const double* xk = x.data() + k * sn;
    for (std::size_t t = 0; t < terminals; ++t) {
      const double r = xk[static_cast<std::size_t>(net_.terminals[t])] - targets[k * terminals + t];
      loss += 0.5 * r * r;
    }
  }
  return loss / static_cast<double>(held_out.size);
}

void TrainingRun::node_gradient_parts(int node, std::vector<double>& w, std::vector<double>& h,
                                      std::vector<double>* bp) const {
  const auto si = static_cast<std::size_t>(node);
  const auto sn = static_cast<std::size_t>(net_.node_count);
  const int begin = net_.parent_begin[si];
  const int count = net_.parent_begin[si + 1] - begin;
  const auto dim = static_cast<std::size_t>(count + 1);
  w.resize(static_cast<std::size_t>(batch_) * dim);
  h.resize(w.size());
  if (bp != nullptr) bp->resize(w.size());
  for (int k = 0; k < batch_; ++k) {
    const auto sk = static_cast<std::size_t>(k);
    const double* x = x_.data() + sk * sn;
    const double a = part_a_[sk * sn + si];
    const double b = part_b_[sk * sn + si];
    double* wk = w.data() + sk * dim;
    double* hk = h.data() + sk * dim;
    for (int j = 0; j < count; ++j) {
      const double f = x[net_.parent[static_cast<std::size_t>(begin + j)]];
      wk[j] = a * f;
      hk[j] = b * f;
    }
    wk[count] = a;
    hk[count] = b;
    if (bp != nullptr) {
      const double g = part_bp_[sk * sn + si];
      double* gk = bp->data() + sk * dim;
      for (int j = 0; j < count; ++j) gk[j] = g * x[net_.parent[static_cast<std::size_t>(begin + j)]];
      gk[count] = g;
    }
  }
}

bool TrainingRun::state_finite() const {
  const auto all_finite = [](const std::vector<double>& values) {
    return std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
  };
  // λ of inputs and terminals is unused and may hold anything; only mixing nodes count.
  for (std::size_t i = 0; i < net_.lambda.size(); ++i)
    if (!net_.is_terminal(static_cast<int>(i)) && !std::isfinite(net_.lambda[i]) && net_.parent_count(static_cast<int>(i)) > 0)
      return false;
  return all_finite(net_.weight) && all_finite(net_.bias) && all_finite(coef_);
}

}  // namespace sglab::dynamics
