#pragma once
// Versioned scenario files: one schema for every lab (DESIGN.md).
//
//   {"schema": "sglab-scenario", "version": 1, "lab": "expert" | "dag",
//    "name": "...", "description": "...", "expert": {...}, "dag": {...}}
//
// "lab" says which lab the file opens; the body of that lab ("expert" or
// "dag") is optional (missing = that lab's defaults) and a file may carry
// both bodies. Unknown keys, wrong types and out-of-range values are errors
// naming the key path; documents nested deeper than kMaxJsonDepth are refused.
// load → save → load gives the identical document.

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>

#include "core/scenario/expert_scenario.hpp"

namespace sglab::scenario {

inline constexpr const char* kScenarioSchema = "sglab-scenario";
inline constexpr int kScenarioVersion = 1;

enum class Lab { kExpert, kDag };
const char* to_string(Lab lab);

struct Scenario {
  Lab lab = Lab::kExpert;
  std::string name = "Expert network, case 1 (default)";
  std::string description;
  std::optional<ExpertScenario> expert;  ///< the expert lab's body, if the file has one
  /// The DAG lab's body in canonical form (see set_dag_body_codec); null when absent.
  nlohmann::json dag;
  /// The mixing-dynamics settings ("train", core/dynamics/train_config.hpp) in
  /// canonical form, checked strictly on load; null when absent.
  nlohmann::json train;

  /// The expert body, or the defaults when the file had none.
  ExpertScenario expert_or_default() const { return expert.value_or(ExpertScenario{}); }
};

/// The app's default scenario: expert network, case 1, d = 8, k = 3.
Scenario default_scenario();

/// Hook for the "dag" body: reads it strictly (throwing sglab::Error naming the
/// key under `path`) and returns its canonical JSON. The default is the DAG
/// lab's own, dag_spec_to_json(dag_spec_from_json(body, path)) (core/dag/dag_spec_json.hpp);
/// set_dag_body_codec(nullptr) keeps a "dag" body verbatim (it must be an object).
using DagBodyCodec = std::function<nlohmann::json(const nlohmann::json& body, const std::string& path)>;
void set_dag_body_codec(DagBodyCodec codec);
/// Restores the default codec (the DAG lab's canonical reading).
void reset_dag_body_codec();

/// Strict reading of a parsed document; `source` (a file path) prefixes messages.
Scenario scenario_from_json(const nlohmann::json& doc, const std::string& source = "scenario");
nlohmann::json scenario_to_json(const Scenario& scenario);

/// Reads, parses and validates a file; throws sglab::Error naming the file and key.
Scenario load_scenario(const std::string& path);
/// Writes atomically (temp file + rename).
void save_scenario(const std::string& path, const Scenario& scenario);

}  // namespace sglab::scenario
