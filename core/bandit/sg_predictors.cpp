#include "core/bandit/sg_predictors.hpp"

#include <algorithm>

#include "core/bandit/bandit_streams.hpp"
#include "core/rng/counter_rng.hpp"

namespace sglab::bandit {

SgPredictors::SgPredictors(const SparseNetShape& shape, std::uint64_t seed, double init_scale)
    : shape_(shape),
      neuron_size_(static_cast<std::size_t>(shape.slots * shape.n_dim) * static_cast<std::size_t>(shape.nd() + 1)) {
  params_.resize(static_cast<Eigen::Index>(neuron_size_ * static_cast<std::size_t>(shape.layers * shape.width)));
  rng::StreamReader init(seed, rng::make_stream(kStreamPredictorInit, {}));
  const double sd = init_scale * shape.hidden_scale();
  for (Eigen::Index i = 0; i < params_.size(); ++i) params_[i] = sd * init.next_normal();
}

std::size_t SgPredictors::offset(int layer, int neuron) const {
  return static_cast<std::size_t>(layer * shape_.width + neuron) * neuron_size_;
}

namespace {

double* scratch(std::vector<double>& buffer, std::size_t size) {
  if (buffer.size() < size) buffer.resize(size);
  return buffer.data();
}

}  // namespace

void SgPredictors::predict(const SparseNet& net, const SparseForward& f, int l, int j, double* out) const {
  const int n = shape_.n_dim, S = shape_.slots, sn = S * n, nd = shape_.nd();
  const auto B = static_cast<std::size_t>(f.stride);
  const double* base = params_.data() + offset(l, j);
  thread_local std::vector<double> slot_buffer;
  double* slot = scratch(slot_buffer, static_cast<std::size_t>(sn) * B);  // C_s u + d_s
  rows_times_weights(slot, sn, nd, base, 1, sn, net.input_rows(f, l, j), 1.0, base + sn * nd, false);
  const double* w = f.row(f.route[static_cast<std::size_t>(l)], j * S);
  mix_slots(out, w, slot, S, n, B);
  for (int k = 0; k < n; ++k)  // gradient blocks: zero pads
    for (std::size_t b = static_cast<std::size_t>(f.batch); b < B; ++b) out[k * B + b] = 0.0;
}

double SgPredictors::accumulate_gradient(const SparseNet& net, const SparseForward& f, int l, int j,
                                         const double* target, Eigen::VectorXd& grad,
                                         const double* prediction) const {
  const int n = shape_.n_dim, S = shape_.slots, sn = S * n, nd = shape_.nd();
  const auto B = static_cast<std::size_t>(f.stride);
  thread_local std::vector<double> buffer;
  double* err = scratch(buffer, static_cast<std::size_t>(n + sn) * B);
  double* d_slot = err + static_cast<std::size_t>(n) * B;  // ∂loss/∂(C_s u + d_s) = coef · w_s · err
  if (prediction != nullptr) std::copy(prediction, prediction + static_cast<std::size_t>(n) * B, err);
  else predict(net, f, l, j, err);
  double sse = 0.0;
  for (std::size_t i = 0; i < static_cast<std::size_t>(n) * B; ++i) {
    err[i] -= target[i];
    sse += err[i] * err[i];
  }
  const double coef = 2.0 / (static_cast<double>(f.batch) * shape_.width * n);
  const double* w = f.row(f.route[static_cast<std::size_t>(l)], j * S);
  for (int s = 0; s < S; ++s)
    for (int k = 0; k < n; ++k) {
      double* dk = d_slot + (s * n + k) * B;
      for (std::size_t b = 0; b < B; ++b) dk[b] = coef * (w[s * B + b] * err[k * B + b]);
    }
  double* base = grad.data() + offset(l, j);
  accumulate_outer(base, 1, sn, sn, nd, d_slot, net.input_rows(f, l, j), 1.0);
  for (int r = 0; r < sn; ++r) {
    double sum = 0.0;
    for (std::size_t b = 0; b < B; ++b) sum += d_slot[r * B + b];
    base[sn * nd + r] += sum;
  }
  return sse;
}

}  // namespace sglab::bandit
