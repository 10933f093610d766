#include "core/dag/dag_block_kernels.hpp"

#include <cmath>
#include <vector>

namespace sglab::dag {

void dag_forward_block(const DagNetwork& net, std::uint64_t first_configuration, std::size_t count, double* x,
                       double* delta, std::size_t stride, bool input_delta) {
  for (int i = 0; i < net.input_count; ++i) {
    double* xi = x + static_cast<std::size_t>(i) * stride;
    double* di = delta + static_cast<std::size_t>(i) * stride;
    for (std::size_t k = 0; k < count; ++k)
      xi[k] = (((first_configuration + k) >> i) & 1ULL) ? 1.0 : -1.0;  // decode_configuration
    if (input_delta)
      for (std::size_t k = 0; k < count; ++k) di[k] = 0.0;
  }
  for (int i = net.input_count; i < net.node_count; ++i) {
    const auto si = static_cast<std::size_t>(i);
    double* xi = x + si * stride;
    double* di = delta + si * stride;
    // pre_i = Σ_p w_ip x_p + b_i, accumulated in x's row, edges in dag_forward's order.
    for (std::size_t k = 0; k < count; ++k) xi[k] = net.bias[si];
    for (int e = net.parent_begin[si]; e < net.parent_begin[si + 1]; ++e) {
      const double w = net.weight[static_cast<std::size_t>(e)];
      const double* xp = x + static_cast<std::size_t>(net.parent[static_cast<std::size_t>(e)]) * stride;
      for (std::size_t k = 0; k < count; ++k) xi[k] += w * xp[k];
    }
    const bool tanh_node = net.activation[si] == Activation::tanh;
    const int slot = net.dropout_slot[si];
    for (std::size_t k = 0; k < count; ++k) {
      const double pre = xi[k];
      double h = pre;
      double slope = 1.0;
      if (tanh_node) {
        h = std::tanh(pre);
        slope = 1.0 - h * h;
      }
      if (slot < 0) {
        xi[k] = h;
        di[k] = slope;
      } else {
        const bool kept = ((first_configuration + k) >> (net.input_count + slot)) & 1ULL;
        const double scale = kept ? 1.0 / net.keep_q[si] : 0.0;  // x_i = ξ_i h_i / q_i (A.2)
        xi[k] = scale * h;
        di[k] = scale * slope;
      }
    }
  }
}

namespace {

// S > 0: the sign-pattern count known at compile time (the per-configuration
// loops over the signs unroll and vectorise); the same operations either way.
template <int S>
void backprop_block(const DagNetwork& net, const double* x, const double* delta, std::size_t config_stride,
                    std::size_t count, std::uint64_t run_time_signs, double* g, double* m, std::size_t outcome_stride) {
  const std::uint64_t signs = S > 0 ? static_cast<std::uint64_t>(S) : run_time_signs;
  const auto terminal_count = static_cast<int>(net.terminals.size());
  const auto row = [](auto* base, int node, std::size_t stride) { return base + static_cast<std::size_t>(node) * stride; };
  std::vector<double> target(count);
  for (int t = 0; t < terminal_count; ++t) {
    const auto st = static_cast<std::size_t>(t);
    const int node = net.terminals[st];
    // dag_teacher_target per configuration: tanh(Σ_k w x_read), reads in order.
    for (std::size_t k = 0; k < count; ++k) target[k] = 0.0;
    for (int r = net.teacher_begin[st]; r < net.teacher_begin[st + 1]; ++r) {
      const double w = net.teacher_weight[static_cast<std::size_t>(r)];
      const double* xr = row(x, net.teacher_read[static_cast<std::size_t>(r)], config_stride);
      for (std::size_t k = 0; k < count; ++k) target[k] += w * xr[k];
    }
    for (std::size_t k = 0; k < count; ++k) target[k] = std::tanh(target[k]);
    int sign_bit = -1;  // decode_sign_pattern: bit of this terminal's ε, if noisy
    for (std::size_t b = 0; b < net.noisy_terminals.size(); ++b)
      if (net.noisy_terminals[b] == t) sign_bit = static_cast<int>(b);
    const double sigma = net.sigma[st];
    const double* xt = row(x, node, config_stride);
    const double* dt = row(delta, node, config_stride);
    double* gt = row(g, node, outcome_stride);
    double* mt = row(m, node, outcome_stride);
    for (std::size_t k = 0; k < count; ++k) {
      for (std::uint64_t s = 0; s < signs; ++s) {
        const std::size_t o = k * signs + s;
        double feedback = xt[k] - target[k];
        if (sigma > 0.0) feedback += sigma * (sign_bit < 0 ? 0.0 : (((s >> sign_bit) & 1ULL) ? 1.0 : -1.0));
        gt[o] = feedback;
        mt[o] = dt[k] * feedback;
      }
    }
  }
  const std::size_t outcomes = count * signs;
  // g_i = Σ_c δ_c w_ci g_c (eq 4), children in increasing order, summed in g's row.
  for (int i = net.node_count - terminal_count - 1; i >= net.input_count; --i) {
    const auto si = static_cast<std::size_t>(i);
    double* gi = row(g, i, outcome_stride);
    // The first child's term is stored as 0.0 + w m_c: the bits of adding it to
    // a zeroed row (a −0.0 product becomes +0.0 either way), one pass fewer.
    const int first_child = net.child_begin[si], last_child = net.child_begin[si + 1];
    if (first_child == last_child)
      for (std::size_t o = 0; o < outcomes; ++o) gi[o] = 0.0;
    for (int e = first_child; e < last_child; ++e) {
      const double w = net.weight[static_cast<std::size_t>(net.child_edge[static_cast<std::size_t>(e)])];
      const double* mc = row(m, net.child[static_cast<std::size_t>(e)], outcome_stride);
      if (e == first_child)
        for (std::size_t o = 0; o < outcomes; ++o) gi[o] = 0.0 + w * mc[o];
      else
        for (std::size_t o = 0; o < outcomes; ++o) gi[o] += w * mc[o];
    }
    const double* di = row(delta, i, config_stride);
    double* mi = row(m, i, outcome_stride);
    for (std::size_t k = 0; k < count; ++k)
      for (std::uint64_t s = 0; s < signs; ++s) mi[k * signs + s] = di[k] * gi[k * signs + s];
  }
}

template <int S>
void synthetic_backprop_block(const DagNetwork& net, const double* delta, std::size_t config_stride,
                              const double* prediction, std::size_t prediction_stride, std::size_t count,
                              std::uint64_t run_time_signs, const double* g, const double* m, double* g_tilde,
                              double* a, double* b, std::size_t outcome_stride) {
  const std::uint64_t signs = S > 0 ? static_cast<std::uint64_t>(S) : run_time_signs;
  const auto terminal_count = static_cast<int>(net.terminals.size());
  const int first_terminal = net.node_count - terminal_count;
  const auto row = [](auto* base, int node, std::size_t stride) { return base + static_cast<std::size_t>(node) * stride; };
  const std::size_t outcomes = count * signs;
  for (int node = first_terminal; node < net.node_count; ++node) {
    for (std::size_t o = 0; o < outcomes; ++o) {
      row(g_tilde, node, outcome_stride)[o] = row(g, node, outcome_stride)[o];
      row(a, node, outcome_stride)[o] = row(m, node, outcome_stride)[o];
      row(b, node, outcome_stride)[o] = row(m, node, outcome_stride)[o];
    }
  }
  // δ_c g̃_c per child row, formed once per child when its g̃ is known (the same
  // product dag_synthetic_backprop forms per edge), so each edge below is one
  // contiguous multiply-add over the outcomes.
  // Per thread, kept between calls: a fresh zeroed vector per chunk was 45 KB
  // of memset per call. Every row is formed before it is read.
  static thread_local std::vector<double> pre_gradient;
  pre_gradient.resize(static_cast<std::size_t>(net.node_count - net.input_count) * outcomes);
  const auto pre_row = [&](int node) {
    return pre_gradient.data() + static_cast<std::size_t>(node - net.input_count) * outcomes;
  };
  const auto form_pre_gradient = [&](int node) {
    const double* dc = row(delta, node, config_stride);
    const double* gc = row(g_tilde, node, outcome_stride);
    double* out = pre_row(node);
    for (std::size_t k = 0; k < count; ++k)
      for (std::uint64_t s = 0; s < signs; ++s) out[k * signs + s] = dc[k] * gc[k * signs + s];
  };
  for (int node = first_terminal; node < net.node_count; ++node) form_pre_gradient(node);
  std::vector<double> synthetic(count);
  for (int i = first_terminal - 1; i >= net.input_count; --i) {
    const auto si = static_cast<std::size_t>(i);
    // a's row first holds Σ_c J_{c,i} g̃_c; Σ_c s_{c→i} depends on the configuration only.
    // The first child's terms are stored as 0.0 + term: the bits of adding them to zeroed rows.
    double* propagated = row(a, i, outcome_stride);
    const int first_child = net.child_begin[si], last_child = net.child_begin[si + 1];
    if (first_child == last_child) {
      for (std::size_t o = 0; o < outcomes; ++o) propagated[o] = 0.0;
      for (std::size_t k = 0; k < count; ++k) synthetic[k] = 0.0;
    }
    for (int e = first_child; e < last_child; ++e) {
      const int c = net.child[static_cast<std::size_t>(e)];
      const double w = net.weight[static_cast<std::size_t>(net.child_edge[static_cast<std::size_t>(e)])];
      const double* cc = pre_row(c);
      const double* pc = row(prediction, c, prediction_stride);
      if (e == first_child) {
        for (std::size_t o = 0; o < outcomes; ++o) propagated[o] = 0.0 + w * cc[o];
        for (std::size_t k = 0; k < count; ++k) synthetic[k] = 0.0 + w * pc[k];
      } else {
        for (std::size_t o = 0; o < outcomes; ++o) propagated[o] += w * cc[o];
        for (std::size_t k = 0; k < count; ++k) synthetic[k] += w * pc[k];
      }
    }
    const double lambda = net.lambda[si];
    const double* di = row(delta, i, config_stride);
    double* gi = row(g_tilde, i, outcome_stride);
    double* bi = row(b, i, outcome_stride);
    for (std::size_t k = 0; k < count; ++k) {
      for (std::uint64_t s = 0; s < signs; ++s) {
        const std::size_t o = k * signs + s;
        // eq 5 with λ_{i,c} = λ_i: g̃_i = (1 − λ_i) Σ_c J g̃_c + λ_i Σ_c s_{c→i}
        gi[o] = (1.0 - lambda) * propagated[o] + lambda * synthetic[k];
        bi[o] = di[k] * synthetic[k];
        propagated[o] = di[k] * propagated[o];  // now a_i
      }
    }
    form_pre_gradient(i);
  }
}

}  // namespace

void dag_backprop_block(const DagNetwork& net, const double* x, const double* delta, std::size_t config_stride,
                        std::size_t count, std::uint64_t signs, double* g, double* m, std::size_t outcome_stride) {
  if (signs == 4) backprop_block<4>(net, x, delta, config_stride, count, signs, g, m, outcome_stride);
  else backprop_block<0>(net, x, delta, config_stride, count, signs, g, m, outcome_stride);
}

void dag_synthetic_backprop_block(const DagNetwork& net, const double* delta, std::size_t config_stride,
                                  const double* prediction, std::size_t prediction_stride, std::size_t count,
                                  std::uint64_t signs, const double* g,
                                  const double* m, double* g_tilde, double* a, double* b,
                                  std::size_t outcome_stride) {
  if (signs == 4)
    synthetic_backprop_block<4>(net, delta, config_stride, prediction, prediction_stride, count, signs, g, m, g_tilde,
                                a, b, outcome_stride);
  else
    synthetic_backprop_block<0>(net, delta, config_stride, prediction, prediction_stride, count, signs, g, m, g_tilde,
                                a, b, outcome_stride);
}

}  // namespace sglab::dag
