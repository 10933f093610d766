#pragma once
// Validation of a DagSpec (issue 4): every message names the field at fault by
// its scenario path ("dag.layers[1].nodes[0].parents[2]") and says why.

#include <string>

#include "core/dag/dag_limits.hpp"
#include "core/dag/dag_spec.hpp"

namespace sglab::dag {


/// Checks the shape (input count, layer widths, fan-ins, list lengths) before
/// anything is generated. Throws sglab::Error.
void validate_dag_structure(const DagSpec& spec, const std::string& path = "dag");

/// Checks a resolved spec completely: structure, every parent, weight, bias,
/// keep probability, λ, σ and teacher. Throws sglab::Error.
void validate_resolved_dag_spec(const DagSpec& spec, const std::string& path = "dag");

}  // namespace sglab::dag
