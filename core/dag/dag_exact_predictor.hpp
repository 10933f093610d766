#pragma once
// The population synthetic-gradient predictor of exact mode (THEORY.md §7,
// Predictors): for each non-input node c, a prediction of m_c = δ_c g_c (the
// BP gradient at c's pre-activation) from c's local observation o_c, so that
// s_{c→i}(o_c) = w_ci · prediction (eq 13).
//   oracle:      E[m_c | o_c], one value per observation group;
//   best-linear: least squares of m_c on [o_c, 1] over the exact distribution.
// Learned predictors have these as their large-sample limits (table → oracle,
// least squares → best-linear); exact mode uses the limit.

#include <Eigen/Core>

#include <cstdint>
#include <vector>

#include "core/dag/dag_network.hpp"

namespace sglab::dag {

struct DagExactPredictor {
  PredictorKind kind = PredictorKind::oracle;  ///< oracle or best_linear
  /// Per node: the observation group of every configuration (empty for inputs).
  std::vector<std::vector<std::uint32_t>> group_of_configuration;
  /// Per node: E[m_c | o_c] per observation group (oracle).
  std::vector<std::vector<double>> group_mean;
  /// Per node: coefficients on [x_pa(c), 1] (best-linear; empty otherwise).
  std::vector<Eigen::VectorXd> linear_coefficients;

  /// Prediction of m_c for configuration `configuration` with node values x.
  double predict(const DagNetwork& net, int node, std::uint64_t configuration, const double* x) const {
    const auto c = static_cast<std::size_t>(node);
    if (kind == PredictorKind::best_linear) {
      const Eigen::VectorXd& beta = linear_coefficients[c];
      const int begin = net.parent_begin[c];
      const int count = net.parent_begin[c + 1] - begin;
      double s = beta[count];
      for (int j = 0; j < count; ++j)
        s += beta[j] * x[net.parent[static_cast<std::size_t>(begin + j)]];
      return s;
    }
    return group_mean[c][group_of_configuration[c][configuration]];
  }

  /// predict() for configurations first .. first + count − 1 at once, same
  /// operations: x is a configuration table (row p at x + p · stride), out has count slots.
  void predict_block(const DagNetwork& net, int node, std::uint64_t first_configuration, std::size_t count,
                     const double* x, std::size_t stride, double* out) const {
    const auto c = static_cast<std::size_t>(node);
    if (kind == PredictorKind::best_linear) {
      const Eigen::VectorXd& beta = linear_coefficients[c];
      const int begin = net.parent_begin[c];
      const int parents = net.parent_begin[c + 1] - begin;
      for (std::size_t k = 0; k < count; ++k) out[k] = beta[parents];
      for (int j = 0; j < parents; ++j) {
        const double* xp = x + static_cast<std::size_t>(net.parent[static_cast<std::size_t>(begin + j)]) * stride;
        for (std::size_t k = 0; k < count; ++k) out[k] += beta[j] * xp[k];
      }
      return;
    }
    const std::uint32_t* group = group_of_configuration[c].data() + first_configuration;
    for (std::size_t k = 0; k < count; ++k) out[k] = group_mean[c][group[k]];
  }
};

/// The exact-mode predictor kind for a configured predictor (learned → its limit).
PredictorKind exact_predictor_kind(PredictorKind configured);

}  // namespace sglab::dag
