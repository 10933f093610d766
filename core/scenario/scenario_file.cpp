#include "core/scenario/scenario_file.hpp"

#include <mutex>

#include "core/dag/dag_spec_json.hpp"
#include "core/dynamics/train_config.hpp"
#include "core/scenario/json_reader.hpp"
#include "core/util/error.hpp"

namespace sglab::scenario {

namespace {

std::mutex& codec_mutex() {
  static std::mutex m;
  return m;
}
// The DAG lab's codec: strict reading, resolution, canonical (resolved) JSON.
nlohmann::json canonical_dag_body(const nlohmann::json& body, const std::string& path) {
  return dag::dag_spec_to_json(dag::dag_spec_from_json(body, path));
}

DagBodyCodec& dag_codec() {
  static DagBodyCodec codec = canonical_dag_body;
  return codec;
}

}  // namespace

const char* to_string(Lab lab) { return lab == Lab::kDag ? "dag" : "expert"; }

Scenario default_scenario() {
  Scenario s;
  s.description =
      "Noisy terminal feedback (condition A.1). Each expert sees k = 3 of d = 8 input bits, so "
      "its synthetic-gradient table pools 2^(d-k) = 32 states: SG's MSE is 32 times smaller.";
  s.expert = ExpertScenario{};
  return s;
}

void set_dag_body_codec(DagBodyCodec codec) {
  std::lock_guard<std::mutex> lock(codec_mutex());
  dag_codec() = std::move(codec);
}

void reset_dag_body_codec() { set_dag_body_codec(canonical_dag_body); }

Scenario scenario_from_json(const nlohmann::json& doc, const std::string& source) {
  try {
    JsonObjectReader r(doc, "");
    const std::string schema = r.string("schema", "");
    if (!r.has("schema")) throw Error("schema: missing (expected \"sglab-scenario\")");
    if (schema != kScenarioSchema)
      throw Error("schema: \"" + schema + "\" is not \"" + kScenarioSchema + "\"");
    if (!r.has("version")) throw Error("version: missing (expected 1)");
    const auto version = r.integer("version", kScenarioVersion, 1, 1000000);
    if (version != kScenarioVersion)
      throw Error("version: " + std::to_string(version) + " is not supported (this build reads version " +
                  std::to_string(kScenarioVersion) + ")");
    Scenario s;
    s.lab = r.choice("lab", "expert", {"expert", "dag"}) == "dag" ? Lab::kDag : Lab::kExpert;
    s.name = r.string("name", "");
    s.description = r.string("description", "");
    if (r.has("expert")) s.expert = expert_scenario_from_json(r.raw("expert"), "expert");
    if (r.has("dag")) {
      const nlohmann::json& body = r.raw("dag");
      DagBodyCodec codec;
      {
        std::lock_guard<std::mutex> lock(codec_mutex());
        codec = dag_codec();
      }
      if (codec) {
        s.dag = codec(body, "dag");
      } else {
        if (!body.is_object()) throw Error(std::string("dag: expected an object, got ") + body.type_name());
        s.dag = body;
      }
    }
    if (r.has("train"))
      s.train = dynamics::train_config_to_json(dynamics::train_config_from_json(r.raw("train"), "train"));
    r.finish();
    return s;
  } catch (const Error& e) {
    throw Error(source + ": " + e.what());
  }
}

nlohmann::json scenario_to_json(const Scenario& s) {
  nlohmann::json j = nlohmann::json::object();
  j["schema"] = kScenarioSchema;
  j["version"] = kScenarioVersion;
  j["lab"] = to_string(s.lab);
  j["name"] = s.name;
  j["description"] = s.description;
  if (s.expert) j["expert"] = expert_scenario_to_json(*s.expert);
  if (!s.dag.is_null()) j["dag"] = s.dag;
  if (!s.train.is_null()) j["train"] = s.train;
  return j;
}

Scenario load_scenario(const std::string& path) {
  const nlohmann::json doc = read_json_file(path);  // names the file in its messages
  return scenario_from_json(doc, path);
}

void save_scenario(const std::string& path, const Scenario& scenario) {
  if (scenario.expert) validate(*scenario.expert);
  write_json_file(path, scenario_to_json(scenario));
}

}  // namespace sglab::scenario
