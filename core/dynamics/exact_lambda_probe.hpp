#pragma once
// The exact λ*_i(n) of eq 18 (THEORY.md §4) at a training run's current
// parameters, for the mixing-dynamics lab's reference line.
//
// What it uses: exact mode of the DAG lab (dag_exact_analysis.hpp) on a copy of
// the network with the run's current weights, biases and λ (downstream nodes
// mix with their current λ, as in training), and the *population* predictor of
// exact mode — best-linear (least squares of δ_c g_c on [o_c, 1] over the exact
// distribution at the current parameters) or the oracle — not the run's learned
// coefficients. The learned linear predictor has best-linear as its limit, so
// the two agree once the predictor has caught up with the parameters.

#include <string>
#include <vector>

#include "core/dag/dag_network.hpp"
#include "core/util/parallel_for.hpp"

namespace sglab::dynamics {

/// Whether exact mode fits: the outcome space has at most 2^max_bits outcomes.
/// `reason` says why not (or what the exact value uses).
bool exact_lambda_feasible(const dag::DagNetwork& net, int max_bits, std::string* reason = nullptr);

/// λ*_i(n) per node (global index; NaN for inputs and terminals). `predictor`:
/// best_linear or oracle. Single-threaded (between training steps, or on the
/// prober's thread: exact_lambda_prober.hpp). `control`: cancel only.
std::vector<double> exact_lambda_star(const dag::DagNetwork& net, dag::PredictorKind predictor, double n,
                                      int max_bits, const WorkControl* control = nullptr);

}  // namespace sglab::dynamics
