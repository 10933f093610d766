#include "core/dag/dag_spec.hpp"

namespace sglab::dag {

const char* activation_name(Activation activation) {
  switch (activation) {
    case Activation::identity: return "identity";
    case Activation::tanh: return "tanh";
  }
  return "?";
}

const char* predictor_name(PredictorKind predictor) {
  switch (predictor) {
    case PredictorKind::oracle: return "oracle";
    case PredictorKind::best_linear: return "best-linear";
    case PredictorKind::learned_table: return "learned-table";
    case PredictorKind::learned_linear: return "learned-linear";
  }
  return "?";
}

std::optional<Activation> activation_from_name(const std::string& name) {
  for (Activation a : {Activation::identity, Activation::tanh})
    if (name == activation_name(a)) return a;
  return std::nullopt;
}

std::optional<PredictorKind> predictor_from_name(const std::string& name) {
  for (PredictorKind p : {PredictorKind::oracle, PredictorKind::best_linear,
                          PredictorKind::learned_table, PredictorKind::learned_linear})
    if (name == predictor_name(p)) return p;
  return std::nullopt;
}

int dag_node_count(const DagSpec& spec) {
  int count = spec.inputs;
  for (const auto& layer : spec.layers) count += layer.width;
  return count;
}

int dag_layer_width(const DagSpec& spec, int layer) {
  if (layer == 0) return spec.inputs;
  return spec.layers[static_cast<std::size_t>(layer - 1)].width;
}

int dag_layer_first_node(const DagSpec& spec, int layer) {
  int first = 0;
  for (int l = 0; l < layer; ++l) first += dag_layer_width(spec, l);
  return first;
}

int dag_layer_of_node(const DagSpec& spec, int node) {
  if (node < 0) return -1;
  int first = 0;
  const int layer_count = static_cast<int>(spec.layers.size());
  for (int l = 0; l <= layer_count; ++l) {
    const int width = dag_layer_width(spec, l);
    if (node < first + width) return l;
    first += width;
  }
  return -1;
}

}  // namespace sglab::dag
