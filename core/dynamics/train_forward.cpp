#include "core/dynamics/train_forward.hpp"

#include <cmath>

namespace sglab::dynamics {

double train_tanh(double x) {
  const double ax = std::fabs(x);
  if (ax < 0.3) {
    // Taylor series of tanh (from t' = 1 − t²), 12 odd terms through x^23: the
    // first omitted term is below 5e-18 relative at |x| = 0.3.
    static constexpr double kA[12] = {1.0,
                                      -0.33333333333333331,
                                      0.13333333333333333,
                                      -0.053968253968253971,
                                      0.021869488536155203,
                                      -0.0088632355299021973,
                                      0.0035921280365724811,
                                      -0.0014558343870513183,
                                      0.00059002744094558595,
                                      -0.00023912911424355248,
                                      9.6915379569294509e-05,
                                      -3.9278323883316833e-05};
    const double y = x * x;
    double p = kA[11];
    for (int k = 10; k >= 0; --k) p = p * y + kA[k];
    return x * p;
  }
  const double t = 1.0 - 2.0 / (std::exp(2.0 * ax) + 1.0);  // exp overflow → inf → t = 1
  return x < 0.0 ? -t : t;
}

void train_forward(const dag::DagNetwork& net, const double* inputs, const unsigned char* kept, double* x,
                   double* delta) {
  for (int i = 0; i < net.input_count; ++i) {
    x[i] = inputs[i];
    delta[i] = 0.0;
  }
  for (int i = net.input_count; i < net.node_count; ++i) {
    const auto si = static_cast<std::size_t>(i);
    double pre = net.bias[si];  // pre_i = Σ_p w_ip x_p + b_i (§7)
    for (int e = net.parent_begin[si]; e < net.parent_begin[si + 1]; ++e)
      pre += net.weight[static_cast<std::size_t>(e)] * x[net.parent[static_cast<std::size_t>(e)]];
    double h = pre;
    double slope = 1.0;  // φ'(pre)
    if (net.activation[si] == dag::Activation::tanh) {
      h = train_tanh(pre);
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

}  // namespace sglab::dynamics
