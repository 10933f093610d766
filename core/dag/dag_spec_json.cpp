#include "core/dag/dag_spec_json.hpp"

#include <limits>

#include "core/dag/dag_generation.hpp"
#include "core/dag/dag_validation.hpp"
#include "core/config/json_reader.hpp"
#include "core/util/error.hpp"

namespace sglab::dag {

namespace {

using config::JsonObjectReader;
using Json = nlohmann::json;

constexpr double kHuge = 1e300;
constexpr std::int64_t kMaxIndex = 1 << 20;

const Json& array_member(JsonObjectReader& reader, const std::string& key) {
  const Json& value = reader.raw(key);
  if (!value.is_array())
    throw Error(reader.child_path(key) + ": expected an array, got " + std::string(value.type_name()));
  return value;
}

std::vector<int> to_int_vector(const std::vector<std::int64_t>& xs) {
  return std::vector<int>(xs.begin(), xs.end());
}

std::optional<double> optional_number(JsonObjectReader& reader, const std::string& key, double lo,
                                      double hi) {
  if (!reader.has(key)) {
    reader.number(key, 0.0, lo, hi);  // marks the key as known
    return std::nullopt;
  }
  return reader.number(key, 0.0, lo, hi);
}

DagNodeSpec node_from_json(const Json& object, const std::string& path) {
  JsonObjectReader reader(object, path);
  DagNodeSpec node;
  node.parents = to_int_vector(reader.integer_list("parents", {}, -kMaxIndex, kMaxIndex));
  node.weights = reader.number_list("weights", {}, -kHuge, kHuge);
  node.bias = optional_number(reader, "bias", -kHuge, kHuge);
  node.q = optional_number(reader, "q", 0.0, 1.0);
  node.lambda = optional_number(reader, "lambda", 0.0, 1.0);
  reader.finish();
  return node;
}

DagLayerSpec layer_from_json(const Json& object, const std::string& path) {
  JsonObjectReader reader(object, path);
  DagLayerSpec layer;
  if (!reader.has("width")) throw Error(reader.child_path("width") + ": missing");
  layer.width = static_cast<int>(reader.integer("width", 1, 1, DagLimits::kMaxLayerWidth));
  layer.activation = *activation_from_name(reader.choice("activation", "tanh", {"identity", "tanh"}));
  layer.fan_in = static_cast<int>(reader.integer("fan_in", 0, 0, DagLimits::kMaxLayerWidth));
  layer.q = reader.number("q", 1.0, 0.0, 1.0);
  if (reader.has("nodes")) {
    const Json& nodes = array_member(reader, "nodes");
    for (std::size_t k = 0; k < nodes.size(); ++k)
      layer.nodes.push_back(node_from_json(nodes[k], reader.child_path("nodes") + "[" + std::to_string(k) + "]"));
  }
  reader.finish();
  return layer;
}

DagTerminalSpec terminal_from_json(const Json& object, const std::string& path) {
  JsonObjectReader reader(object, path);
  DagTerminalSpec terminal;
  terminal.sigma = optional_number(reader, "sigma", 0.0, kHuge);
  if (reader.has("teacher")) {
    JsonObjectReader teacher(reader.raw("teacher"), reader.child_path("teacher"));
    terminal.teacher.reads = to_int_vector(teacher.integer_list("reads", {}, -kMaxIndex, kMaxIndex));
    terminal.teacher.weights = teacher.number_list("weights", {}, -kHuge, kHuge);
    teacher.finish();
  }
  reader.finish();
  return terminal;
}

}  // namespace

DagSpec dag_spec_from_json(const Json& dag_object, const std::string& path) {
  JsonObjectReader reader(dag_object, path);
  DagSpec spec;
  if (!reader.has("inputs")) throw Error(reader.child_path("inputs") + ": missing");
  spec.inputs = static_cast<int>(reader.integer("inputs", 3, 1, DagLimits::kMaxInputs));
  spec.seed = reader.unsigned_integer("seed", 1, std::numeric_limits<std::uint64_t>::max());
  spec.sigma = reader.number("sigma", 0.0, 0.0, kHuge);
  spec.lambda = reader.number("lambda", 1.0, 0.0, 1.0);
  spec.predictor = *predictor_from_name(reader.choice(
      "predictor", "oracle", {"oracle", "best-linear", "learned-table", "learned-linear"}));
  const Json& layers = array_member(reader, "layers");
  if (layers.size() > static_cast<std::size_t>(DagLimits::kMaxLayers))
    throw Error(reader.child_path("layers") + ": more than " + std::to_string(DagLimits::kMaxLayers) + " layers");
  for (std::size_t l = 0; l < layers.size(); ++l)
    spec.layers.push_back(layer_from_json(layers[l], reader.child_path("layers") + "[" + std::to_string(l) + "]"));
  if (reader.has("terminals")) {
    const Json& terminals = array_member(reader, "terminals");
    for (std::size_t t = 0; t < terminals.size(); ++t)
      spec.terminals.push_back(
          terminal_from_json(terminals[t], reader.child_path("terminals") + "[" + std::to_string(t) + "]"));
  }
  reader.finish();
  return resolve_dag_spec(std::move(spec), path);
}

Json dag_spec_to_json(const DagSpec& unresolved) {
  const DagSpec spec = resolve_dag_spec(unresolved);
  Json out = Json::object();
  out["inputs"] = spec.inputs;
  out["seed"] = spec.seed;
  out["sigma"] = spec.sigma;
  out["lambda"] = spec.lambda;
  out["predictor"] = predictor_name(spec.predictor);
  Json layers = Json::array();
  for (const auto& layer : spec.layers) {
    Json l = Json::object();
    l["width"] = layer.width;
    l["activation"] = activation_name(layer.activation);
    l["fan_in"] = layer.fan_in;
    l["q"] = layer.q;
    Json nodes = Json::array();
    for (const auto& node : layer.nodes) {
      Json n = Json::object();
      n["parents"] = node.parents;
      n["weights"] = node.weights;
      n["bias"] = *node.bias;
      n["q"] = *node.q;
      if (node.lambda) n["lambda"] = *node.lambda;
      nodes.push_back(std::move(n));
    }
    l["nodes"] = std::move(nodes);
    layers.push_back(std::move(l));
  }
  out["layers"] = std::move(layers);
  Json terminals = Json::array();
  for (const auto& terminal : spec.terminals) {
    Json t = Json::object();
    t["sigma"] = *terminal.sigma;
    t["teacher"] = {{"reads", terminal.teacher.reads}, {"weights", terminal.teacher.weights}};
    terminals.push_back(std::move(t));
  }
  out["terminals"] = std::move(terminals);
  return out;
}

DagSpec dag_spec_of(const config::Scenario& scenario, const std::string& source) {
  const Json* body = scenario.body("dag");
  if (!body) throw Error(source + ": has no \"dag\" body (the network this command analyses)");
  return dag_spec_from_json(*body, "dag");
}

}  // namespace sglab::dag
