#include "core/dag/dag_network.hpp"

#include <algorithm>

#include "core/dag/dag_generation.hpp"

namespace sglab::dag {

int DagNetwork::max_parent_count() const {
  int most = 0;
  for (int i = 0; i < node_count; ++i) most = std::max(most, parent_count(i));
  return most;
}

namespace {

// Per node: layer, activation, bias, keep probability, λ, parents and weights
// (edges in node order: parent_begin), dropout slots.
void add_nodes(const DagSpec& spec, DagNetwork& net) {
  const auto n = static_cast<std::size_t>(net.node_count);
  net.layer.assign(n, 0);
  net.bias.assign(n, 0.0);
  net.activation.assign(n, Activation::identity);
  net.keep_q.assign(n, 1.0);
  net.lambda.assign(n, 0.0);
  net.dropout_slot.assign(n, -1);
  net.parent_begin.assign(n + 1, 0);  // inputs have no parents
  net.layer_width.push_back(spec.inputs);
  int node = spec.inputs;
  for (std::size_t l = 0; l < spec.layers.size(); ++l) {
    const auto& layer = spec.layers[l];
    net.layer_width.push_back(layer.width);
    for (const auto& spec_node : layer.nodes) {
      const auto i = static_cast<std::size_t>(node);
      net.layer[i] = static_cast<int>(l) + 1;
      net.activation[i] = layer.activation;
      net.bias[i] = *spec_node.bias;
      net.keep_q[i] = *spec_node.q;
      net.lambda[i] = spec_node.lambda ? *spec_node.lambda : spec.lambda;
      for (std::size_t j = 0; j < spec_node.parents.size(); ++j) {
        net.parent.push_back(spec_node.parents[j]);
        net.weight.push_back(spec_node.weights[j]);
      }
      net.parent_begin[i + 1] = static_cast<int>(net.parent.size());
      if (net.keep_q[i] < 1.0) {
        net.dropout_slot[i] = static_cast<int>(net.dropout_nodes.size());
        net.dropout_nodes.push_back(node);
      }
      ++node;
    }
  }
}

// Children in increasing child order (so sums over children have a fixed order).
void add_children(DagNetwork& net) {
  const auto n = static_cast<std::size_t>(net.node_count);
  std::vector<int> child_count(n, 0);
  for (int p : net.parent) ++child_count[static_cast<std::size_t>(p)];
  net.child_begin.assign(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i) net.child_begin[i + 1] = net.child_begin[i] + child_count[i];
  net.child.assign(net.parent.size(), 0);
  net.child_edge.assign(net.parent.size(), 0);
  std::vector<int> fill(net.child_begin.begin(), net.child_begin.end() - 1);
  for (int c = 0; c < net.node_count; ++c)
    for (int e = net.parent_begin[static_cast<std::size_t>(c)]; e < net.parent_begin[static_cast<std::size_t>(c) + 1]; ++e) {
      const auto p = static_cast<std::size_t>(net.parent[static_cast<std::size_t>(e)]);
      net.child[static_cast<std::size_t>(fill[p])] = c;
      net.child_edge[static_cast<std::size_t>(fill[p])] = e;
      ++fill[p];
    }
}

// The terminals (the last layer), their σ and their teachers.
void add_terminals(const DagSpec& spec, DagNetwork& net) {
  const int terminal_first = net.node_count - spec.layers.back().width;
  for (std::size_t t = 0; t < spec.terminals.size(); ++t) {
    const auto& terminal = spec.terminals[t];
    net.terminals.push_back(terminal_first + static_cast<int>(t));
    net.sigma.push_back(*terminal.sigma);
    if (*terminal.sigma > 0.0) net.noisy_terminals.push_back(static_cast<int>(t));
    net.teacher_begin.push_back(static_cast<int>(net.teacher_read.size()));
    for (std::size_t j = 0; j < terminal.teacher.reads.size(); ++j) {
      net.teacher_read.push_back(terminal.teacher.reads[j]);
      net.teacher_weight.push_back(terminal.teacher.weights[j]);
    }
  }
  net.teacher_begin.push_back(static_cast<int>(net.teacher_read.size()));
}

}  // namespace

DagNetwork build_dag_network(const DagSpec& unresolved) {
  const DagSpec spec = resolve_dag_spec(unresolved);
  DagNetwork net;
  net.input_count = spec.inputs;
  net.node_count = dag_node_count(spec);
  net.layer_count = static_cast<int>(spec.layers.size());
  net.predictor = spec.predictor;
  net.seed = spec.seed;
  add_nodes(spec, net);
  add_children(net);
  add_terminals(spec, net);
  return net;
}

}  // namespace sglab::dag
