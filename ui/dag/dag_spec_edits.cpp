#include "ui/dag/dag_spec_edits.hpp"

#include <algorithm>

namespace sglab::ui {

namespace {

dag::DagLayerSpec* layer_at(dag::DagSpec& spec, int layer) {
  if (layer < 1 || layer > static_cast<int>(spec.layers.size())) return nullptr;
  return &spec.layers[static_cast<std::size_t>(layer - 1)];
}

// Keeps the per-node λ overrides of a layer whose draws are forgotten.
void forget_layer(dag::DagLayerSpec& l) {
  bool any_lambda = false;
  for (const auto& n : l.nodes) any_lambda = any_lambda || n.lambda.has_value();
  if (!any_lambda || static_cast<int>(l.nodes.size()) != l.width) {
    l.nodes.clear();
    return;
  }
  for (auto& n : l.nodes) {
    const std::optional<double> lambda = n.lambda;
    n = dag::DagNodeSpec{};
    n.lambda = lambda;
  }
}

}  // namespace

void forget_draws_from_layer(dag::DagSpec& spec, int layer) {
  const DagTeacherMode mode = teacher_mode(spec);
  for (int l = std::max(layer, 1); l <= static_cast<int>(spec.layers.size()); ++l)
    forget_layer(*layer_at(spec, l));
  if (!spec.layers.empty() && static_cast<int>(spec.terminals.size()) != spec.layers.back().width)
    spec.terminals.clear();
  set_teacher_mode(spec, mode);
}

void set_inputs(dag::DagSpec& spec, int inputs) {
  spec.inputs = inputs;
  if (!spec.layers.empty()) spec.layers[0].fan_in = std::min(spec.layers[0].fan_in, inputs);
  forget_draws_from_layer(spec, 1);
}

void set_layer_width(dag::DagSpec& spec, int layer, int width) {
  dag::DagLayerSpec* l = layer_at(spec, layer);
  if (l == nullptr || l->width == width) return;
  l->width = width;
  l->nodes.clear();
  // The next layer's fan-in cannot exceed this width.
  if (dag::DagLayerSpec* next = layer_at(spec, layer + 1))
    next->fan_in = std::min(next->fan_in, width);
  forget_draws_from_layer(spec, layer + 1);
  const DagTeacherMode mode = teacher_mode(spec);
  if (layer == static_cast<int>(spec.layers.size())) spec.terminals.clear();
  set_teacher_mode(spec, mode);
}

void set_layer_fan_in(dag::DagSpec& spec, int layer, int fan_in) {
  dag::DagLayerSpec* l = layer_at(spec, layer);
  if (l == nullptr || l->fan_in == fan_in) return;
  l->fan_in = fan_in;
  forget_draws_from_layer(spec, layer);
}

void set_layer_q(dag::DagSpec& spec, int layer, double q) {
  dag::DagLayerSpec* l = layer_at(spec, layer);
  if (l == nullptr) return;
  l->q = q;
  for (auto& n : l->nodes) n.q = q;
}

void set_layer_activation(dag::DagSpec& spec, int layer, dag::Activation activation) {
  if (dag::DagLayerSpec* l = layer_at(spec, layer)) l->activation = activation;
}

void add_hidden_layer(dag::DagSpec& spec) {
  dag::DagLayerSpec hidden;
  hidden.width = 2;
  hidden.activation = dag::Activation::tanh;
  const int position = std::max(0, static_cast<int>(spec.layers.size()) - 1);
  spec.layers.insert(spec.layers.begin() + position, hidden);
  forget_draws_from_layer(spec, position + 1);
}

void remove_hidden_layer(dag::DagSpec& spec, int layer) {
  if (layer < 1 || layer >= static_cast<int>(spec.layers.size())) return;
  spec.layers.erase(spec.layers.begin() + (layer - 1));
  const int previous_width = dag_layer_width(spec, layer - 1);
  if (dag::DagLayerSpec* l = layer_at(spec, layer)) l->fan_in = std::min(l->fan_in, previous_width);
  forget_draws_from_layer(spec, layer);
}

void set_sigma(dag::DagSpec& spec, double sigma) {
  spec.sigma = sigma;
  for (auto& t : spec.terminals) t.sigma = sigma;
}

void set_teacher_mode(dag::DagSpec& spec, DagTeacherMode mode) {
  if (spec.layers.empty()) return;
  spec.terminals.resize(static_cast<std::size_t>(spec.layers.back().width));
  for (auto& t : spec.terminals) {
    t.teacher = {};
    if (mode == DagTeacherMode::kInputs)
      for (int i = 0; i < spec.inputs; ++i) t.teacher.reads.push_back(i);
  }
}

DagTeacherMode teacher_mode(const dag::DagSpec& spec) {
  if (spec.layers.empty() || spec.terminals.empty()) return DagTeacherMode::kParents;
  const auto& t = spec.terminals.front();
  const auto& last = spec.layers.back();
  if (!last.nodes.empty() && t.teacher.reads == last.nodes.front().parents)
    return DagTeacherMode::kParents;
  if (static_cast<int>(t.teacher.reads.size()) == spec.inputs) {
    bool inputs = true;
    for (int i = 0; i < spec.inputs; ++i)
      inputs = inputs && t.teacher.reads[static_cast<std::size_t>(i)] == i;
    if (inputs) return DagTeacherMode::kInputs;
  }
  return DagTeacherMode::kParents;
}

void set_global_lambda(dag::DagSpec& spec, double lambda) {
  spec.lambda = lambda;
  for (auto& l : spec.layers)
    for (auto& n : l.nodes) n.lambda.reset();
}

void set_node_lambda(dag::DagSpec& spec, int node, std::optional<double> lambda) {
  const int layer = dag_layer_of_node(spec, node);
  dag::DagLayerSpec* l = layer_at(spec, layer);
  if (l == nullptr) return;
  if (l->nodes.empty()) l->nodes.resize(static_cast<std::size_t>(l->width));
  l->nodes[static_cast<std::size_t>(node - dag_layer_first_node(spec, layer))].lambda = lambda;
}

std::optional<double> node_lambda(const dag::DagSpec& spec, int node) {
  const int layer = dag_layer_of_node(spec, node);
  if (layer < 1) return std::nullopt;
  const auto& l = spec.layers[static_cast<std::size_t>(layer - 1)];
  if (l.nodes.empty()) return std::nullopt;
  return l.nodes[static_cast<std::size_t>(node - dag_layer_first_node(spec, layer))].lambda;
}

bool has_node_lambdas(const dag::DagSpec& spec) {
  for (const auto& l : spec.layers)
    for (const auto& n : l.nodes)
      if (n.lambda) return true;
  return false;
}

void reseed(dag::DagSpec& spec, std::uint64_t seed) {
  spec.seed = seed;
  forget_draws_from_layer(spec, 1);
}

}  // namespace sglab::ui
