#include "core/dag/dag_generation.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/dag/dag_validation.hpp"
#include "core/rng/counter_rng.hpp"

namespace sglab::dag {

namespace {

// Stream purposes of the DAG generator (core/rng: a stream names what numbers are for).
constexpr std::uint64_t kDagParentStream = 0xDA6'0001;
constexpr std::uint64_t kDagWeightStream = 0xDA6'0002;
constexpr std::uint64_t kDagTeacherStream = 0xDA6'0003;

constexpr double kBiasScale = 0.1;  // THEORY.md §7: biases N(0, 0.1²)
// The bias is normal number kBiasDrawIndex of the node's weight stream: past any
// weight index, so the bias does not change when the fan-in does.
constexpr std::uint64_t kBiasDrawIndex = 1u << 20;

std::vector<int> draw_parents(std::uint64_t seed, int node, int first, int width, int fan_in) {
  std::vector<int> pool(static_cast<std::size_t>(width));
  std::iota(pool.begin(), pool.end(), first);
  if (fan_in == 0 || fan_in >= width) return pool;
  // Partial Fisher–Yates: the first fan_in slots end up a uniform subset.
  rng::StreamReader reader(seed, rng::make_stream(kDagParentStream, {static_cast<std::uint64_t>(node)}));
  for (int k = 0; k < fan_in; ++k) {
    const int pick = k + static_cast<int>(reader.next_below(static_cast<std::uint32_t>(width - k)));
    std::swap(pool[static_cast<std::size_t>(k)], pool[static_cast<std::size_t>(pick)]);
  }
  pool.resize(static_cast<std::size_t>(fan_in));
  std::sort(pool.begin(), pool.end());
  return pool;
}

}  // namespace

DagSpec resolve_dag_spec(DagSpec spec, const std::string& path) {
  validate_dag_structure(spec, path);
  const std::uint64_t seed = spec.seed;
  int node = spec.inputs;
  for (std::size_t l = 0; l < spec.layers.size(); ++l) {
    auto& layer = spec.layers[l];
    const int layer_number = static_cast<int>(l) + 1;
    const int prev_first = dag_layer_first_node(spec, layer_number - 1);
    const int prev_width = dag_layer_width(spec, layer_number - 1);
    if (layer.nodes.empty()) layer.nodes.resize(static_cast<std::size_t>(layer.width));
    for (auto& n : layer.nodes) {
      if (n.parents.empty()) n.parents = draw_parents(seed, node, prev_first, prev_width, layer.fan_in);
      const auto stream = rng::make_stream(kDagWeightStream, {static_cast<std::uint64_t>(node)});
      const std::size_t fan_in = n.parents.size();
      if (n.weights.empty()) {
        // THEORY.md §7: weights N(0, 1/fan-in).
        const double scale = 1.0 / std::sqrt(static_cast<double>(fan_in));
        for (std::size_t j = 0; j < fan_in; ++j) n.weights.push_back(scale * rng::normal_at(seed, stream, j));
      }
      if (!n.bias) n.bias = kBiasScale * rng::normal_at(seed, stream, kBiasDrawIndex);
      if (!n.q) n.q = layer.q;
      ++node;
    }
  }
  const int terminal_count = spec.layers.back().width;
  const int terminal_first = dag_layer_first_node(spec, static_cast<int>(spec.layers.size()));
  if (spec.terminals.empty()) spec.terminals.resize(static_cast<std::size_t>(terminal_count));
  for (int t = 0; t < terminal_count; ++t) {
    auto& terminal = spec.terminals[static_cast<std::size_t>(t)];
    if (!terminal.sigma) terminal.sigma = spec.sigma;
    auto& teacher = terminal.teacher;
    if (teacher.reads.empty())
      teacher.reads = spec.layers.back().nodes[static_cast<std::size_t>(t)].parents;
    if (teacher.weights.empty()) {
      // Convention: teacher weights N(0, 1/|S_t|), like a node's weights.
      const auto stream = rng::make_stream(kDagTeacherStream, {static_cast<std::uint64_t>(terminal_first + t)});
      const double scale = 1.0 / std::sqrt(static_cast<double>(teacher.reads.size()));
      for (std::size_t j = 0; j < teacher.reads.size(); ++j)
        teacher.weights.push_back(scale * rng::normal_at(seed, stream, j));
    }
  }
  validate_resolved_dag_spec(spec, path);
  return spec;
}

}  // namespace sglab::dag
