#include "core/dynamics/train_config.hpp"

#include <limits>

#include "core/dag/dag_spec_json.hpp"
#include "core/config/json_reader.hpp"
#include "core/dynamics/reference_networks.hpp"
#include "core/util/error.hpp"

namespace sglab::dynamics {

namespace {

using Json = nlohmann::json;
using config::JsonObjectReader;
using L = TrainLimits;

constexpr std::int64_t kMaxSteps = L::kMaxSteps;

std::optional<double> optional_unit(JsonObjectReader& reader, const std::string& key) {
  if (!reader.has(key)) return std::nullopt;
  return reader.number(key, 0.0, 0.0, 1.0);
}

TrainNetwork network_from_json(const Json& v, const std::string& path) {
  TrainNetwork n;
  if (v.is_string()) {
    const std::string name = v.get<std::string>();
    if (name == "dag") return n;
    if (name == "sparse40") {
      n.kind = TrainNetwork::Kind::kSparse40;
      return n;
    }
    throw Error(path + ": \"" + config::quoted_excerpt(name) + "\" is not \"dag\", \"sparse40\" or an object");
  }
  JsonObjectReader reader(v, path);
  n.kind = TrainNetwork::Kind::kOwnSpec;
  n.name = reader.string("name", "");
  n.spec = dag::dag_spec_from_json(reader.raw("dag"), reader.child_path("dag"));
  reader.finish();
  return n;
}

Json network_to_json(const TrainNetwork& n) {
  switch (n.kind) {
    case TrainNetwork::Kind::kSparse40: return "sparse40";
    case TrainNetwork::Kind::kOwnSpec: return Json{{"name", n.name}, {"dag", dag::dag_spec_to_json(n.spec)}};
    case TrainNetwork::Kind::kScenarioDag: break;
  }
  return "dag";
}

std::string range_message(const std::string& key, const std::string& what) { return key + ": " + what; }

}  // namespace

void validate_train_config(const TrainConfig& c, int node_count, const std::string& path) {
  const std::string p = path.empty() ? "" : path + ".";
  auto fail = [&](const std::string& key, const std::string& what) { throw Error(range_message(p + key, what)); };
  if (c.steps < 1 || c.steps > kMaxSteps) fail("steps", std::to_string(c.steps) + " is outside [1, 1e8]");
  if (c.batch_size < L::kMinBatch || c.batch_size > L::kMaxBatch)
    fail("batch_size", std::to_string(c.batch_size) + " is outside [" + std::to_string(L::kMinBatch) + ", " +
                           std::to_string(L::kMaxBatch) + "] (the sample covariance needs B ≥ 2)");
  auto unit_range = [&](const std::string& key, double v, double hi) {
    if (!(v >= 0.0 && v <= hi)) fail(key, std::to_string(v) + " is outside [0, " + std::to_string(hi) + "]");
  };
  unit_range("learning_rate", c.learning_rate, L::kMaxLearningRate);
  unit_range("predictor_learning_rate", c.predictor_learning_rate, L::kMaxLearningRate);
  unit_range("momentum", c.momentum, 1.0);
  if (c.fixed_lambda) unit_range("fixed_lambda", *c.fixed_lambda, 1.0);
  if (c.initial_lambda) unit_range("initial_lambda", *c.initial_lambda, 1.0);
  if (c.record_every < 1) fail("record_every", std::to_string(c.record_every) + " must be ≥ 1");
  if (c.exact_every < 0) fail("exact_every", std::to_string(c.exact_every) + " must be ≥ 0 (0 = never)");
  if (c.exact_every > 0 && c.exact_every % c.record_every != 0)
    fail("exact_every", std::to_string(c.exact_every) + " must be a multiple of record_every (" +
                            std::to_string(c.record_every) + ") so that every exact value is recorded");
  if (c.eval_every < 0) fail("eval_every", std::to_string(c.eval_every) + " must be ≥ 0 (0 = never)");
  if (c.eval_every > 0 && c.eval_every % c.record_every != 0)
    fail("eval_every", std::to_string(c.eval_every) + " must be a multiple of record_every (" +
                           std::to_string(c.record_every) + ") so that every held-out loss is recorded");
  if (c.eval_size < 1 || c.eval_size > L::kMaxEvalSize)
    fail("eval_size", std::to_string(c.eval_size) + " is outside [1, " + std::to_string(L::kMaxEvalSize) + "]");
  if (static_cast<int>(c.lambda_estimator) < 0 || static_cast<int>(c.lambda_estimator) >= kLambdaEstimatorCount)
    fail("lambda_estimator", "must be \"paper\", \"ratio\" or \"bias_corrected\"");
  if (c.exact_max_outcome_bits < 1 || c.exact_max_outcome_bits > L::kMaxExactOutcomeBits)
    fail("exact_max_outcome_bits", std::to_string(c.exact_max_outcome_bits) + " is outside [1, " +
                                       std::to_string(L::kMaxExactOutcomeBits) + "]");
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
  c.batch_size = static_cast<int>(reader.integer("batch_size", c.batch_size, L::kMinBatch, L::kMaxBatch));
  c.learning_rate = reader.number("learning_rate", c.learning_rate, 0.0, L::kMaxLearningRate);
  c.predictor_learning_rate =
      reader.number("predictor_learning_rate", c.predictor_learning_rate, 0.0, L::kMaxLearningRate);
  c.fixed_lambda = optional_unit(reader, "fixed_lambda");
  c.initial_lambda = optional_unit(reader, "initial_lambda");
  c.momentum = reader.number("momentum", c.momentum, 0.0, 1.0);
  c.unit_normalise = reader.boolean("unit_normalise", c.unit_normalise);
  c.seed = reader.unsigned_integer("seed", c.seed, std::numeric_limits<std::uint64_t>::max());
  c.record_every = reader.integer("record_every", c.record_every, 1, kMaxSteps);
  c.exact_every = reader.integer("exact_every", c.exact_every, 0, kMaxSteps);
  c.exact_max_outcome_bits =
      static_cast<int>(reader.integer("exact_max_outcome_bits", c.exact_max_outcome_bits, 1, L::kMaxExactOutcomeBits));
  c.exact_predictor = reader.choice("exact_predictor", "best-linear", {"best-linear", "oracle"}) == "oracle"
                          ? dag::PredictorKind::oracle
                          : dag::PredictorKind::best_linear;
  lambda_estimator_from_name(reader.choice("lambda_estimator", "paper", {"paper", "ratio", "bias_corrected"}), c.lambda_estimator);
  c.eval_every = reader.integer("eval_every", c.eval_every, 0, kMaxSteps);
  c.eval_size = static_cast<int>(reader.integer("eval_size", c.eval_size, 1, L::kMaxEvalSize));
  if (reader.has("network")) c.network = network_from_json(reader.raw("network"), reader.child_path("network"));
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
  out["lambda_estimator"] = lambda_estimator_name(c.lambda_estimator);
  out["eval_every"] = c.eval_every;
  out["eval_size"] = c.eval_size;
  out["network"] = network_to_json(c.network);
  return out;
}

bool TrainNetwork::operator==(const TrainNetwork& o) const {
  return network_to_json(*this) == network_to_json(o);
}

TrainConfig train_config_of(const config::Scenario& scenario) {
  const Json* body = scenario.body("train");
  return body ? train_config_from_json(*body, "train") : TrainConfig{};
}

dag::DagSpec training_network(const config::Scenario& scenario, const TrainConfig& config) {
  switch (config.network.kind) {
    case TrainNetwork::Kind::kSparse40: return sparse40_spec();
    case TrainNetwork::Kind::kOwnSpec: return config.network.spec;
    case TrainNetwork::Kind::kScenarioDag: break;
  }
  const Json* body = scenario.body("dag");
  if (!body) throw Error("train.network: \"dag\" trains the file's \"dag\" body, and the file has none");
  return dag::dag_spec_from_json(*body, "dag");
}

}  // namespace sglab::dynamics
