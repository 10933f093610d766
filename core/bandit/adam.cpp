#include "core/bandit/adam.hpp"

#include <algorithm>
#include <cmath>

#include "core/bandit/batch_kernels.hpp"
#include "core/bandit/sparse_net.hpp"

namespace sglab::bandit {

namespace {
constexpr double kBeta1 = 0.9, kBeta2 = 0.999, kEpsilon = 1e-8;
}

Adam::Adam(Eigen::Index size, double learning_rate)
    : lr_(learning_rate), m_(Eigen::VectorXd::Zero(size)), v_(Eigen::VectorXd::Zero(size)) {}

void Adam::step(Eigen::VectorXd& params, const Eigen::VectorXd& grad, int threads) {
  // Not cleared, so the kernel only reads the gradient.
  update(params, const_cast<double*>(grad.data()), false, threads);
}

void Adam::step_and_clear(Eigen::VectorXd& params, Eigen::VectorXd& grad, int threads) {
  update(params, grad.data(), true, threads);
}

void Adam::update(Eigen::VectorXd& params, double* grad, bool clear_gradient, int threads) {
  ++t_;
  const double c1 = 1.0 - std::pow(kBeta1, static_cast<double>(t_));
  const double c2 = 1.0 - std::pow(kBeta2, static_cast<double>(t_));
  // Chunks of 64k elements: big enough to be worth a thread, and the paper-scale
  // policy (1.3M parameters) still splits evenly over a few threads.
  constexpr Eigen::Index kChunk = 1 << 16;
  const auto chunks = static_cast<int>((params.size() + kChunk - 1) / kChunk);
  for_each_index(chunks, threads, [&](int k) {
    const Eigen::Index begin = k * kChunk, count = std::min(kChunk, params.size() - begin);
    adam_update(params.data() + begin, m_.data() + begin, v_.data() + begin, grad + begin,
                static_cast<std::size_t>(count), lr_, c1, c2, kBeta1, kBeta2, kEpsilon, clear_gradient);
  });
}

}  // namespace sglab::bandit
