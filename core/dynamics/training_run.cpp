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

// out[j] = Σ_k c_k f_j[k] over the batch for each feature row f_j, each sum in
// sample order from 0.0; four sums side by side (independent chains, so the
// core does not wait on one add after another).
void batch_dot_products(const double* c, const double* const* features, std::size_t count, std::size_t batch,
                        double* out) {
  std::size_t j = 0;
  for (; j + 4 <= count; j += 4) {
    const double *f0 = features[j], *f1 = features[j + 1], *f2 = features[j + 2], *f3 = features[j + 3];
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    for (std::size_t k = 0; k < batch; ++k) {
      s0 += c[k] * f0[k];
      s1 += c[k] * f1[k];
      s2 += c[k] * f2[k];
      s3 += c[k] * f3[k];
    }
    out[j] = s0;
    out[j + 1] = s1;
    out[j + 2] = s2;
    out[j + 3] = s3;
  }
  for (; j < count; ++j) {
    double sum = 0.0;
    for (std::size_t k = 0; k < batch; ++k) sum += c[k] * features[j][k];
    out[j] = sum;
  }
}

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
  grad_b_.assign(n, 0.0);
  grad_w_.assign(net_.weight.size(), 0.0);
}

std::vector<double> TrainingRun::predictor_coefficients(int node) const {
  const auto c = static_cast<std::size_t>(node);
  return std::vector<double>(coef_.begin() + coef_begin_[c], coef_.begin() + coef_begin_[c + 1]);
}

double TrainingRun::step(const TrainBatch& batch, double learning_rate, double predictor_learning_rate) {
  batch_ = batch.size;
  train_forward(net_, batch.inputs.data(), batch.kept.data(), static_cast<std::size_t>(batch_), rows_);
  const std::size_t cells = static_cast<std::size_t>(net_.node_count) * rows_.stride;
  if (g_.size() != cells)
    for (auto* v : {&g_, &m_, &part_a_, &part_b_, &part_bp_, &coefficient_, &prediction_, &residual_})
      v->assign(cells, 0.0);  // prediction_ stays 0 for nodes without a predictor (read by eq 5's sums)
  const double loss = backprop(batch);
  if (feedback_ == Feedback::sg) {
    synthetic_messages();
    predictor_sums();
  } else {
    bp_messages();
  }
  parameter_step(learning_rate);
  if (feedback_ == Feedback::sg) predictor_step(predictor_learning_rate);
  return loss * (1.0 / static_cast<double>(batch_));
}

// BP messages of every sample, node by node along the batch (each sample's
// values are dag_backprop's, in its order): terminal feedback g_t = x_t − y_t + σ_t ε_t
// (§7), then g_i = Σ_c w_ci m_c in child order and m_i = δ_i g_i (eq 4). Returns
// the summed loss ½ Σ_t (x_t − y_t)², sample by sample, terminal by terminal.
double TrainingRun::backprop(const TrainBatch& batch) {
  const auto B = static_cast<std::size_t>(batch_);
  const std::size_t terminals = net_.terminals.size();
  for (std::size_t t = 0; t < terminals; ++t) {
    const auto node = static_cast<std::size_t>(net_.terminals[t]);
    const double sigma = net_.sigma[t];
    const double* x = rows_.x_row(node);
    const double* delta = rows_.delta_row(node);
    const double* target = rows_.target_row(t);
    double* g = row(g_, node);
    double* m = row(m_, node);
    for (std::size_t k = 0; k < B; ++k) {
      double feedback = x[k] - target[k];
      if (sigma > 0.0) feedback += sigma * batch.noise_sign[k * terminals + t];
      g[k] = feedback;
      m[k] = delta[k] * feedback;
    }
  }
  const int first_terminal = net_.node_count - static_cast<int>(terminals);
  for (int i = first_terminal - 1; i >= net_.input_count; --i) {
    const auto si = static_cast<std::size_t>(i);
    double* g = row(g_, si);
    std::fill(g, g + B, 0.0);
    for (int e = net_.child_begin[si]; e < net_.child_begin[si + 1]; ++e) {
      const double w = net_.weight[static_cast<std::size_t>(net_.child_edge[static_cast<std::size_t>(e)])];
      const double* mc = row(m_, static_cast<std::size_t>(net_.child[static_cast<std::size_t>(e)]));
      for (std::size_t k = 0; k < B; ++k) g[k] += w * mc[k];
    }
    const double* delta = rows_.delta_row(si);
    double* m = row(m_, si);
    for (std::size_t k = 0; k < B; ++k) m[k] = delta[k] * g[k];
  }
  // ℓ = ½ Σ_t (x_t − y_t)² (§7), at the current parameters: x_t − y_t = g_t − σ_t ε_t
  // (one rounding away from the direct difference).
  double loss = 0.0;
  for (std::size_t k = 0; k < B; ++k)
    for (std::size_t t = 0; t < terminals; ++t) {
      const double sigma = net_.sigma[t];
      const double g = row(g_, static_cast<std::size_t>(net_.terminals[t]))[k];
      const double r = sigma > 0.0 ? g - sigma * batch.noise_sign[k * terminals + t] : g;
      loss += 0.5 * r * r;
    }
  return loss;
}

// BP: g_θi = m_i [x_pa(i), 1] (eq 6): every part is m_i.
void TrainingRun::bp_messages() {
  const auto B = static_cast<std::size_t>(batch_);
  for (auto si = static_cast<std::size_t>(net_.input_count); si < static_cast<std::size_t>(net_.node_count); ++si) {
    const double* m = row(m_, si);
    double* parts[4] = {row(part_a_, si), row(part_b_, si), row(part_bp_, si), row(coefficient_, si)};
    for (std::size_t k = 0; k < B; ++k) {
      const double v = unit_normalise_ ? unit(m[k]) : m[k];
      for (double* part : parts) part[k] = v;
    }
  }
}

// SG (after backprop): the predictions, eq 5's mixed messages node by node
// along the batch (each sample's values are dag_synthetic_backprop's, in its
// order; terminals: g̃ = g, a = b = m), the coefficients of eq 16 and the
// predictors' residuals (§5).
void TrainingRun::synthetic_messages() {
  const int n = net_.node_count;
  const auto B = static_cast<std::size_t>(batch_);
  // Predictions of δ_c g̃_c on [x_pa(c), 1].
  for (int c = net_.input_count; c < n; ++c) {
    const auto sc = static_cast<std::size_t>(c);
    if (!has_predictor_[sc]) continue;
    const double* beta = coef_.data() + coef_begin_[sc];
    const int begin = net_.parent_begin[sc];
    const int count = net_.parent_begin[sc + 1] - begin;
    double* p = row(prediction_, sc);
    std::fill(p, p + B, beta[count]);
    for (int j = 0; j < count; ++j) {
      const double* xp = rows_.x_row(static_cast<std::size_t>(net_.parent[static_cast<std::size_t>(begin + j)]));
      for (std::size_t k = 0; k < B; ++k) p[k] += beta[j] * xp[k];
    }
  }
  // g̃ of every node, kept in residual_'s rows until the residuals are formed
  // (a node's g̃ is read by its parents, which come after it here).
  std::vector<double>& g_tilde = residual_;
  const int first_terminal = n - static_cast<int>(net_.terminals.size());
  for (int t = first_terminal; t < n; ++t) {
    const auto st = static_cast<std::size_t>(t);
    std::copy(row(g_, st), row(g_, st) + B, row(g_tilde, st));
    write_parts(st, row(m_, st), row(m_, st));
  }
  for (int i = first_terminal - 1; i >= net_.input_count; --i) {
    const auto si = static_cast<std::size_t>(i);
    double* propagated = row(part_a_, si);  // Σ_c J_{c,i} g̃_c, then a_i
    double* synthetic = row(part_b_, si);   // Σ_c s_{c→i}(o_c), then b_i
    std::fill(propagated, propagated + B, 0.0);
    std::fill(synthetic, synthetic + B, 0.0);
    for (int e = net_.child_begin[si]; e < net_.child_begin[si + 1]; ++e) {
      const auto c = static_cast<std::size_t>(net_.child[static_cast<std::size_t>(e)]);
      const double w = net_.weight[static_cast<std::size_t>(net_.child_edge[static_cast<std::size_t>(e)])];
      const double* delta_c = rows_.delta_row(c);
      const double* gt_c = row(g_tilde, c);
      const double* p_c = row(prediction_, c);
      for (std::size_t k = 0; k < B; ++k) {
        propagated[k] += w * (delta_c[k] * gt_c[k]);
        synthetic[k] += w * p_c[k];
      }
    }
    // eq 5 with λ_{i,c} = λ_i: g̃_i = (1 − λ_i) Σ_c J g̃_c + λ_i Σ_c s_{c→i}; a_i, b_i: δ_i times each sum.
    const double lambda = net_.lambda[si];
    const double* delta = rows_.delta_row(si);
    double* gt = row(g_tilde, si);
    for (std::size_t k = 0; k < B; ++k) {
      gt[k] = (1.0 - lambda) * propagated[k] + lambda * synthetic[k];
      propagated[k] = delta[k] * propagated[k];
      synthetic[k] = delta[k] * synthetic[k];
    }
    write_parts(si, propagated, synthetic);
  }
  // Residuals of the predictions against the propagated targets δ_c g̃_c (§5),
  // in place of g̃ (each node's g̃ is read only here and by its parents, done).
  for (int c = net_.input_count; c < n; ++c) {
    const auto sc = static_cast<std::size_t>(c);
    if (!has_predictor_[sc]) continue;
    const double* p = row(prediction_, sc);
    const double* delta = rows_.delta_row(sc);
    double* r = row(residual_, sc);
    for (std::size_t k = 0; k < B; ++k) r[k] = p[k] - delta[k] * r[k];
  }
}

// The parts of node i's parameter gradient from a_i and b_i (after unit
// normalisation): part_a, part_b, the BP message m_i at the same parameters
// (eq 4) and eq 16's coefficient (1 − λ_i) a_i + λ_i b_i (terminals do not mix).
// a and b may be part_a's and part_b's own rows.
void TrainingRun::write_parts(std::size_t i, const double* a, const double* b) {
  const auto B = static_cast<std::size_t>(batch_);
  const double lambda = net_.is_terminal(static_cast<int>(i)) ? 0.0 : net_.lambda[i];
  const double* m = row(m_, i);
  double* part_a = row(part_a_, i);
  double* part_b = row(part_b_, i);
  double* part_bp = row(part_bp_, i);
  double* coefficient = row(coefficient_, i);
  for (std::size_t k = 0; k < B; ++k) {
    const double ak = unit_normalise_ ? unit(a[k]) : a[k];
    const double bk = unit_normalise_ ? unit(b[k]) : b[k];
    part_a[k] = ak;
    part_b[k] = bk;
    part_bp[k] = unit_normalise_ ? unit(m[k]) : m[k];
    coefficient[k] = (1.0 - lambda) * ak + lambda * bk;
  }
}

// The predictors' regression sums over the batch (§5): Σ_k r_k² and
// Σ_k r_k [x_pa(c), 1]_k (the constant feature as a row of ones: r · 1 = r).
void TrainingRun::predictor_sums() {
  const auto B = static_cast<std::size_t>(batch_);
  error_sum_.assign(static_cast<std::size_t>(net_.node_count), 0.0);
  for (auto si = static_cast<std::size_t>(net_.input_count); si < static_cast<std::size_t>(net_.node_count); ++si) {
    if (!has_predictor_[si]) continue;
    const double* r = row(residual_, si);
    features_.assign(1, r);
    add_features(si);
    double* grad = coef_grad_.data() + coef_begin_[si];  // parents + 1
    batch_sums_.resize(features_.size());
    batch_dot_products(r, features_.data(), features_.size(), B, batch_sums_.data());
    error_sum_[si] = batch_sums_[0];
    std::copy(batch_sums_.begin() + 1, batch_sums_.end(), grad);
  }
}

// Appends node i's feature rows [x_pa(i), 1] to features_.
void TrainingRun::add_features(std::size_t i) {
  for (int e = net_.parent_begin[i]; e < net_.parent_begin[i + 1]; ++e)
    features_.push_back(rows_.x_row(static_cast<std::size_t>(net_.parent[static_cast<std::size_t>(e)])));
  if (ones_.size() < rows_.stride) ones_.assign(rows_.stride, 1.0);
  features_.push_back(ones_.data());
}

// Parameter gradients: batch means of coefficient · [x_pa(i), 1]; one SGD step.
void TrainingRun::parameter_step(double learning_rate) {
  const int n = net_.node_count;
  const auto B = static_cast<std::size_t>(batch_);
  const double inv_b = 1.0 / static_cast<double>(batch_);
  // Per parameter, the sum over samples runs in sample order (batch_dot_products).
  for (int i = net_.input_count; i < n; ++i) {
    const auto si = static_cast<std::size_t>(i);
    features_.clear();
    add_features(si);
    batch_sums_.resize(features_.size());
    batch_dot_products(row(coefficient_, si), features_.data(), features_.size(), B, batch_sums_.data());
    std::copy(batch_sums_.begin(), batch_sums_.end() - 1, grad_w_.begin() + net_.parent_begin[si]);
    grad_b_[si] = batch_sums_.back();
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
  TrainForwardRows rows;
  const auto samples = static_cast<std::size_t>(held_out.size);
  train_forward(net_, held_out.inputs.data(), held_out.kept.data(), samples, rows);
  double loss = 0.0;
  for (std::size_t k = 0; k < samples; ++k)
    for (std::size_t t = 0; t < net_.terminals.size(); ++t) {
      const double r = rows.x_row(static_cast<std::size_t>(net_.terminals[t]))[k] - rows.target_row(t)[k];
      loss += 0.5 * r * r;
    }
  return loss / static_cast<double>(held_out.size);
}

void TrainingRun::node_gradient_parts(int node, std::vector<double>& w, std::vector<double>& h,
                                      std::vector<double>* bp) const {
  const auto si = static_cast<std::size_t>(node);
  const int begin = net_.parent_begin[si];
  const int count = net_.parent_begin[si + 1] - begin;
  const auto dim = static_cast<std::size_t>(count + 1);
  w.resize(static_cast<std::size_t>(batch_) * dim);
  h.resize(w.size());
  if (bp != nullptr) bp->resize(w.size());
  const double* part_a = row(part_a_, si);
  const double* part_b = row(part_b_, si);
  const double* part_bp = row(part_bp_, si);
  for (int j = 0; j <= count; ++j) {
    // f_j of every sample: x of parent j, or the constant feature 1.
    const double* f = j < count ? rows_.x_row(static_cast<std::size_t>(net_.parent[static_cast<std::size_t>(begin + j)]))
                                : nullptr;
    for (std::size_t k = 0; k < static_cast<std::size_t>(batch_); ++k) {
      const std::size_t at = k * dim + static_cast<std::size_t>(j);
      w[at] = f != nullptr ? part_a[k] * f[k] : part_a[k];
      h[at] = f != nullptr ? part_b[k] * f[k] : part_b[k];
      if (bp != nullptr) (*bp)[at] = f != nullptr ? part_bp[k] * f[k] : part_bp[k];
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
