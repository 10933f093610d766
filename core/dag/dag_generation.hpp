#pragma once
// Resolution of a DagSpec: every field left to the seed is drawn (THEORY.md §7
// conventions), then the whole spec is validated.
//
// Draws (all from core/rng, so the same seed gives the same network anywhere):
// - parents: `fan_in` distinct nodes of the previous layer, without replacement
//   (partial Fisher–Yates), listed in increasing order; all of them when dense;
// - weights w_ip ~ N(0, 1/fan-in), bias b_i ~ N(0, 0.1²);
// - teacher weights v_t ~ N(0, 1/|S_t|), S_t = the terminal's parents by default.
// Each node and each teacher has its own stream, so an explicit value for one
// node never changes the draws of another.

#include "core/dag/dag_spec.hpp"

namespace sglab::dag {

/// Fills every unset parent list, weight, bias, q, σ and teacher, then calls
/// validate_resolved_dag_spec. Already explicit fields are kept as they are.
/// Throws sglab::Error naming the field at fault (paths start with `path`).
DagSpec resolve_dag_spec(DagSpec spec, const std::string& path = "dag");

}  // namespace sglab::dag
