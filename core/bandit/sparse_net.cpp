#include "core/bandit/sparse_net.hpp"

#include <cmath>
#include <numeric>

#include "core/bandit/bandit_streams.hpp"
#include "core/bandit/fast_tanh.hpp"
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
  for (int l = 0; l < shape.layers; ++l) {
    for (int j = 0; j < W; ++j) {
      auto& in = inputs_[static_cast<std::size_t>(l * W + j)];
      in = l == 0 ? draw_distinct(wiring, shape.input_dim, shape.nd()) : draw_distinct(wiring, W, shape.parents);
      if (l > 0)
        for (int p = 0; p < shape.parents; ++p)
          readers_[static_cast<std::size_t>(l * W + in[static_cast<std::size_t>(p)])].emplace_back(j, p);
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

void SparseNet::forward_neuron(const RowMatrix& x, SparseForward& f, int l, int j) const {
  const int W = shape_.width, n = shape_.n_dim, S = shape_.slots;
  const auto idx = static_cast<std::size_t>(l * W + j);
  Eigen::MatrixXd& u = f.u[idx];
  const auto& in = inputs_[idx];
  if (l == 0) {
    for (int c = 0; c < shape_.nd(); ++c) u.col(c) = x.col(in[static_cast<std::size_t>(c)]);
  } else {
    for (int p = 0; p < shape_.parents; ++p)
      u.middleCols(p * n, n) = f.h[static_cast<std::size_t>((l - 1) * W + in[static_cast<std::size_t>(p)])];
  }
  Eigen::MatrixXd& route = f.route[idx];
  route.noalias() = u * routing_keys(l, j).transpose();
  route *= shape_.hidden_scale();
  // Row softmax, whole-matrix so that Eigen's vectorised exp applies.
  const Eigen::VectorXd top = route.rowwise().maxCoeff();
  route = (route.colwise() - top).array().exp().matrix();
  const Eigen::VectorXd total = route.rowwise().sum();
  route = total.cwiseInverse().asDiagonal() * route;
  Eigen::MatrixXd& y = f.y[idx];
  y.noalias() = u * slot_maps(l, j).transpose();
  y.rowwise() += slot_biases(l, j).transpose();
  y = tanh_fast(y);
  Eigen::MatrixXd& mix = f.mix[idx];
  mix.setZero();
  for (int s = 0; s < S; ++s) mix += route.col(s).asDiagonal() * y.middleCols(s * n, n);
  Eigen::MatrixXd& h = f.h[idx];
  if (shape_.residual && l > 0) {
    f.mix_tanh[idx] = tanh_fast(mix);
    h = f.mix_tanh[idx] + f.h[static_cast<std::size_t>((l - 1) * W + j)];
  } else {
    h = mix;
  }
}

void SparseNet::forward(const RowMatrix& x, SparseForward& f, int threads) const {
  const int W = shape_.width, n = shape_.n_dim, S = shape_.slots, B = static_cast<int>(x.rows());
  const std::size_t count = static_cast<std::size_t>(shape_.layers * W);
  if (f.batch != B || f.u.size() != count) {
    f.batch = B;
    f.u.assign(count, Eigen::MatrixXd(B, shape_.nd()));
    f.route.assign(count, Eigen::MatrixXd(B, S));
    f.y.assign(count, Eigen::MatrixXd(B, S * n));
    f.mix.assign(count, Eigen::MatrixXd(B, n));
    f.mix_tanh.assign(count, Eigen::MatrixXd(B, n));
    f.h.assign(count, Eigen::MatrixXd(B, n));
    f.last_hidden.resize(B, W * n);
  }
  for (int l = 0; l < shape_.layers; ++l) for_each_index(W, threads, [&](int j) { forward_neuron(x, f, l, j); });
  for (int j = 0; j < W; ++j)
    f.last_hidden.middleCols(j * n, n) = f.h[static_cast<std::size_t>((shape_.layers - 1) * W + j)];
  f.logits.noalias() = f.last_hidden * action_keys().transpose();
  f.logits *= shape_.action_scale();
}

}  // namespace sglab::bandit
