#include "core/dynamics/train_config.hpp"

#include <limits>

#include "core/dag/dag_spec_json.hpp"
#include "core/scenario/json_reader.hpp"
#include "core/util/error.hpp"

namespace sglab::dynamics {

namespace {

using Json = nlohmann::json;
using scenario::JsonObjectReader;

constexpr std::int64_t kMaxSteps = 100000000;
constexpr std::int64_t kMaxInt64 = std::numeric_limits<std::int64_t>::max();

std::optional<double> optional_unit(JsonObjectReader& reader, const std::string& key) {
  if (!reader.has(key)) return std::nullopt;
  return reader.number(key, 0.0, 0.0, 1.0);
}

std::string range_message(const std::string& key, const std::string& what) { return key + ": " + what; }

}  // namespace

void validate_train_config(const TrainConfig& c, int node_count, const std::string& path) {
  const std::string p = path.empty() ? "" : path + ".";
  auto fail = [&](const std::string& key, const std::string& what) { throw Error(range_message(p + key, what)); };
  if (c.steps < 1 || c.steps > kMaxSteps) fail("steps", std::to_string(c.steps) + " is outside [1, 1e8]");
  if (c.batch_size < 2 || c.batch_size > 65536)
    fail("batch_size", std::to_string(c.batch_size) + " is outside [2, 65536] (the sample covariance needs B ≥ 2)");
  auto unit_range = [&](const std::string& key, double v, double hi) {
    if (!(v >= 0.0 && v <= hi)) fail(key, std::to_string(v) + " is outside [0, " + std::to_string(hi) + "]");
  };
  unit_range("learning_rate", c.learning_rate, 100.0);
  unit_range("predictor_learning_rate", c.predictor_learning_rate, 100.0);
  unit_range("momentum", c.momentum, 1.0);
  if (c.fixed_lambda) unit_range("fixed_lambda", *c.fixed_lambda, 1.0);
  if (c.initial_lambda) unit_range("initial_lambda", *c.initial_lambda, 1.0);
  if (c.record_every < 1) fail("record_every", std::to_string(c.record_every) + " must be ≥ 1");
  if (c.exact_every < 0) fail("exact_every", std::to_string(c.exact_every) + " must be ≥ 0 (0 = never)");
  if (c.exact_every > 0 && c.exact_every % c.record_every != 0)
    fail("exact_every", std::to_string(c.exact_every) + " must be a multiple of record_every (" +
                            std::to_string(c.record_every) + ") so that every exact value is recorded");
  if (c.exact_max_outcome_bits < 1 || c.exact_max_outcome_bits > 22)
    fail("exact_max_outcome_bits", std::to_string(c.exact_max_outcome_bits) + " is outside [1, 22]");
  if (c.exact_predictor != dag::PredictorKind::best_linear && c.exact_predictor != dag::PredictorKind::oracle)
    fail("exact_predictor", "must be \"best-linear\" or \"oracle\"");
  if (node_count > 0) {
    const double cells = static_cast<double>(c.steps / c.record_every) * node_count;
    if (cells > kMaxRecordedNodeSteps)
      fail("record_every", std::to_string(c.steps / c.record_every) + " recorded steps × " +
                               std::to_string(node_count) + " nodes is more than 2e7 records; raise record_every");
  }
}

TrainConfig train_config_from_json(const Json& object, const std::string& path) {
  JsonObjectReader reader(object, path);
  TrainConfig c;
  c.steps = reader.integer("steps", c.steps, 1, kMaxSteps);
  c.batch_size = static_cast<int>(reader.integer("batch_size", c.batch_size, 2, 65536));
  c.learning_rate = reader.number("learning_rate", c.learning_rate, 0.0, 100.0);
  c.predictor_learning_rate = reader.number("predictor_learning_rate", c.predictor_learning_rate, 0.0, 100.0);
  c.fixed_lambda = optional_unit(reader, "fixed_lambda");
  c.initial_lambda = optional_unit(reader, "initial_lambda");
  c.momentum = reader.number("momentum", c.momentum, 0.0, 1.0);
  c.unit_normalise = reader.boolean("unit_normalise", c.unit_normalise);
  c.seed = static_cast<std::uint64_t>(reader.integer("seed", 1, 0, kMaxInt64));
  c.record_every = reader.integer("record_every", c.record_every, 1, kMaxSteps);
  c.exact_every = reader.integer("exact_every", c.exact_every, 0, kMaxSteps);
  c.exact_max_outcome_bits =
      static_cast<int>(reader.integer("exact_max_outcome_bits", c.exact_max_outcome_bits, 1, 22));
  c.exact_predictor = reader.choice("exact_predictor", "best-linear", {"best-linear", "oracle"}) == "oracle"
                          ? dag::PredictorKind::oracle
                          : dag::PredictorKind::best_linear;
  reader.finish();
  validate_train_config(c, 0, path);
  return c;
}

Json train_config_to_json(const TrainConfig& c) {
  Json out = Json::object();
  out["steps"] = c.steps;
  out["batch_size"] = c.batch_size;
  out["learning_rate"] = c.learning_rate;
  out["predictor_learning_rate"] = c.predictor_learning_rate;
  if (c.fixed_lambda) out["fixed_lambda"] = *c.fixed_lambda;
  if (c.initial_lambda) out["initial_lambda"] = *c.initial_lambda;
  out["momentum"] = c.momentum;
  out["unit_normalise"] = c.unit_normalise;
  out["seed"] = c.seed;
  out["record_every"] = c.record_every;
  out["exact_every"] = c.exact_every;
  out["exact_max_outcome_bits"] = c.exact_max_outcome_bits;
  out["exact_predictor"] = c.exact_predictor == dag::PredictorKind::oracle ? "oracle" : "best-linear";
  return out;
}

TrainScenario load_train_scenario(const std::string& file) {
  const Json doc = scenario::read_json_file(file);
  TrainScenario out;
  try {
    JsonObjectReader reader(doc, "");
    if (!reader.has("schema")) throw Error("schema: missing (expected \"sglab-scenario\")");
    const std::string schema = reader.string("schema", "");
    if (schema != "sglab-scenario") throw Error("schema: expected \"sglab-scenario\", got \"" + schema + "\"");
    if (!reader.has("version")) throw Error("version: missing");
    const auto version = reader.integer("version", 1, 0, kMaxInt64);
    if (version != 1)
      throw Error("version: " + std::to_string(version) + " is not supported (this build reads version 1)");
    const std::string lab = reader.string("lab", "");
    if (lab != "dag") throw Error("lab: expected \"dag\", got \"" + lab + "\"");
    out.name = reader.string("name", "");
    out.description = reader.string("description", "");
    if (!reader.has("dag")) throw Error("dag: missing (a training scenario needs the network)");
    out.spec = dag::dag_spec_from_json(reader.raw("dag"), "dag");
    if (reader.has("train")) out.config = train_config_from_json(reader.raw("train"), "train");
    reader.finish();
  } catch (const Error& e) {
    throw Error(file + ": " + e.what());
  }
  return out;
}

Json train_scenario_to_json(const TrainScenario& s) {
  Json doc = dag::dag_scenario_to_json(dag::DagScenario{s.name, s.description, s.spec});
  doc["train"] = train_config_to_json(s.config);
  return doc;
}

}  // namespace sglab::dynamics
