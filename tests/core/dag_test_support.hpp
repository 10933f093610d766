#pragma once
// Shared helpers of the DAG tests: presets, small specs built in code.

#include <string>

#include "core/dag/dag_generation.hpp"
#include "core/dag/dag_spec.hpp"
#include "core/dag/dag_spec_json.hpp"

namespace sglab::dag::testing {

inline std::string preset_path(const std::string& name) {
  return std::string(SGLAB_SOURCE_DIR) + "/assets/presets/" + name + ".json";
}

inline DagLayerSpec layer(int width, Activation activation, int fan_in = 0, double q = 1.0) {
  DagLayerSpec l;
  l.width = width;
  l.activation = activation;
  l.fan_in = fan_in;
  l.q = q;
  return l;
}

/// A small graph with every feature at once: sparse fan-in, dropout on one
/// node, two terminals (one noisy), a teacher reading outside its parents.
inline DagSpec mixed_feature_spec(std::uint64_t seed = 7) {
  DagSpec spec;
  spec.inputs = 3;
  spec.seed = seed;
  spec.sigma = 0.0;
  spec.layers = {layer(3, Activation::tanh, 2), layer(2, Activation::tanh), layer(2, Activation::identity)};
  spec = resolve_dag_spec(spec);
  spec.layers[0].nodes[1].q = 0.7;
  spec.layers[1].nodes[0].q = 0.6;
  spec.terminals[0].sigma = 0.3;
  spec.terminals[1].teacher.reads = {0, 5};
  spec.terminals[1].teacher.weights = {0.8, -0.5};
  spec.layers[0].nodes[0].lambda = 0.5;
  return resolve_dag_spec(spec);
}

}  // namespace sglab::dag::testing
