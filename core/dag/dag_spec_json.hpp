#pragma once
// The "dag" object of a scenario file (DESIGN.md: scenario files) and the
// envelope check of a DAG scenario:
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

#include "core/dag/dag_spec.hpp"

namespace sglab::dag {

/// Reads and resolves a "dag" object; `path` prefixes every message ("dag").
DagSpec dag_spec_from_json(const nlohmann::json& dag_object, const std::string& path = "dag");

/// Writes a spec, resolving it first, so every weight, bias, parent set and teacher is explicit.
nlohmann::json dag_spec_to_json(const DagSpec& spec);

struct DagScenario {
  std::string name;
  std::string description;
  DagSpec spec;
};

/// Reads a scenario file, checks its envelope (schema, version 1, lab "dag").
DagScenario load_dag_scenario_file(const std::string& file);
/// The spec of load_dag_scenario_file.
DagSpec load_dag_scenario(const std::string& file);

/// The whole scenario document (envelope + resolved "dag").
nlohmann::json dag_scenario_to_json(const DagScenario& scenario);
void save_dag_scenario(const std::string& file, const DagScenario& scenario);

}  // namespace sglab::dag
