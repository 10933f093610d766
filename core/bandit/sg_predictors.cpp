#include "core/bandit/sg_predictors.hpp"

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

void SgPredictors::predict(const SparseForward& f, int l, int j, Eigen::MatrixXd& out) const {
  const int n = shape_.n_dim, sn = shape_.slots * n, nd = shape_.nd();
  const auto idx = static_cast<std::size_t>(l * shape_.width + j);
  const double* base = params_.data() + offset(l, j);
  Eigen::MatrixXd slot(f.batch, sn);
  slot.noalias() = f.u[idx] * ConstMatrixMap(base, sn, nd).transpose();
  slot.rowwise() += Eigen::Map<const Eigen::VectorXd>(base + sn * nd, sn).transpose();
  out.setZero(f.batch, n);
  for (int s = 0; s < shape_.slots; ++s) out += f.route[idx].col(s).asDiagonal() * slot.middleCols(s * n, n);
}

double SgPredictors::accumulate_gradient(const SparseForward& f, int l, int j, const Eigen::MatrixXd& target,
                                         Eigen::VectorXd& grad) const {
  const int n = shape_.n_dim, sn = shape_.slots * n, nd = shape_.nd();
  const auto idx = static_cast<std::size_t>(l * shape_.width + j);
  Eigen::MatrixXd pred;
  predict(f, l, j, pred);
  const Eigen::MatrixXd err = pred - target;
  const double coef = 2.0 / (static_cast<double>(f.batch) * shape_.width * n);
  Eigen::MatrixXd d_slot(f.batch, sn);  // ∂loss/∂(C_s u + d_s) = coef · w_s · err
  for (int s = 0; s < shape_.slots; ++s) d_slot.middleCols(s * n, n) = coef * (f.route[idx].col(s).asDiagonal() * err);
  double* base = grad.data() + offset(l, j);
  MatrixMap(base, sn, nd).noalias() += d_slot.transpose() * f.u[idx];
  Eigen::Map<Eigen::VectorXd>(base + sn * nd, sn) += d_slot.colwise().sum().transpose();
  return err.squaredNorm();
}

}  // namespace sglab::bandit
