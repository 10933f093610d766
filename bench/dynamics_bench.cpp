// Speed of the mixing-dynamics lab (issue 5 target): training a 40-node sparse
// network with batch 64 at ≥ 2,000 steps per second. One "step" here is one
// step of the session: the shared batch drawn once, then BP, SG fixed and SG
// adaptive each do forward, backward, SGD (and predictor) updates on it, the
// adaptive λ ingredients are computed at every mixing node, and one record is
// appended. Reported as steps_per_s (items_per_second).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>

#include "core/dag/dag_spec_json.hpp"
#include "core/dynamics/dynamics_session.hpp"

namespace {

using namespace sglab;

dag::DagLayerSpec make_layer(int width, dag::Activation activation, int fan_in) {
  dag::DagLayerSpec layer;
  layer.width = width;
  layer.activation = activation;
  layer.fan_in = fan_in;
  return layer;
}

// 8 inputs → 16 tanh → 12 tanh → 8 tanh → 4 linear terminals, fan-in 3 everywhere,
// σ = 0.5: 40 trained (non-input) nodes, 120 edges; 2^(8+4) outcomes for exact λ*.
dag::DagSpec sparse40_spec() {
  dag::DagSpec spec;
  spec.inputs = 8;
  spec.seed = 40;
  spec.sigma = 0.5;
  spec.lambda = 0.5;
  spec.layers = {make_layer(16, dag::Activation::tanh, 3), make_layer(12, dag::Activation::tanh, 3),
                 make_layer(8, dag::Activation::tanh, 3), make_layer(4, dag::Activation::identity, 3)};
  return spec;
}

void run_steps(benchmark::State& state, const dag::DagSpec& spec, std::int64_t exact_every) {
  dynamics::TrainConfig config;
  config.steps = 400000;
  config.batch_size = static_cast<int>(state.range(0));
  config.exact_every = exact_every;
  dynamics::DynamicsSession session(spec, config);
  for (auto _ : state) {
    if (session.finished()) session.reset();
    session.step(1);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["steps_per_s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["nodes"] = session.layout().slots();
}

void BM_Sparse40(benchmark::State& state) { run_steps(state, sparse40_spec(), 0); }
void BM_Sparse40_ExactEvery50(benchmark::State& state) { run_steps(state, sparse40_spec(), 50); }
void BM_T2(benchmark::State& state) {
  const auto root = std::filesystem::path(__FILE__).parent_path().parent_path();
  run_steps(state, dag::load_dag_scenario((root / "assets/presets/T2_noisy_feedback.json").string()), 0);
}

BENCHMARK(BM_Sparse40)->Arg(64)->Unit(benchmark::kMicrosecond)->MinTime(2.0);
BENCHMARK(BM_Sparse40_ExactEvery50)->Arg(64)->Unit(benchmark::kMicrosecond)->MinTime(2.0);
BENCHMARK(BM_T2)->Arg(64)->Unit(benchmark::kMicrosecond)->MinTime(1.0);

}  // namespace
