#include "core/dag/dag_validation.hpp"

#include <cmath>
#include <set>
#include <sstream>

#include "core/util/error.hpp"

namespace sglab::dag {

namespace {

std::string layer_path(const std::string& path, std::size_t l) {
  return path + ".layers[" + std::to_string(l) + "]";
}

std::string number_text(double x) {
  std::ostringstream out;
  out << x;
  return out.str();
}

void require_finite(double x, const std::string& field) {
  if (!std::isfinite(x)) throw Error(field + ": must be a finite number");
}

// THEORY.md §7: x_i = ξ_i h_i / q_i with ξ_i ~ Bernoulli(q_i) needs q ∈ (0, 1].
void require_keep_probability(double q, const std::string& field) {
  if (!(q > 0.0 && q <= 1.0))
    throw Error(field + ": keep probability q = " + number_text(q) + " is not in (0, 1]");
}

void require_lambda(double lambda, const std::string& field) {
  if (!(lambda >= 0.0 && lambda <= 1.0))
    throw Error(field + ": mixing weight lambda = " + number_text(lambda) + " is not in [0, 1]");
}

void require_sigma(double sigma, const std::string& field) {
  if (!(sigma >= 0.0) || !std::isfinite(sigma))
    throw Error(field + ": terminal noise sigma = " + number_text(sigma) + " must be >= 0");
}

}  // namespace

void validate_dag_structure(const DagSpec& spec, const std::string& path) {
  if (spec.inputs < 1 || spec.inputs > DagLimits::kMaxInputs)
    throw Error(path + ".inputs: " + std::to_string(spec.inputs) + " is out of range [1, " +
                std::to_string(DagLimits::kMaxInputs) + "]");
  if (spec.layers.empty())
    throw Error(path + ".layers: at least one layer (the terminal layer) is required");
  if (spec.layers.size() > static_cast<std::size_t>(DagLimits::kMaxLayers))
    throw Error(path + ".layers: more than " + std::to_string(DagLimits::kMaxLayers) + " layers");
  int previous_width = spec.inputs;
  long total = spec.inputs;
  for (std::size_t l = 0; l < spec.layers.size(); ++l) {
    const auto& layer = spec.layers[l];
    const std::string lp = layer_path(path, l);
    if (layer.width < 1 || layer.width > DagLimits::kMaxLayerWidth)
      throw Error(lp + ".width: " + std::to_string(layer.width) + " is out of range [1, " +
                  std::to_string(DagLimits::kMaxLayerWidth) + "]");
    if (layer.fan_in < 0)
      throw Error(lp + ".fan_in: " + std::to_string(layer.fan_in) + " is negative (0 = dense)");
    if (layer.fan_in > previous_width)
      throw Error(lp + ".fan_in: " + std::to_string(layer.fan_in) +
                  " is larger than the previous layer's width " + std::to_string(previous_width));
    require_keep_probability(layer.q, lp + ".q");
    if (!layer.nodes.empty() && layer.nodes.size() != static_cast<std::size_t>(layer.width))
      throw Error(lp + ".nodes: lists " + std::to_string(layer.nodes.size()) +
                  " nodes but width is " + std::to_string(layer.width));
    total += layer.width;
    previous_width = layer.width;
  }
  if (total > DagLimits::kMaxNodes)
    throw Error(path + ".layers: " + std::to_string(total) + " nodes in all, more than " +
                std::to_string(DagLimits::kMaxNodes));
  require_sigma(spec.sigma, path + ".sigma");
  require_lambda(spec.lambda, path + ".lambda");
  const int terminal_count = spec.layers.back().width;
  if (!spec.terminals.empty() && spec.terminals.size() != static_cast<std::size_t>(terminal_count))
    throw Error(path + ".terminals: lists " + std::to_string(spec.terminals.size()) +
                " terminals but the last layer has width " + std::to_string(terminal_count));
}

void validate_resolved_dag_spec(const DagSpec& spec, const std::string& path) {
  validate_dag_structure(spec, path);
  const int node_count = dag_node_count(spec);
  const int layer_count = static_cast<int>(spec.layers.size());
  for (std::size_t l = 0; l < spec.layers.size(); ++l) {
    const auto& layer = spec.layers[l];
    const int this_layer = static_cast<int>(l) + 1;
    const std::string lp = layer_path(path, l);
    if (layer.nodes.size() != static_cast<std::size_t>(layer.width))
      throw Error(lp + ".nodes: not resolved (expected " + std::to_string(layer.width) + " nodes)");
    for (std::size_t k = 0; k < layer.nodes.size(); ++k) {
      const auto& node = layer.nodes[k];
      const std::string np = lp + ".nodes[" + std::to_string(k) + "]";
      if (node.parents.empty()) throw Error(np + ".parents: a non-input node needs at least one parent");
      std::set<int> seen;
      for (std::size_t j = 0; j < node.parents.size(); ++j) {
        const int p = node.parents[j];
        const std::string pp = np + ".parents[" + std::to_string(j) + "]";
        if (p < 0 || p >= node_count)
          throw Error(pp + ": node " + std::to_string(p) + " does not exist (nodes are 0.." +
                      std::to_string(node_count - 1) + ")");
        const int parent_layer = dag_layer_of_node(spec, p);
        if (parent_layer >= this_layer)
          throw Error(pp + ": node " + std::to_string(p) + " is in layer " +
                      std::to_string(parent_layer) + ", not in a layer before " +
                      std::to_string(this_layer));
        if (!seen.insert(p).second)
          throw Error(pp + ": node " + std::to_string(p) + " is listed twice");
      }
      if (node.weights.size() != node.parents.size())
        throw Error(np + ".weights: " + std::to_string(node.weights.size()) + " weights for " +
                    std::to_string(node.parents.size()) + " parents");
      for (std::size_t j = 0; j < node.weights.size(); ++j)
        require_finite(node.weights[j], np + ".weights[" + std::to_string(j) + "]");
      if (!node.bias) throw Error(np + ".bias: not resolved");
      require_finite(*node.bias, np + ".bias");
      if (!node.q) throw Error(np + ".q: not resolved");
      require_keep_probability(*node.q, np + ".q");
      if (node.lambda) require_lambda(*node.lambda, np + ".lambda");
    }
  }
  const int terminal_first = dag_layer_first_node(spec, layer_count);
  if (spec.terminals.size() != static_cast<std::size_t>(spec.layers.back().width))
    throw Error(path + ".terminals: not resolved (expected one entry per terminal)");
  for (std::size_t t = 0; t < spec.terminals.size(); ++t) {
    const auto& terminal = spec.terminals[t];
    const std::string tp = path + ".terminals[" + std::to_string(t) + "]";
    if (!terminal.sigma) throw Error(tp + ".sigma: not resolved");
    require_sigma(*terminal.sigma, tp + ".sigma");
    const auto& teacher = terminal.teacher;
    if (teacher.reads.empty()) throw Error(tp + ".teacher.reads: the teacher must read at least one node");
    std::set<int> seen;
    for (std::size_t j = 0; j < teacher.reads.size(); ++j) {
      const int r = teacher.reads[j];
      const std::string rp = tp + ".teacher.reads[" + std::to_string(j) + "]";
      if (r < 0 || r >= node_count)
        throw Error(rp + ": node " + std::to_string(r) + " does not exist (nodes are 0.." +
                    std::to_string(node_count - 1) + ")");
      if (r >= terminal_first)
        throw Error(rp + ": node " + std::to_string(r) +
                    " is a terminal; a teacher reads input or hidden nodes");
      if (!seen.insert(r).second) throw Error(rp + ": node " + std::to_string(r) + " is listed twice");
    }
    if (teacher.weights.size() != teacher.reads.size())
      throw Error(tp + ".teacher.weights: " + std::to_string(teacher.weights.size()) +
                  " weights for " + std::to_string(teacher.reads.size()) + " read nodes");
    for (std::size_t j = 0; j < teacher.weights.size(); ++j)
      require_finite(teacher.weights[j], tp + ".teacher.weights[" + std::to_string(j) + "]");
  }
}

}  // namespace sglab::dag
