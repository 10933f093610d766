#pragma once
// DagNetwork: a resolved DagSpec flattened for fast evaluation. Nodes keep the
// global numbering of dag_spec.hpp (inputs first, then layer by layer), so a
// loop over node indices in increasing order is a topological order.

#include <cstdint>
#include <vector>

#include "core/dag/dag_spec.hpp"

namespace sglab::dag {

struct DagNetwork {
  int input_count = 0;
  int node_count = 0;
  int layer_count = 0;                 ///< L: layer of the terminals
  std::vector<int> layer;              ///< per node
  std::vector<int> layer_width;        ///< per layer 0..L

  // Parents of node i: edges parent_begin[i] .. parent_begin[i+1]-1 (inputs: none).
  std::vector<int> parent_begin;
  std::vector<int> parent;
  std::vector<double> weight;          ///< w_ip, aligned with `parent`

  // Children of node i: child_begin[i] .. child_begin[i+1]-1; child_edge is the
  // edge index (into parent/weight) of the edge i → child.
  std::vector<int> child_begin;
  std::vector<int> child;
  std::vector<int> child_edge;

  std::vector<double> bias;
  std::vector<Activation> activation;
  std::vector<double> keep_q;          ///< q_i (1 for inputs and nodes without dropout)
  std::vector<double> lambda;          ///< λ_i (terminals and inputs: unused)
  std::vector<int> dropout_nodes;      ///< nodes with q < 1, increasing
  std::vector<int> dropout_slot;       ///< per node: index in dropout_nodes or -1

  std::vector<int> terminals;          ///< terminal node ids, increasing
  std::vector<double> sigma;           ///< σ_t per terminal
  std::vector<int> noisy_terminals;    ///< indices into `terminals` with σ_t > 0
  std::vector<int> teacher_begin;      ///< per terminal, into teacher_read/teacher_weight
  std::vector<int> teacher_read;
  std::vector<double> teacher_weight;

  PredictorKind predictor = PredictorKind::oracle;
  std::uint64_t seed = 1;              ///< the spec's seed (sample mode draws from it)

  bool is_terminal(int node) const { return layer[static_cast<std::size_t>(node)] == layer_count; }
  int parent_count(int node) const {
    return parent_begin[static_cast<std::size_t>(node) + 1] - parent_begin[static_cast<std::size_t>(node)];
  }
  int max_parent_count() const;
};

/// Flattens a spec (resolving it first if needed).
DagNetwork build_dag_network(const DagSpec& spec);

}  // namespace sglab::dag
