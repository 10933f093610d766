#pragma once
// Named networks shared by the dynamics lab, its benchmark and tests.

#include "core/dag/dag_spec.hpp"

namespace sglab::dynamics {

/// Issue 5's speed-target network: 8 inputs → 16 tanh → 12 tanh → 8 tanh →
/// 4 linear terminals, fan-in 3 everywhere, σ = 0.5: 40 trained (non-input)
/// nodes, 120 edges; 2^(8+4) outcomes, so exact λ* is available.
dag::DagSpec sparse40_spec();

}  // namespace sglab::dynamics
