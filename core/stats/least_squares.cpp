#include "core/stats/least_squares.hpp"

#include <Eigen/QR>

namespace sglab::stats {

Eigen::VectorXd minimum_norm_solve(const Eigen::MatrixXd& a, const Eigen::VectorXd& b) {
  return a.completeOrthogonalDecomposition().solve(b);
}

}  // namespace sglab::stats
