#include "core/dynamics/train_forward.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "core/util/simd_clones.hpp"

namespace sglab::dynamics {

namespace {

typedef double v4d __attribute__((vector_size(32)));
typedef double v4d_mem __attribute__((vector_size(32), aligned(8), may_alias));
typedef unsigned long long v4u __attribute__((vector_size(32)));

// Inlined into each clone of train_tanh_inplace (a call would pass vectors
// across two instruction sets' conventions).
#define SGLAB_LANES_INLINE inline __attribute__((always_inline))

SGLAB_LANES_INLINE v4d splat(double s) { return v4d{s, s, s, s}; }
SGLAB_LANES_INLINE v4d load4(const double* p) { return *reinterpret_cast<const v4d_mem*>(p); }
SGLAB_LANES_INLINE void store4(double* p, v4d v) { *reinterpret_cast<v4d_mem*>(p) = v; }

// tanh of N vectors in lock step: each step of the dependent chain is issued
// for all N before the next, so the core overlaps the N chains instead of
// waiting on one; every lane's arithmetic is the same whatever N.
//
// tanh|x| = −E / (2 + E) with E = e^{−2|x|} − 1 ∈ (−1, 0]: no cancellation
// anywhere, so one formula serves every x; the sign of x is put back in its bit.
// E = e^m − 1 for −40 ≤ m ≤ 0 (clamped: e^−40 < 2^−57, so E rounds to −1 and
// tanh to 1), to a few ulp relative even near 0: m = k ln2 + r with
// |r| ≤ ln2/2 + ε (ln2 split in a high part with 21 trailing zero bits, so
// k ln2_hi is exact for |k| ≤ 58, and a low part); e^r − 1 = r q(r), q the
// Taylor series of (e^r − 1)/r to degree 12 (truncation < 2e-17 relative);
// then e^m − 1 = 2^k (e^r − 1) + (2^k − 1), which is e^r − 1 itself when k = 0.
// Plain multiplies and adds only.
template <int N>
SGLAB_LANES_INLINE void tanh_n(v4d* v) {
  static constexpr double kInverseFactorial[14] = {1.0,           1.0,            0.5,
                                                   1.0 / 6.0,     1.0 / 24.0,     1.0 / 120.0,
                                                   1.0 / 720.0,   1.0 / 5040.0,   1.0 / 40320.0,
                                                   1.0 / 362880.0, 1.0 / 3628800.0, 1.0 / 39916800.0,
                                                   1.0 / 479001600.0, 1.0 / 6227020800.0};
  const v4u sign_bit = (v4u)splat(-0.0);  // vector casts keep the bits
  const v4d shifter = splat(6755399441055744.0);  // 1.5·2^52: adding it rounds to an integer in the low bits
  v4d kd[N], r[N], q[N];
  for (int i = 0; i < N; ++i) {
    const v4d ax = (v4d)((v4u)v[i] & ~sign_bit);
    v4d m = splat(-2.0) * ax;
    m = m < splat(-40.0) ? splat(-40.0) : m;
    kd[i] = m * splat(1.4426950408889634) + shifter;
    const v4d k = kd[i] - shifter;
    r[i] = (m - k * splat(6.93147180369123816490e-01)) - k * splat(1.90821492927058770002e-10);
    q[i] = splat(kInverseFactorial[13]);  // q(r) = Σ_j r^j / (j + 1)!
  }
  for (int j = 12; j >= 1; --j)
    for (int i = 0; i < N; ++i) q[i] = q[i] * r[i] + splat(kInverseFactorial[j]);
  for (int i = 0; i < N; ++i) {
    const v4d two_to_k = (v4d)(((v4u)kd[i] + 1023ULL) << 52);
    const v4d e = two_to_k * (r[i] * q[i]) + (two_to_k - splat(1.0));
    const v4d t = (splat(0.0) - e) / (splat(2.0) + e);  // +0 at x = ±0 (−e would give −0)
    v[i] = (v4d)((v4u)t | ((v4u)v[i] & sign_bit));  // NaN stays NaN
  }
}

}  // namespace

SGLAB_SIMD_CLONES void train_tanh_inplace(double* values, std::size_t count) {
  constexpr int kLockStep = 4;
  std::size_t i = 0;
  for (; i + 4 * kLockStep <= count; i += 4 * kLockStep) {
    v4d v[kLockStep];
    for (int j = 0; j < kLockStep; ++j) v[j] = load4(values + i + 4 * j);
    tanh_n<kLockStep>(v);
    for (int j = 0; j < kLockStep; ++j) store4(values + i + 4 * j, v[j]);
  }
  for (; i + 4 <= count; i += 4) {
    v4d v = load4(values + i);
    tanh_n<1>(&v);
    store4(values + i, v);
  }
  if (i == count) return;
  v4d tail = splat(0.0);
  for (std::size_t j = i; j < count; ++j) tail[j - i] = values[j];
  tanh_n<1>(&tail);
  for (std::size_t j = i; j < count; ++j) values[j] = tail[j - i];
}

double train_tanh(double x) {
  train_tanh_inplace(&x, 1);
  return x;
}

void train_forward(const dag::DagNetwork& net, const double* inputs, const unsigned char* kept, std::size_t batch,
                   TrainForwardRows& rows) {
  const auto n = static_cast<std::size_t>(net.node_count);
  const auto inputs_per_sample = static_cast<std::size_t>(net.input_count);
  const std::size_t drops = net.dropout_nodes.size(), terminals = net.terminals.size();
  const std::size_t stride = (batch + 15) / 16 * 16;  // whole vectors of the tanh's lock step
  rows.batch = batch;
  if (rows.stride != stride || rows.x.size() != n * stride || rows.target.size() != terminals * stride) {
    rows.stride = stride;
    rows.x.assign(n * stride, 0.0);  // padding lanes: computed along, never read
    rows.delta.assign(n * stride, 0.0);
    rows.target.assign(terminals * stride, 0.0);
  }
  for (std::size_t i = 0; i < inputs_per_sample; ++i) {
    double* x = rows.x.data() + i * stride;
    for (std::size_t k = 0; k < batch; ++k) x[k] = inputs[k * inputs_per_sample + i];
  }
  for (std::size_t i = inputs_per_sample; i < n; ++i) {
    double* x = rows.x.data() + i * stride;
    double* delta = rows.delta.data() + i * stride;
    // pre_i = Σ_p w_ip x_p + b_i (§7): per sample, the bias first, then the
    // edges in order (dag_forward's order), each sample in its own lane.
    std::fill(x, x + stride, net.bias[i]);
    for (int e = net.parent_begin[i]; e < net.parent_begin[i + 1]; ++e) {
      const double w = net.weight[static_cast<std::size_t>(e)];
      const double* parent = rows.x_row(static_cast<std::size_t>(net.parent[static_cast<std::size_t>(e)]));
      for (std::size_t k = 0; k < stride; ++k) x[k] += w * parent[k];
    }
    const bool tanh_node = net.activation[i] == dag::Activation::tanh;
    if (tanh_node) train_tanh_inplace(x, stride);
    for (std::size_t k = 0; k < stride; ++k) delta[k] = tanh_node ? 1.0 - x[k] * x[k] : 1.0;  // φ'(pre)
    const int slot = net.dropout_slot[i];
    if (slot < 0) continue;
    // Stochastic node (A.2): x_i = ξ_i h_i / q_i, δ_i = ξ_i φ'(pre_i) / q_i (§7).
    for (std::size_t k = 0; k < batch; ++k) {
      const double scale = kept[k * drops + static_cast<std::size_t>(slot)] ? 1.0 / net.keep_q[i] : 0.0;
      x[k] = scale * x[k];
      delta[k] = scale * delta[k];
    }
  }
  // Teachers y_t = tanh(v_t · x_S_t) (§7): dag_teacher_target's sum, in its
  // order, per sample; then the tanh above along the batch.
  for (std::size_t t = 0; t < terminals; ++t) {
    double* y = rows.target.data() + t * stride;
    std::fill(y, y + stride, 0.0);
    for (int j = net.teacher_begin[t]; j < net.teacher_begin[t + 1]; ++j) {
      const double w = net.teacher_weight[static_cast<std::size_t>(j)];
      const double* read = rows.x_row(static_cast<std::size_t>(net.teacher_read[static_cast<std::size_t>(j)]));
      for (std::size_t k = 0; k < stride; ++k) y[k] += w * read[k];
    }
    train_tanh_inplace(y, stride);
  }
}

}  // namespace sglab::dynamics
