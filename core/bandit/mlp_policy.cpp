#include "core/bandit/mlp_policy.hpp"

#include <cmath>

#include "core/bandit/bandit_streams.hpp"
#include "core/bandit/fast_tanh.hpp"
#include "core/rng/counter_rng.hpp"

namespace sglab::bandit {

MlpPolicy::MlpPolicy(int input_dim, int width, int layers, int actions, std::uint64_t seed)
    : input_dim_(input_dim), width_(width), layers_(layers), actions_(actions) {
  std::size_t total = 0;
  for (int l = 0; l <= layers_; ++l) {
    offset_.push_back(total);
    total += static_cast<std::size_t>(fan_out(l)) * static_cast<std::size_t>(fan_in(l) + 1);
  }
  params_ = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(total));
  rng::StreamReader init(seed, rng::make_stream(kStreamPolicyInit, {1}));
  for (int l = 0; l <= layers_; ++l) {
    const double sd = std::sqrt(2.0 / static_cast<double>(fan_in(l) + fan_out(l)));
    const std::size_t weights = static_cast<std::size_t>(fan_out(l)) * static_cast<std::size_t>(fan_in(l));
    for (std::size_t i = 0; i < weights; ++i) params_[static_cast<Eigen::Index>(offset_[static_cast<std::size_t>(l)] + i)] = sd * init.next_normal();
  }
}

void MlpPolicy::forward(const RowMatrix& x, MlpForward& f) const {
  f.h.resize(static_cast<std::size_t>(layers_));
  for (int l = 0; l <= layers_; ++l) {
    const double* base = params_.data() + offset_[static_cast<std::size_t>(l)];
    ConstMatrixMap w(base, fan_out(l), fan_in(l));
    Eigen::Map<const Eigen::VectorXd> b(base + fan_out(l) * fan_in(l), fan_out(l));
    Eigen::MatrixXd z = l == 0 ? Eigen::MatrixXd(x * w.transpose()) : Eigen::MatrixXd(f.h[static_cast<std::size_t>(l - 1)] * w.transpose());
    z.rowwise() += b.transpose();
    if (l < layers_) f.h[static_cast<std::size_t>(l)] = tanh_fast(z);
    else f.logits = std::move(z);
  }
}

void MlpPolicy::backward(const RowMatrix& x, const MlpForward& f, const Eigen::MatrixXd& g_logits,
                         Eigen::VectorXd& grad, std::vector<double>* hidden_grad_norms) const {
  if (hidden_grad_norms != nullptr) hidden_grad_norms->assign(static_cast<std::size_t>(layers_), 0.0);
  Eigen::MatrixXd g_z = g_logits;  // gradient at the pre-activation of layer l
  for (int l = layers_; l >= 0; --l) {
    const double* base = params_.data() + offset_[static_cast<std::size_t>(l)];
    double* gbase = grad.data() + offset_[static_cast<std::size_t>(l)];
    ConstMatrixMap w(base, fan_out(l), fan_in(l));
    if (l == 0) MatrixMap(gbase, fan_out(l), fan_in(l)).noalias() += g_z.transpose() * x;
    else MatrixMap(gbase, fan_out(l), fan_in(l)).noalias() += g_z.transpose() * f.h[static_cast<std::size_t>(l - 1)];
    Eigen::Map<Eigen::VectorXd>(gbase + fan_out(l) * fan_in(l), fan_out(l)) += g_z.colwise().sum().transpose();
    if (l == 0) break;
    const Eigen::MatrixXd g_h = g_z * w;
    if (hidden_grad_norms != nullptr) (*hidden_grad_norms)[static_cast<std::size_t>(l - 1)] = g_h.norm();
    g_z = (g_h.array() * (1.0 - f.h[static_cast<std::size_t>(l - 1)].array().square())).matrix();
  }
}

}  // namespace sglab::bandit
