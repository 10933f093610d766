#include "core/labs/scenario_files.hpp"

#include "core/bandit/bandit_config_json.hpp"
#include "core/config/input_file.hpp"
#include "core/config/json_reader.hpp"
#include "core/config/output_files.hpp"
#include "core/dag/dag_spec_json.hpp"
#include "core/dynamics/train_config.hpp"
#include "core/expert/expert_scenario.hpp"
#include "core/util/error.hpp"

namespace sglab::labs {

const std::vector<config::LabBody>& lab_bodies() {
  static const std::vector<config::LabBody> bodies = {
      {"expert", "expert",
       [](const nlohmann::json& body, const std::string& path) {
         return expert::expert_scenario_to_json(expert::expert_scenario_from_json(body, path));
       }},
      {"dag", "dag",
       [](const nlohmann::json& body, const std::string& path) {
         return dag::dag_spec_to_json(dag::dag_spec_from_json(body, path));
       }},
      // The dynamics lab's body keeps the key "train" that version-1 files already use.
      {"dynamics", "train",
       [](const nlohmann::json& body, const std::string& path) {
         return dynamics::train_config_to_json(dynamics::train_config_from_json(body, path));
       }},
      {"bandit", "bandit",
       [](const nlohmann::json& body, const std::string& path) {
         return bandit::bandit_config_to_json(bandit::bandit_config_from_json(body, path));
       }},
  };
  return bodies;
}

config::Scenario read_scenario(const std::string& path) {
  return config::scenario_from_json(config::read_json_file(path), lab_bodies(), path);
}

config::Scenario parse_scenario(const std::string& text, const std::string& source) {
  if (text.size() > config::kMaxConfigFileBytes) throw Error(source + ": larger than 16 MiB");
  return config::scenario_from_json(config::parse_json_text(text, source), lab_bodies(), source);
}

void write_scenario(const std::string& path, const config::Scenario& scenario) {
  config::write_file(path, config::scenario_to_text(scenario), path);
}

config::Scenario default_scenario() {
  config::Scenario s;
  s.lab = "expert";
  s.name = "Expert network, case 1 (default)";
  s.description =
      "Noisy terminal feedback (condition A.1). Each expert sees k = 3 of d = 8 input bits, so "
      "its synthetic-gradient table pools 2^(d-k) = 32 states: SG's MSE is 32 times smaller.";
  s.bodies["expert"] = expert::expert_scenario_to_json(expert::ExpertScenario{});
  return s;
}

dag::DagSpec load_dag_spec(const std::string& path) { return dag::dag_spec_of(read_scenario(path), path); }

}  // namespace sglab::labs
