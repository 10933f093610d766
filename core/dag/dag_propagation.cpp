#include "core/dag/dag_propagation.hpp"

#include <cmath>

namespace sglab::dag {

void dag_forward(const DagNetwork& net, const double* inputs, const unsigned char* kept, double* x,
                 double* delta) {
  for (int i = 0; i < net.input_count; ++i) {
    x[i] = inputs[i];
    delta[i] = 0.0;
  }
  for (int i = net.input_count; i < net.node_count; ++i) {
    const auto si = static_cast<std::size_t>(i);
    // pre_i = Σ_p w_ip x_p + b_i (§7)
    double pre = net.bias[si];
    for (int e = net.parent_begin[si]; e < net.parent_begin[si + 1]; ++e)
      pre += net.weight[static_cast<std::size_t>(e)] * x[net.parent[static_cast<std::size_t>(e)]];
    double h = pre;
    double slope = 1.0;  // φ'(pre)
    if (net.activation[si] == Activation::tanh) {
      h = std::tanh(pre);
      slope = 1.0 - h * h;
    }
    const int slot = net.dropout_slot[si];
    if (slot < 0) {
      x[i] = h;
      delta[i] = slope;
    } else {
      // Stochastic node (A.2): x_i = ξ_i h_i / q_i (§7).
      const double scale = kept[slot] ? 1.0 / net.keep_q[si] : 0.0;
      x[i] = scale * h;
      delta[i] = scale * slope;
    }
  }
}

double dag_teacher_target(const DagNetwork& net, int terminal_index, const double* x) {
  const auto t = static_cast<std::size_t>(terminal_index);
  double s = 0.0;
  for (int k = net.teacher_begin[t]; k < net.teacher_begin[t + 1]; ++k)
    s += net.teacher_weight[static_cast<std::size_t>(k)] * x[net.teacher_read[static_cast<std::size_t>(k)]];
  return std::tanh(s);
}

void dag_backprop(const DagNetwork& net, const double* x, const double* delta, const double* noise_sign,
                  double* g, double* m) {
  const int terminal_count = static_cast<int>(net.terminals.size());
  // Terminal feedback of ℓ = ½ Σ_t (x_t − y_t)², plus σ_t ε_t (A.1), §7.
  for (int t = 0; t < terminal_count; ++t) {
    const int node = net.terminals[static_cast<std::size_t>(t)];
    const double sigma = net.sigma[static_cast<std::size_t>(t)];
    double feedback = x[node] - dag_teacher_target(net, t, x);
    if (sigma > 0.0) feedback += sigma * noise_sign[t];
    g[node] = feedback;
    m[node] = delta[node] * feedback;
  }
  const int first_terminal = net.node_count - terminal_count;
  // g_i = Σ_c J_{c,i} g_c with J_{c,i} = δ_c w_ci (eq 4, §7); children in increasing order.
  for (int i = first_terminal - 1; i >= net.input_count; --i) {
    const auto si = static_cast<std::size_t>(i);
    double sum = 0.0;
    for (int k = net.child_begin[si]; k < net.child_begin[si + 1]; ++k) {
      const int c = net.child[static_cast<std::size_t>(k)];
      sum += net.weight[static_cast<std::size_t>(net.child_edge[static_cast<std::size_t>(k)])] * m[c];
    }
    g[i] = sum;
    m[i] = delta[i] * sum;
  }
}

void dag_synthetic_backprop(const DagNetwork& net, const double* delta, const double* g,
                            const double* m, const double* prediction, double* g_tilde, double* a, double* b) {
  const int terminal_count = static_cast<int>(net.terminals.size());
  const int first_terminal = net.node_count - terminal_count;
  // g̃_t = g_t for terminals (§1.2); they do not mix.
  for (int node = first_terminal; node < net.node_count; ++node) {
    g_tilde[node] = g[node];
    a[node] = m[node];
    b[node] = m[node];
  }
  // Same order and same products as dag_backprop, so λ = 0 reproduces BP bit for bit.
  for (int i = first_terminal - 1; i >= net.input_count; --i) {
    const auto si = static_cast<std::size_t>(i);
    double propagated = 0.0;  // Σ_c J_{c,i} g̃_c
    double synthetic = 0.0;   // Σ_c s_{c→i}(o_c)
    for (int k = net.child_begin[si]; k < net.child_begin[si + 1]; ++k) {
      const int c = net.child[static_cast<std::size_t>(k)];
      const double w = net.weight[static_cast<std::size_t>(net.child_edge[static_cast<std::size_t>(k)])];
      const double child_pre_gradient = delta[c] * g_tilde[c];
      propagated += w * child_pre_gradient;
      synthetic += w * prediction[c];
    }
    const double lambda = net.lambda[si];
    // eq 5 with λ_{i,c} = λ_i: g̃_i = (1 − λ_i) Σ_c J g̃_c + λ_i Σ_c s_{c→i}
    g_tilde[i] = (1.0 - lambda) * propagated + lambda * synthetic;
    a[i] = delta[i] * propagated;
    b[i] = delta[i] * synthetic;
  }
}

}  // namespace sglab::dag
