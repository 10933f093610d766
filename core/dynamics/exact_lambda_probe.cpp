#include "core/dynamics/exact_lambda_probe.hpp"

#include <limits>

#include "core/dag/dag_exact_analysis.hpp"
#include "core/dag/dag_moments.hpp"
#include "core/dag/dag_outcome_space.hpp"

namespace sglab::dynamics {

bool exact_lambda_feasible(const dag::DagNetwork& net, int max_bits, std::string* reason) {
  const dag::DagOutcomeSpace space = dag::dag_outcome_space(net);
  const bool ok = space.total_bits() <= max_bits;
  if (reason != nullptr) {
    *reason = "outcome space 2^" + std::to_string(space.total_bits()) + " (" + std::to_string(space.input_bits) +
              " input bits, " + std::to_string(space.mask_bits) + " dropout bits, " +
              std::to_string(space.sign_bits) + " noise-sign bits)";
    *reason += ok ? "" : " exceeds 2^" + std::to_string(max_bits) + ": exact lambda* not computed";
  }
  return ok;
}

std::vector<double> exact_lambda_star(const dag::DagNetwork& net, dag::PredictorKind predictor, double n,
                                      int max_bits, const WorkControl* control) {
  dag::DagNetwork copy = net;
  copy.predictor = predictor;
  dag::DagExactOptions options;
  options.threads = 1;
  options.max_outcome_bits = max_bits;
  options.control = control;
  // λ* reads the mixing moments and μ only (eq 18): Bgap's joint hashing per
  // configuration and node is skipped; every other value is the same either way.
  options.with_bgap = false;
  const dag::DagExactAnalysis analysis = dag::analyze_dag_exact(copy, options);
  std::vector<double> out(static_cast<std::size_t>(net.node_count), std::numeric_limits<double>::quiet_NaN());
  for (const auto& node : analysis.nodes) {
    if (node.terminal || !node.mixing.applicable) continue;
    out[static_cast<std::size_t>(node.node)] = dag::lambda_star(node.mixing, node.mu, n).value;  // eq 18
  }
  return out;
}

}  // namespace sglab::dynamics
