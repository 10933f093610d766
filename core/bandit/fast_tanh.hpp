#pragma once
// tanh through Eigen's vectorised exp: tanh(x) = 1 − 2 / (1 + e^{2x}).
// glibc's scalar tanh took over a third of a small SparseNet's step; this is
// several times faster, exact to ~1e-16 absolute (saturates cleanly to ±1 when
// e^{2x} under- or overflows) and, being element-wise, thread-independent.

#include <Eigen/Dense>

namespace sglab::bandit {

inline Eigen::MatrixXd tanh_fast(const Eigen::MatrixXd& x) {
  return (1.0 - 2.0 / (1.0 + (2.0 * x.array()).exp())).matrix();
}

}  // namespace sglab::bandit
