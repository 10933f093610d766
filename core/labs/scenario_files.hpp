#pragma once
// sglab's scenario files: the table of every lab's body (core/config knows no
// lab; this file, at the top of core, knows them all) and the one reader of
// scenario files that the app and every CLI command call.

#include <string>
#include <vector>

#include "core/config/scenario.hpp"
#include "core/dag/dag_spec.hpp"

namespace sglab::labs {

/// Every lab's part of the format: expert ("expert"), dag ("dag"), dynamics ("train"), bandit ("bandit").
const std::vector<config::LabBody>& lab_bodies();

/// The one reader of scenario files: strict, every body checked by its lab.
config::Scenario read_scenario(const std::string& path);
/// The same for text that is not a file (the clipboard); `source` names it in messages.
config::Scenario parse_scenario(const std::string& text, const std::string& source);
/// Writes atomically through the one writer (config/output_files.hpp).
void write_scenario(const std::string& path, const config::Scenario& scenario);

/// The app's default scenario: expert network, case 1, d = 8, k = 3.
config::Scenario default_scenario();

/// The "dag" body of a scenario file (tests, benchmarks, the CLI's dag command).
dag::DagSpec load_dag_spec(const std::string& path);

}  // namespace sglab::labs
