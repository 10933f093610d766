#pragma once
// The "dag" body of a scenario file (core/config/scenario.hpp):
//   {"schema":"sglab-scenario","version":1,"lab":"dag","name":..,"description":..,"dag":{..}}
//
// "dag" schema (unknown keys rejected; node indices as in dag_spec.hpp):
//   inputs: int ≥ 1                      seed: int ≥ 0
//   sigma: number ≥ 0 (default σ_t)      lambda: number in [0,1] (default λ_i)
//   predictor: "oracle" | "best-linear" | "learned-table" | "learned-linear"
//   layers: [ { width, activation: "identity"|"tanh", fan_in (0 = dense), q,
//               nodes: [ { parents:[int], weights:[number], bias, q, lambda } ] } ]
//   terminals: [ { sigma, teacher: { reads:[int], weights:[number] } } ]
// Fields left out are drawn from the seed (dag_generation.hpp). Reading always
// resolves, and writing writes the resolved form, so load → save → load is exact.

#include <nlohmann/json.hpp>

#include <string>

#include "core/config/scenario.hpp"
#include "core/dag/dag_spec.hpp"

namespace sglab::dag {

/// Reads and resolves a "dag" object; `path` prefixes every message ("dag").
DagSpec dag_spec_from_json(const nlohmann::json& dag_object, const std::string& path = "dag");

/// Writes a spec, resolving it first, so every weight, bias, parent set and teacher is explicit.
nlohmann::json dag_spec_to_json(const DagSpec& spec);

/// The scenario's "dag" body; throws sglab::Error naming `source` when it has none.
DagSpec dag_spec_of(const config::Scenario& scenario, const std::string& source = "scenario");

}  // namespace sglab::dag
