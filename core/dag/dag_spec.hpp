#pragma once
// DagSpec: the configuration of the small-DAG lab (THEORY.md §7).
//
// Node numbering (used by parent lists, teachers and every report): inputs are
// nodes 0 .. inputs-1 (layer 0); then the nodes of layers[0] (layer 1), then
// layers[1] (layer 2), and so on. The last layer holds the terminal nodes.
//
// A spec is "resolved" once every node has explicit parents, weights, bias and
// keep probability, and every terminal an explicit sigma and teacher
// (resolve_dag_spec in dag_generation.hpp). Loading a scenario always resolves,
// and saving writes the resolved form, so a file pins the exact network.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sglab::dag {

/// φ_i of THEORY.md §7: h_i = φ_i(pre_i).
enum class Activation { identity, tanh };

/// How a child predicts the message it sends to a parent (THEORY.md §7, Predictors).
enum class PredictorKind { oracle, best_linear, learned_table, learned_linear };

const char* activation_name(Activation activation);
const char* predictor_name(PredictorKind predictor);
/// Inverse of the *_name functions; std::nullopt for an unknown name.
std::optional<Activation> activation_from_name(const std::string& name);
std::optional<PredictorKind> predictor_from_name(const std::string& name);

struct DagNodeSpec {
  std::vector<int> parents;       ///< global node indices, each in an earlier layer
  std::vector<double> weights;    ///< w_ip, one per parent (empty before resolution = draw from seed)
  std::optional<double> bias;     ///< b_i (unset before resolution = draw from seed)
  std::optional<double> q;        ///< keep probability of ξ_i ~ Bernoulli(q) (unset = the layer's q)
  std::optional<double> lambda;   ///< λ_i, weight on synthetic feedback (unset = DagSpec::lambda)
};

struct DagLayerSpec {
  int width = 1;
  Activation activation = Activation::tanh;
  int fan_in = 0;                 ///< parents drawn from the previous layer; 0 = dense
  double q = 1.0;                 ///< default keep probability of this layer's nodes (1 = no dropout)
  std::vector<DagNodeSpec> nodes; ///< empty = generate all `width` nodes from the seed
};

struct DagTeacherSpec {
  std::vector<int> reads;         ///< nodes y_t reads (empty before resolution = the terminal's parents)
  std::vector<double> weights;    ///< v_t, one per read node (empty before resolution = draw from seed)
};

struct DagTerminalSpec {
  std::optional<double> sigma;    ///< σ_t (unset = DagSpec::sigma)
  DagTeacherSpec teacher;
};

struct DagSpec {
  int inputs = 3;
  std::vector<DagLayerSpec> layers;         ///< layers 1..L; layers.back() holds the terminals
  double sigma = 0.0;                       ///< default terminal noise scale σ_t
  std::vector<DagTerminalSpec> terminals;   ///< empty (all defaults) or one per terminal
  PredictorKind predictor = PredictorKind::oracle;
  double lambda = 1.0;                      ///< default λ_i of every non-terminal node
  std::uint64_t seed = 1;
};

/// Total node count, inputs included.
int dag_node_count(const DagSpec& spec);
/// Global index of the first node of layer `layer` (0 = inputs, l = layers[l-1]).
int dag_layer_first_node(const DagSpec& spec, int layer);
/// Layer (0 = inputs) of a global node index; -1 when out of range.
int dag_layer_of_node(const DagSpec& spec, int node);
/// Width of layer `layer` (0 = inputs).
int dag_layer_width(const DagSpec& spec, int layer);

}  // namespace sglab::dag
