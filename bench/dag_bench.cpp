// Speed of the DAG lab (issue 4 targets): each preset's exact analysis < 50 ms;
// exact mode on 2^20 outcomes with 32 nodes < 2 s (and < 2 GB, measured with
// /usr/bin/time -v on the CLI); sample mode with 10^5 samples x 100 trials on
// the same graph < 5 s.
// The large graph is also a scenario file for the CLI: bench/dag_32_nodes.json
// (best-linear, so sample mode learns least squares) and
// bench/dag_32_nodes_table.json (oracle, so sample mode learns the table), e.g.
//   /usr/bin/time -v sglab-cli dag --scenario bench/dag_32_nodes.json --mode sample
//       --samples 100000 --trials 100 --json --out /tmp/out.json
// Note: "CPU" below is the main thread's CPU time; trials run on every core.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>

#include "core/labs/scenario_files.hpp"
#include "core/dag/dag_conditions.hpp"
#include "core/dag/dag_exact_analysis.hpp"
#include "core/dag/dag_generation.hpp"
#include "core/dag/dag_network.hpp"
#include "core/dag/dag_sample_mode.hpp"
#include "core/dag/dag_spec_json.hpp"

namespace {

using namespace sglab::dag;

std::string preset_path(const std::string& name) {
  return std::string(SGLAB_SOURCE_DIR) + "/assets/presets/" + name + ".json";
}

DagLayerSpec make_layer(int width, Activation activation, int fan_in, double q) {
  DagLayerSpec layer;
  layer.width = width;
  layer.activation = activation;
  layer.fan_in = fan_in;
  layer.q = q;
  return layer;
}

// 10 inputs → 8 tanh (fan-in 3) → 8 tanh (fan-in 3, dropout q = 0.8) → 4 tanh
// (fan-in 3) → 2 linear terminals with σ = 0.5: 32 nodes, 2^(10+8+2) = 2^20 outcomes.
DagSpec large_spec() {
  DagSpec spec;
  spec.inputs = 10;
  spec.seed = 2024;
  spec.sigma = 0.5;
  spec.layers = {make_layer(8, Activation::tanh, 3, 1.0), make_layer(8, Activation::tanh, 3, 0.8),
                 make_layer(4, Activation::tanh, 3, 1.0), make_layer(2, Activation::identity, 0, 1.0)};
  return resolve_dag_spec(spec);
}

void BM_DagExactPreset(benchmark::State& state, const std::string& name) {
  const DagNetwork net = build_dag_network(sglab::labs::load_dag_spec(preset_path(name)));
  for (auto _ : state) {
    auto analysis = analyze_dag_exact(net);
    auto conditions = assess_dag_conditions(net, analysis, {1, 4, 16, 64});
    benchmark::DoNotOptimize(conditions);
  }
}
BENCHMARK_CAPTURE(BM_DagExactPreset, T1, std::string("T1_dense_deterministic"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_DagExactPreset, T2, std::string("T2_noisy_feedback"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_DagExactPreset, T3, std::string("T3_stochastic_neurons"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_DagExactPreset, T4, std::string("T4_imperfect_predictor"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_DagExactPreset, T5, std::string("T5_sparse"))->Unit(benchmark::kMillisecond);

void BM_DagExactLarge(benchmark::State& state) {
  DagSpec spec = large_spec();
  spec.predictor = state.range(1) ? PredictorKind::best_linear : PredictorKind::oracle;
  const DagNetwork net = build_dag_network(spec);
  DagExactOptions options;
  options.threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    auto analysis = analyze_dag_exact(net, options);
    benchmark::DoNotOptimize(analysis);
  }
  state.counters["outcomes"] = static_cast<double>(dag_outcome_space(net).outcome_count());
  state.counters["nodes"] = net.node_count;
}
// Args: threads (0 = all cores), predictor (0 oracle, 1 best-linear).
BENCHMARK(BM_DagExactLarge)->Args({1, 0})->Args({0, 0})->Args({0, 1})->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_DagSampleLarge(benchmark::State& state) {
  DagSpec spec = large_spec();
  spec.predictor = state.range(1) ? PredictorKind::learned_table : PredictorKind::best_linear;
  const DagNetwork net = build_dag_network(spec);
  DagSampleOptions options;
  options.samples_per_trial = 100000;
  options.trials = 100;
  options.threads = 0;
  options.learned = state.range(0) != 0;
  for (auto _ : state) {
    auto result = run_dag_sample_mode(net, options);  // includes the exact analysis for μ and Lemma 1
    benchmark::DoNotOptimize(result);
  }
}
// Args: learned predictor on/off, learned kind (0 least squares, 1 table).
BENCHMARK(BM_DagSampleLarge)->Args({0, 0})->Args({1, 0})->Args({1, 1})->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
