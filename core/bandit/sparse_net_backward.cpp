#include "core/bandit/sparse_net_backward.hpp"

#include <algorithm>
#include <cmath>

namespace sglab::bandit {

namespace {

// Per-thread scratch that only grows, so steps allocate nothing once warm.
double* scratch(std::vector<double>& buffer, std::size_t size) {
  if (buffer.size() < size) buffer.resize(size);
  return buffer.data();
}

double sum_row(const double* row, std::size_t count) {
  double s = 0.0;
  for (std::size_t b = 0; b < count; ++b) s += row[b];
  return s;
}

}  // namespace

void neuron_terms(const SparseNet& net, const SparseForward& f, int l, int j, const double* g, double* t, double* dq) {
  const auto& s = net.shape();
  const int n = s.n_dim, S = s.slots;
  const auto B = static_cast<std::size_t>(f.stride);
  const double* y = f.row(f.y[static_cast<std::size_t>(l)], j * S * n);
  const double* w = f.row(f.route[static_cast<std::size_t>(l)], j * S);
  slot_terms(g, y, w, S, n, B, t, dq);
}

void gradient_at_mixture(const SparseNet& net, const SparseForward& f, int l, int j, const double* g_h,
                         double* g_mix) {
  const auto& s = net.shape();
  const std::size_t count = static_cast<std::size_t>(s.n_dim) * static_cast<std::size_t>(f.stride);
  if (s.residual && l > 0) {
    const double* mt = f.row(f.mix_tanh[static_cast<std::size_t>(l)], j * s.n_dim);
    for (std::size_t i = 0; i < count; ++i) g_mix[i] = g_h[i] * (1.0 - mt[i] * mt[i]);
  } else {
    std::copy(g_h, g_h + count, g_mix);
  }
}

void backward_action_layer(const SparseNet& net, const SparseForward& f, const Eigen::MatrixXd& g_logits,
                           Eigen::VectorXd* grad, LayerGrad& g_top) {
  const auto& s = net.shape();
  const int A = s.actions, Wn = s.width * s.n_dim;
  const auto B = static_cast<std::size_t>(f.stride);
  thread_local std::vector<double> logits_buffer;
  double* gl = scratch(logits_buffer, static_cast<std::size_t>(A) * B);
  std::fill(gl, gl + static_cast<std::size_t>(A) * B, 0.0);
  for (int b = 0; b < f.batch; ++b)
    for (int a = 0; a < A; ++a) gl[static_cast<std::size_t>(a) * B + static_cast<std::size_t>(b)] = g_logits(b, a);
  const double* keys = net.params().data() + s.action_offset();  // actions × W·n, column-major
  RowSource top;
  top.base = f.h[static_cast<std::size_t>(s.layers - 1)].data();
  top.stride = B;
  if (grad != nullptr) accumulate_outer(grad->data() + s.action_offset(), 1, A, A, Wn, gl, top, s.action_scale());
  g_top.resize(static_cast<std::size_t>(Wn) * B);
  RowSource logits_rows;
  logits_rows.base = gl;
  logits_rows.stride = B;
  rows_times_weights(g_top.data(), Wn, A, keys, A, 1, logits_rows, s.action_scale(), nullptr, false);
}

namespace {

// The blocks that neuron j's backward reads and writes, requested ahead of it
// (batch_kernels.hpp prefetch_span): they are spread over megabytes of
// activations and parameters, and kernels read many rows side by side, which
// the hardware's stream prefetchers do not follow.
void prefetch_neuron_backward(const SparseNet& net, const SparseForward& f, int l, int j, const LayerGrad& g_h,
                              const Eigen::VectorXd* grad, const double* g_u) {
  const auto& s = net.shape();
  const int n = s.n_dim, S = s.slots, sn = S * n, nd = s.nd();
  const auto li = static_cast<std::size_t>(l);
  const std::size_t row_bytes = static_cast<std::size_t>(f.stride) * sizeof(double);
  prefetch_span(f.row(f.y[li], j * sn), static_cast<std::size_t>(sn) * row_bytes);
  prefetch_span(f.row(f.route[li], j * S), static_cast<std::size_t>(S) * row_bytes);
  if (s.residual && l > 0) prefetch_span(f.row(f.mix_tanh[li], j * n), static_cast<std::size_t>(n) * row_bytes);
  prefetch_span(g_h.data() + static_cast<std::size_t>(j * n) * static_cast<std::size_t>(f.stride),
                static_cast<std::size_t>(n) * row_bytes);
  prefetch_rows(net.input_rows(f, l, j), nd, row_bytes);
  const std::size_t params_bytes = s.neuron_params() * sizeof(double);
  if (g_u != nullptr) prefetch_span(net.params().data() + s.neuron_offset(l, j), params_bytes);
  if (grad != nullptr) prefetch_span_for_write(grad->data() + s.neuron_offset(l, j), params_bytes);
  if (g_u != nullptr)
    prefetch_span_for_write(g_u + static_cast<std::size_t>(j * nd) * static_cast<std::size_t>(f.stride),
                            static_cast<std::size_t>(nd) * row_bytes);
}

}  // namespace

void backward_hidden_layer(const SparseNet& net, const SparseForward& f, int l, const LayerGrad& g_h,
                           Eigen::VectorXd* grad, LayerGrad* g_below, int threads) {
  const auto& s = net.shape();
  const int W = s.width, n = s.n_dim, S = s.slots, sn = S * n, nd = s.nd();
  const auto B = static_cast<std::size_t>(f.stride);
  const bool want_below = g_below != nullptr && l > 0;
  // ∂loss/∂u of every neuron of the layer (W·nP rows), before the parents' sums.
  thread_local std::vector<double> input_grad_buffer;
  double* g_u = want_below ? scratch(input_grad_buffer, static_cast<std::size_t>(W * nd) * B) : nullptr;
  for_each_range(W, threads, [&](int first, int last) {
    thread_local std::vector<double> terms_buffer;
    double* g_mix = scratch(terms_buffer, static_cast<std::size_t>(n + sn + S) * B);
    double* t = g_mix + static_cast<std::size_t>(n) * B;
    double* dq = t + static_cast<std::size_t>(sn) * B;
    RowSource t_rows, dq_rows;
    t_rows.base = t;
    dq_rows.base = dq;
    t_rows.stride = dq_rows.stride = B;
    for (int j = first; j < last; ++j) {
      if (j + 1 < last) prefetch_neuron_backward(net, f, l, j + 1, g_h, grad, g_u);
      gradient_at_mixture(net, f, l, j, g_h.data() + static_cast<std::size_t>(j * n) * B, g_mix);
      neuron_terms(net, f, l, j, g_mix, t, dq);
      const RowSource u = net.input_rows(f, l, j);
      if (grad != nullptr) {
        double* base = grad->data() + s.neuron_offset(l, j);
        accumulate_outer(base, 1, sn, sn, nd, t, u, 1.0);
        for (int r = 0; r < sn; ++r) base[sn * nd + r] += sum_row(t + r * B, B);
        accumulate_outer(base + sn * nd + sn, 1, S, S, nd, dq, u, s.hidden_scale());
      }
      if (want_below) {
        const double* A = net.params().data() + s.neuron_offset(l, j);
        double* gu = g_u + static_cast<std::size_t>(j * nd) * B;
        rows_times_weights(gu, nd, sn, A, sn, 1, t_rows, 1.0, nullptr, false);
        rows_times_weights(gu, nd, S, A + sn * nd + sn, S, 1, dq_rows, s.hidden_scale(), nullptr, true);
      }
    }
  });
  if (!want_below) return;
  g_below->resize(static_cast<std::size_t>(W * n) * B);
  double* out_all = g_below->data();
  for_each_range(W, threads, [&](int first, int last) {
    for (int i = first; i < last; ++i) {
      double* out = out_all + static_cast<std::size_t>(i * n) * B;
      // Residual: h_i^{(l)} = tanh(mix) + h_i^{(l−1)} passes the output gradient straight down.
      if (s.residual) std::copy_n(g_h.data() + static_cast<std::size_t>(i * n) * B, static_cast<std::size_t>(n) * B, out);
      else std::fill_n(out, static_cast<std::size_t>(n) * B, 0.0);
      for (const auto& [child, pos] : net.readers(l, i)) {
        const double* src = g_u + static_cast<std::size_t>(child * nd + pos * n) * B;
        for (std::size_t e = 0; e < static_cast<std::size_t>(n) * B; ++e) out[e] += src[e];
      }
    }
  });
}

namespace {

void normalise_samples(double* g, int n, std::size_t B) {
  for (std::size_t b = 0; b < B; ++b) {
    double sq = 0.0;
    for (int k = 0; k < n; ++k) sq += g[k * B + b] * g[k * B + b];
    const double norm = std::max(std::sqrt(sq), 1e-12);  // the paper's dir_eps
    for (int k = 0; k < n; ++k) g[k * B + b] /= norm;
  }
}

double dot(const double* a, const double* b, std::size_t count) {
  double s = 0.0;
  for (std::size_t i = 0; i < count; ++i) s += a[i] * b[i];
  return s;
}

// Per sample b < batch: Σ_r a_r[b] c_r[b] over `rows` rows.
void per_sample_dot(const double* a, const double* c, int rows, std::size_t B, int batch, double* out) {
  for (int b = 0; b < batch; ++b) out[b] = 0.0;
  for (int r = 0; r < rows; ++r)
    for (int b = 0; b < batch; ++b) out[b] += a[r * B + static_cast<std::size_t>(b)] * c[r * B + static_cast<std::size_t>(b)];
}

}  // namespace

GradMoments neuron_grad_moments(const SparseNet& net, const SparseForward& f, int l, int j, const double* g_true_h,
                                const double* g_synthetic_h) {
  const auto& s = net.shape();
  const int n = s.n_dim, S = s.slots, sn = S * n, nd = s.nd(), batch = f.batch;
  const auto B = static_cast<std::size_t>(f.stride);
  thread_local std::vector<double> buffer;
  const std::size_t blocks = static_cast<std::size_t>(2 * n + 2 * sn + 2 * S + 7) * B;
  const std::size_t sums = static_cast<std::size_t>(2 * sn * nd + 2 * S * nd + 2 * sn);
  double* g = scratch(buffer, blocks + sums);
  double* h = g + n * B;
  double* tw = h + n * B;
  double* th = tw + sn * B;
  double* qw = th + sn * B;
  double* qh = qw + S * B;
  double* u_sq = qh + S * B;
  double* per = u_sq + B;  // six per-sample dot products
  double* sw_a = g + blocks;
  double* sh_a = sw_a + sn * nd;
  double* sw_k = sh_a + sn * nd;
  double* sh_k = sw_k + S * nd;
  double* sw_b = sh_k + S * nd;
  double* sh_b = sw_b + sn;
  gradient_at_mixture(net, f, l, j, g_true_h, g);
  gradient_at_mixture(net, f, l, j, g_synthetic_h, h);
  normalise_samples(g, n, B);
  normalise_samples(h, n, B);
  neuron_terms(net, f, l, j, g, tw, qw);
  neuron_terms(net, f, l, j, h, th, qh);
  const RowSource u = net.input_rows(f, l, j);
  for (int b = 0; b < batch; ++b) u_sq[b] = 0.0;
  for (int c = 0; c < nd; ++c) {
    const double* uc = u.base + static_cast<std::size_t>(u.rows[c]) * B;
    for (int b = 0; b < batch; ++b) u_sq[b] += uc[b] * uc[b];
  }
  // Per-sample squared norms and dots over the blocks b, A (= t uᵀ) and K (= dq uᵀ/√nP).
  double* t_ww = per;
  double* t_hh = per + B;
  double* t_hw = per + 2 * B;
  double* q_ww = per + 3 * B;
  double* q_hh = per + 4 * B;
  double* q_hw = per + 5 * B;
  per_sample_dot(tw, tw, sn, B, batch, t_ww);
  per_sample_dot(th, th, sn, B, batch, t_hh);
  per_sample_dot(tw, th, sn, B, batch, t_hw);
  per_sample_dot(qw, qw, S, B, batch, q_ww);
  per_sample_dot(qh, qh, S, B, batch, q_hh);
  per_sample_dot(qw, qh, S, B, batch, q_hw);
  const double k2 = s.hidden_scale() * s.hidden_scale();
  GradMoments m;
  for (int b = 0; b < batch; ++b) {
    m.mean_w_sq += t_ww[b] * (1.0 + u_sq[b]) + q_ww[b] * k2 * u_sq[b];
    m.mean_h_sq += t_hh[b] * (1.0 + u_sq[b]) + q_hh[b] * k2 * u_sq[b];
    m.mean_hw += t_hw[b] * (1.0 + u_sq[b]) + q_hw[b] * k2 * u_sq[b];
  }
  m.mean_w_sq /= batch;
  m.mean_h_sq /= batch;
  m.mean_hw /= batch;
  // Batch sums of the per-sample gradients (the batch gradient with unit node gradients).
  std::fill(sw_a, sw_a + sums, 0.0);
  for (int r = 0; r < sn; ++r) {
    sw_b[r] = sum_row(tw + r * B, B);
    sh_b[r] = sum_row(th + r * B, B);
  }
  accumulate_outer(sw_a, 1, sn, sn, nd, tw, u, 1.0);
  accumulate_outer(sh_a, 1, sn, sn, nd, th, u, 1.0);
  accumulate_outer(sw_k, 1, S, S, nd, qw, u, 1.0);
  accumulate_outer(sh_k, 1, S, S, nd, qh, u, 1.0);
  const double B2 = static_cast<double>(batch) * static_cast<double>(batch);
  const auto an = static_cast<std::size_t>(sn * nd), kn = static_cast<std::size_t>(S * nd), bn = static_cast<std::size_t>(sn);
  m.wbar_sq = (dot(sw_b, sw_b, bn) + dot(sw_a, sw_a, an) + k2 * dot(sw_k, sw_k, kn)) / B2;
  m.hbar_sq = (dot(sh_b, sh_b, bn) + dot(sh_a, sh_a, an) + k2 * dot(sh_k, sh_k, kn)) / B2;
  m.wbar_hbar = (dot(sw_b, sh_b, bn) + dot(sw_a, sh_a, an) + k2 * dot(sw_k, sh_k, kn)) / B2;
  return m;
}

}  // namespace sglab::bandit
