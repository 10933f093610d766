#include "core/bandit/sparse_net_backward.hpp"

#include <algorithm>

namespace sglab::bandit {

void neuron_terms(const SparseNet& net, const SparseForward& f, int l, int j, const Eigen::MatrixXd& g,
                  NeuronTerms& out) {
  const auto& s = net.shape();
  const auto idx = static_cast<std::size_t>(l * s.width + j);
  const Eigen::MatrixXd& y = f.y[idx];
  const Eigen::MatrixXd& w = f.route[idx];
  const int n = s.n_dim, B = f.batch;
  out.t.resize(B, s.slots * n);
  out.dq.resize(B, s.slots);
  for (int k = 0; k < s.slots; ++k) {
    const auto ys = y.middleCols(k * n, n);
    out.t.middleCols(k * n, n) =
        w.col(k).asDiagonal() * (g.array() * (1.0 - ys.array().square())).matrix();
    out.dq.col(k) = (g.array() * ys.array()).rowwise().sum().matrix();  // v_s = g·y_s
  }
  const Eigen::VectorXd mean_v = (w.array() * out.dq.array()).rowwise().sum();
  out.dq = (w.array() * (out.dq.colwise() - mean_v).array()).matrix();
}

void gradient_at_mixture(const SparseNet& net, const SparseForward& f, int l, int j, const Eigen::MatrixXd& g_h,
                         Eigen::MatrixXd& g_mix) {
  const auto& s = net.shape();
  if (s.residual && l > 0) {
    const auto idx = static_cast<std::size_t>(l * s.width + j);
    g_mix = (g_h.array() * (1.0 - f.mix_tanh[idx].array().square())).matrix();
  } else {
    g_mix = g_h;
  }
}

void backward_action_layer(const SparseNet& net, const SparseForward& f, const Eigen::MatrixXd& g_logits,
                           Eigen::VectorXd* grad, std::vector<Eigen::MatrixXd>& g_top) {
  const auto& s = net.shape();
  const double scale = s.action_scale();
  if (grad != nullptr) {
    MatrixMap d_keys(grad->data() + s.action_offset(), s.actions, s.width * s.n_dim);
    d_keys.noalias() += scale * g_logits.transpose() * f.last_hidden;
  }
  const Eigen::MatrixXd g_hidden = scale * g_logits * net.action_keys();
  g_top.resize(static_cast<std::size_t>(s.width));
  for (int j = 0; j < s.width; ++j) g_top[static_cast<std::size_t>(j)] = g_hidden.middleCols(j * s.n_dim, s.n_dim);
}

void backward_hidden_layer(const SparseNet& net, const SparseForward& f, int l, const std::vector<Eigen::MatrixXd>& g_h,
                           Eigen::VectorXd* grad, std::vector<Eigen::MatrixXd>* g_below, int threads) {
  const auto& s = net.shape();
  const int W = s.width, n = s.n_dim, sn = s.slots * n, nd = s.nd();
  const bool want_below = g_below != nullptr && l > 0;
  std::vector<Eigen::MatrixXd> g_u(want_below ? static_cast<std::size_t>(W) : 0);
  for_each_index(W, threads, [&](int j) {
    const auto idx = static_cast<std::size_t>(l * W + j);
    Eigen::MatrixXd g_mix;
    gradient_at_mixture(net, f, l, j, g_h[static_cast<std::size_t>(j)], g_mix);
    NeuronTerms terms;
    neuron_terms(net, f, l, j, g_mix, terms);
    const Eigen::MatrixXd& u = f.u[idx];
    if (grad != nullptr) {
      double* base = grad->data() + s.neuron_offset(l, j);
      MatrixMap(base, sn, nd).noalias() += terms.t.transpose() * u;
      Eigen::Map<Eigen::VectorXd>(base + sn * nd, sn) += terms.t.colwise().sum().transpose();
      MatrixMap(base + sn * nd + sn, s.slots, nd).noalias() += s.hidden_scale() * terms.dq.transpose() * u;
    }
    if (want_below) {
      Eigen::MatrixXd& gu = g_u[static_cast<std::size_t>(j)];
      gu.noalias() = terms.t * net.slot_maps(l, j);
      gu.noalias() += s.hidden_scale() * terms.dq * net.routing_keys(l, j);
    }
  });
  if (!want_below) return;
  g_below->resize(static_cast<std::size_t>(W));
  for_each_index(W, threads, [&](int i) {
    Eigen::MatrixXd& out = (*g_below)[static_cast<std::size_t>(i)];
    // Residual: h_i^{(l)} = tanh(mix) + h_i^{(l−1)} passes the output gradient straight down.
    if (s.residual) out = g_h[static_cast<std::size_t>(i)];
    else out.setZero(f.batch, n);
    for (const auto& [child, pos] : net.readers(l, i)) out += g_u[static_cast<std::size_t>(child)].middleCols(pos * n, n);
  });
}

namespace {

void normalise_rows(Eigen::MatrixXd& g) {
  for (Eigen::Index b = 0; b < g.rows(); ++b) g.row(b) /= std::max(g.row(b).norm(), 1e-12);  // the paper's dir_eps
}

}  // namespace

GradMoments neuron_grad_moments(const SparseNet& net, const SparseForward& f, int l, int j,
                                const Eigen::MatrixXd& g_true_h, const Eigen::MatrixXd& g_synthetic_h) {
  const auto& s = net.shape();
  const auto idx = static_cast<std::size_t>(l * s.width + j);
  Eigen::MatrixXd g, h;
  gradient_at_mixture(net, f, l, j, g_true_h, g);
  gradient_at_mixture(net, f, l, j, g_synthetic_h, h);
  normalise_rows(g);
  normalise_rows(h);
  NeuronTerms tw, th;
  neuron_terms(net, f, l, j, g, tw);
  neuron_terms(net, f, l, j, h, th);
  const Eigen::MatrixXd& u = f.u[idx];
  const double k2 = s.hidden_scale() * s.hidden_scale();
  const Eigen::ArrayXd u_sq = u.rowwise().squaredNorm().array();
  // Per-sample squared norms and dots over the blocks b, A (= t uᵀ) and K (= dq uᵀ/√nP).
  const Eigen::ArrayXd t_ww = tw.t.rowwise().squaredNorm().array(), t_hh = th.t.rowwise().squaredNorm().array();
  const Eigen::ArrayXd t_hw = (tw.t.array() * th.t.array()).rowwise().sum();
  const Eigen::ArrayXd q_ww = tw.dq.rowwise().squaredNorm().array(), q_hh = th.dq.rowwise().squaredNorm().array();
  const Eigen::ArrayXd q_hw = (tw.dq.array() * th.dq.array()).rowwise().sum();
  GradMoments m;
  m.mean_w_sq = (t_ww * (1.0 + u_sq) + q_ww * k2 * u_sq).mean();
  m.mean_h_sq = (t_hh * (1.0 + u_sq) + q_hh * k2 * u_sq).mean();
  m.mean_hw = (t_hw * (1.0 + u_sq) + q_hw * k2 * u_sq).mean();
  // Batch sums of the per-sample gradients (the batch gradient with unit node gradients).
  const Eigen::VectorXd sw_b = tw.t.colwise().sum(), sh_b = th.t.colwise().sum();
  const Eigen::MatrixXd sw_a = tw.t.transpose() * u, sh_a = th.t.transpose() * u;
  const Eigen::MatrixXd sw_k = tw.dq.transpose() * u, sh_k = th.dq.transpose() * u;
  const double B2 = static_cast<double>(f.batch) * static_cast<double>(f.batch);
  m.wbar_sq = (sw_b.squaredNorm() + sw_a.squaredNorm() + k2 * sw_k.squaredNorm()) / B2;
  m.hbar_sq = (sh_b.squaredNorm() + sh_a.squaredNorm() + k2 * sh_k.squaredNorm()) / B2;
  m.wbar_hbar = (sw_b.dot(sh_b) + (sw_a.array() * sh_a.array()).sum() + k2 * (sw_k.array() * sh_k.array()).sum()) / B2;
  return m;
}

}  // namespace sglab::bandit
