#include "core/bandit/adam.hpp"

#include <cmath>

namespace sglab::bandit {

namespace {
constexpr double kBeta1 = 0.9, kBeta2 = 0.999, kEpsilon = 1e-8;
}

Adam::Adam(Eigen::Index size, double learning_rate)
    : lr_(learning_rate), m_(Eigen::VectorXd::Zero(size)), v_(Eigen::VectorXd::Zero(size)) {}

void Adam::step(Eigen::VectorXd& params, const Eigen::VectorXd& grad) {
  ++t_;
  const double c1 = 1.0 - std::pow(kBeta1, static_cast<double>(t_));
  const double c2 = 1.0 - std::pow(kBeta2, static_cast<double>(t_));
  m_ = kBeta1 * m_ + (1.0 - kBeta1) * grad;
  v_ = kBeta2 * v_ + (1.0 - kBeta2) * grad.cwiseAbs2();
  params.array() -= lr_ * (m_.array() / c1) / ((v_.array() / c2).sqrt() + kEpsilon);
}

}  // namespace sglab::bandit
