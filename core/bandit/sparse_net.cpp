#include "core/bandit/sparse_net.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/bandit/bandit_streams.hpp"
#include "core/rng/counter_rng.hpp"
#include "core/util/parallel_for.hpp"

namespace sglab::bandit {

std::size_t SparseNetShape::neuron_params() const {
  const auto s = static_cast<std::size_t>(slots), n = static_cast<std::size_t>(n_dim),
             in = static_cast<std::size_t>(nd());
  return s * n * in + s * n + s * in;
}
std::size_t SparseNetShape::neuron_offset(int layer, int neuron) const {
  return static_cast<std::size_t>(layer * width + neuron) * neuron_params();
}
std::size_t SparseNetShape::action_offset() const { return neuron_offset(layers, 0); }
std::size_t SparseNetShape::param_count() const {
  return action_offset() + static_cast<std::size_t>(actions) * static_cast<std::size_t>(width * n_dim);
}
double SparseNetShape::hidden_scale() const { return 1.0 / std::sqrt(static_cast<double>(nd())); }
double SparseNetShape::action_scale() const { return 1.0 / std::sqrt(static_cast<double>(width * n_dim)); }

void for_each_index(int count, int threads, const std::function<void(int)>& body) {
  if (threads <= 1 || count <= 1) {
    for (int i = 0; i < count; ++i) body(i);
    return;
  }
  parallel_for(static_cast<std::size_t>(count), threads, [&](std::size_t i) { body(static_cast<int>(i)); });
}

void for_each_range(int count, int threads, const std::function<void(int, int)>& body) {
  // A few ranges per thread balance uneven neurons; one range when single-threaded.
  const int ranges = threads <= 1 ? 1 : std::min(count, 4 * threads);
  if (ranges <= 1) {
    body(0, count);
    return;
  }
  for_each_index(ranges, threads, [&](int r) {
    body(static_cast<int>(static_cast<long long>(count) * r / ranges),
         static_cast<int>(static_cast<long long>(count) * (r + 1) / ranges));
  });
}

namespace {

// The first `k` entries of a seeded permutation of 0..n−1 (torch.randperm(n)[:k] in models.py).
std::vector<int> draw_distinct(rng::StreamReader& stream, int n, int k) {
  std::vector<int> all(static_cast<std::size_t>(n));
  std::iota(all.begin(), all.end(), 0);
  for (int i = 0; i < k; ++i) {
    const int pick = i + static_cast<int>(stream.next_below(static_cast<std::uint32_t>(n - i)));
    std::swap(all[static_cast<std::size_t>(i)], all[static_cast<std::size_t>(pick)]);
  }
  all.resize(static_cast<std::size_t>(k));
  return all;
}

}  // namespace

SparseNet::SparseNet(const SparseNetShape& shape, std::uint64_t seed) : shape_(shape) {
  const int W = shape.width;
  inputs_.resize(static_cast<std::size_t>(shape.layers * W));
  readers_.resize(static_cast<std::size_t>(shape.layers * W));
  rng::StreamReader wiring(seed, rng::make_stream(kStreamWiring, {}));
  input_rows_.resize(static_cast<std::size_t>(shape.layers));
  for (int l = 0; l < shape.layers; ++l) {
    for (int j = 0; j < W; ++j) {
      auto& in = inputs_[static_cast<std::size_t>(l * W + j)];
      in = l == 0 ? draw_distinct(wiring, shape.input_dim, shape.nd()) : draw_distinct(wiring, W, shape.parents);
      if (l > 0)
        for (int p = 0; p < shape.parents; ++p)
          readers_[static_cast<std::size_t>(l * W + in[static_cast<std::size_t>(p)])].emplace_back(j, p);
      // Input c of the neuron: pixel in[c] (layer 0) or component k of parent in[p], c = p·n + k.
      auto& rows = input_rows_[static_cast<std::size_t>(l)];
      if (l == 0) rows.insert(rows.end(), in.begin(), in.end());
      else
        for (int p : in)
          for (int k = 0; k < shape.n_dim; ++k) rows.push_back(p * shape.n_dim + k);
    }
  }
  // Every parameter (keys, A, b, action keys) ~ N(0, 1/(nP)), as models.py.
  params_.resize(static_cast<Eigen::Index>(shape.param_count()));
  rng::StreamReader init(seed, rng::make_stream(kStreamPolicyInit, {0}));
  const double sd = shape.hidden_scale();
  for (Eigen::Index i = 0; i < params_.size(); ++i) params_[i] = sd * init.next_normal();
}

ConstMatrixMap SparseNet::slot_maps(int layer, int neuron) const {
  const int sn = shape_.slots * shape_.n_dim;
  return ConstMatrixMap(params_.data() + shape_.neuron_offset(layer, neuron), sn, shape_.nd());
}
Eigen::Map<const Eigen::VectorXd> SparseNet::slot_biases(int layer, int neuron) const {
  const int sn = shape_.slots * shape_.n_dim;
  return Eigen::Map<const Eigen::VectorXd>(
      params_.data() + shape_.neuron_offset(layer, neuron) + static_cast<std::size_t>(sn * shape_.nd()), sn);
}
ConstMatrixMap SparseNet::routing_keys(int layer, int neuron) const {
  const int sn = shape_.slots * shape_.n_dim;
  return ConstMatrixMap(params_.data() + shape_.neuron_offset(layer, neuron) +
                            static_cast<std::size_t>(sn * shape_.nd() + sn),
                        shape_.slots, shape_.nd());
}
ConstMatrixMap SparseNet::action_keys() const {
  return ConstMatrixMap(params_.data() + shape_.action_offset(), shape_.actions, shape_.width * shape_.n_dim);
}

RowSource SparseNet::input_rows(const SparseForward& f, int l, int j) const {
  RowSource in;
  in.base = l == 0 ? f.x.data() : f.h[static_cast<std::size_t>(l - 1)].data();
  in.rows = input_rows_[static_cast<std::size_t>(l)].data() + static_cast<std::size_t>(j * shape_.nd());
  in.stride = static_cast<std::size_t>(f.stride);
  return in;
}

// Neurons [first, last) of layer l, over the whole batch at once per neuron:
// routing logits and slot maps by the batch kernels, then the softmax, the
// mixture and the residual sample by sample in vectorisable loops.
void SparseNet::forward_neurons(SparseForward& f, int l, int first, int last, bool keep_for_backward) const {
  const int n = shape_.n_dim, S = shape_.slots, sn = S * n, nd = shape_.nd();
  const auto B = static_cast<std::size_t>(f.stride);
  const auto li = static_cast<std::size_t>(l);
  // Where a neuron's route, y and tanh(mix) go when the backward will not read them.
  thread_local std::vector<double> scratch;
  if (!keep_for_backward && scratch.size() < static_cast<std::size_t>(S + sn + n) * B)
    scratch.resize(static_cast<std::size_t>(S + sn + n) * B);
  for (int j = first; j < last; ++j) {
    const RowSource in = input_rows(f, l, j);
    if (j + 1 < last) {  // the next neuron's inputs, weights and slot-output rows (prefetch_span)
      prefetch_rows(input_rows(f, l, j + 1), nd, B * sizeof(double));
      prefetch_span(params_.data() + shape_.neuron_offset(l, j + 1), shape_.neuron_params() * sizeof(double));
      if (keep_for_backward)
        prefetch_span_for_write(f.y[li].data() + static_cast<std::size_t>((j + 1) * sn) * B, sn * B * sizeof(double));
    }
    const double* A = params_.data() + shape_.neuron_offset(l, j);
    const double* bias = A + sn * nd;
    const double* K = bias + sn;
    double* route = keep_for_backward ? f.route[li].data() + static_cast<std::size_t>(j * S) * B : scratch.data();
    rows_times_weights(route, S, nd, K, 1, S, in, shape_.hidden_scale(), nullptr, false);
    softmax_rows_inplace(route, S, B);
    double* y = keep_for_backward ? f.y[li].data() + static_cast<std::size_t>(j * sn) * B
                                  : scratch.data() + static_cast<std::size_t>(S) * B;
    rows_times_weights(y, sn, nd, A, 1, sn, in, 1.0, bias, false);
    tanh_inplace(y, sn * B);
    double* h = f.h[li].data() + static_cast<std::size_t>(j * n) * B;
    mix_slots(h, route, y, S, n, B);
    if (shape_.residual && l > 0) {
      double* mt = keep_for_backward ? f.mix_tanh[li].data() + static_cast<std::size_t>(j * n) * B
                                     : scratch.data() + static_cast<std::size_t>(S + sn) * B;
      std::copy(h, h + n * B, mt);
      tanh_inplace(mt, n * B);
      const double* below = f.h[li - 1].data() + static_cast<std::size_t>(j * n) * B;
      for (std::size_t i = 0; i < n * B; ++i) h[i] = mt[i] + below[i];
    }
  }
}

void SparseNet::forward(const RowMatrix& x, SparseForward& f, int threads, bool keep_for_backward) const {
  const int W = shape_.width, n = shape_.n_dim, S = shape_.slots, L = shape_.layers, B = static_cast<int>(x.rows());
  // A smaller batch reuses larger buffers (its extra pad samples are computed and
  // ignored: gradient blocks zero them), so alternating sizes never reallocate.
  const bool fits = f.h.size() == static_cast<std::size_t>(L) && f.stride >= padded_batch(B) &&
                    f.x.size() == static_cast<std::size_t>(shape_.input_dim) * static_cast<std::size_t>(f.stride) &&
                    f.y[0].size() == static_cast<std::size_t>(W * S * n) * static_cast<std::size_t>(f.stride) &&
                    f.logits_t.size() == static_cast<std::size_t>(shape_.actions) * static_cast<std::size_t>(f.stride);
  const int stride = fits ? f.stride : padded_batch(B);
  const auto Bs = static_cast<std::size_t>(stride);
  f.batch = B;
  f.logits.resize(B, shape_.actions);
  if (!fits) {
    f.stride = stride;
    f.x.assign(static_cast<std::size_t>(shape_.input_dim) * Bs, 0.0);
    f.route.assign(static_cast<std::size_t>(L), std::vector<double>(static_cast<std::size_t>(W * S) * Bs));
    f.y.assign(static_cast<std::size_t>(L), std::vector<double>(static_cast<std::size_t>(W * S * n) * Bs));
    f.mix_tanh.assign(static_cast<std::size_t>(L), std::vector<double>(static_cast<std::size_t>(W * n) * Bs));
    f.h.assign(static_cast<std::size_t>(L), std::vector<double>(static_cast<std::size_t>(W * n) * Bs));
    f.logits_t.assign(static_cast<std::size_t>(shape_.actions) * Bs, 0.0);
  }
  for (int b = 0; b < B; ++b)
    for (int c = 0; c < shape_.input_dim; ++c) f.x[static_cast<std::size_t>(c) * Bs + static_cast<std::size_t>(b)] = x(b, c);
  for (int l = 0; l < L; ++l)
    for_each_range(W, threads, [&](int first, int last) { forward_neurons(f, l, first, last, keep_for_backward); });
  // Action logits: ℓ_a = Σ_{j,k} K_act[a, j·n + k] h_{j,k} / √(W n), K_act column-major.
  RowSource top;
  top.base = f.h[static_cast<std::size_t>(L - 1)].data();
  top.stride = Bs;
  rows_times_weights(f.logits_t.data(), shape_.actions, W * n, params_.data() + shape_.action_offset(), 1,
                     shape_.actions, top, shape_.action_scale(), nullptr, false);
  for (int b = 0; b < B; ++b)
    for (int a = 0; a < shape_.actions; ++a) f.logits(b, a) = f.logits_t[static_cast<std::size_t>(a) * Bs + static_cast<std::size_t>(b)];
}

}  // namespace sglab::bandit
