#pragma once
// The least-squares solve of the DAG lab's best-linear predictor (THEORY.md
// §7, Predictors: the regression of m on [o, 1]): the minimum-norm solution of
// A x = b, which stays defined when features are collinear and A is singular.
// One translation unit holds Eigen's complete orthogonal decomposition: each
// instantiation of it costs about 20 s of compile time at -O3 (more under the
// sanitizers), and three files of the DAG lab need it.

#include <Eigen/Core>

namespace sglab::stats {

Eigen::VectorXd minimum_norm_solve(const Eigen::MatrixXd& a, const Eigen::VectorXd& b);

}  // namespace sglab::stats
