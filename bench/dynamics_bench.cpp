// Speed of the mixing-dynamics lab (issue 5 target): training a 40-node sparse
// network with batch 64 at ≥ 2,000 steps per second. One "step" here is one
// step of the session: the shared batch drawn once, then BP, SG fixed and SG
// adaptive each do forward, backward, SGD (and predictor) updates on it, the
// adaptive λ ingredients are computed at every mixing node, and one record is
// appended. Reported as steps_per_s (items_per_second). With exact λ* every 50
// steps: the probe on its own thread (the GUI's way) and inline (the CLI's way).
#include <benchmark/benchmark.h>

#include <ctime>
#include <filesystem>
#include <string>

#include "core/labs/scenario_files.hpp"
#include "core/dag/dag_spec_json.hpp"
#include "core/dynamics/dynamics_session.hpp"
#include "core/dynamics/reference_networks.hpp"

namespace {

using namespace sglab;

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

void run_steps(benchmark::State& state, const dag::DagSpec& spec, std::int64_t exact_every,
               bool background_probes = false) {
  dynamics::TrainConfig config;
  config.steps = 400000;
  config.batch_size = static_cast<int>(state.range(0));
  config.exact_every = exact_every;
  dynamics::DynamicsSession session(spec, config);
  session.set_background_probes(background_probes);
  const double thread_cpu_start = thread_cpu_seconds();
  for (auto _ : state) {
    if (session.finished()) session.reset();
    session.step(1);
  }
  // The training thread's own CPU per step (the probe thread excluded): the
  // rate training keeps when it has a core to itself, whatever the load.
  const double thread_cpu = thread_cpu_seconds() - thread_cpu_start;
  state.counters["steps_per_training_cpu_s"] =
      thread_cpu > 0 ? static_cast<double>(state.iterations()) / thread_cpu : 0.0;
  state.SetItemsProcessed(state.iterations());
  state.counters["steps_per_s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["nodes"] = session.layout().slots();
}

void BM_Sparse40(benchmark::State& state) { run_steps(state, dynamics::sparse40_spec(), 0); }
// The GUI's way (issue 12): the probes on their own thread; wall-clock rate,
// CPU time of the whole process (training + probe threads).
void BM_Sparse40_ExactEvery50(benchmark::State& state) { run_steps(state, dynamics::sparse40_spec(), 50, true); }
// The probe inline, between two steps (the CLI's way).
void BM_Sparse40_ExactEvery50_Inline(benchmark::State& state) { run_steps(state, dynamics::sparse40_spec(), 50); }
void BM_T2(benchmark::State& state) {
  // SGLAB_SOURCE_DIR, not __FILE__ (ccache's base_dir makes that path relative).
  run_steps(state, labs::load_dag_spec(std::string(SGLAB_SOURCE_DIR) + "/assets/presets/T2_noisy_feedback.json"), 0);
}

BENCHMARK(BM_Sparse40)->Arg(64)->Unit(benchmark::kMicrosecond)->MinTime(2.0);
BENCHMARK(BM_Sparse40_ExactEvery50)->Arg(64)->Unit(benchmark::kMicrosecond)->MinTime(2.0)->UseRealTime()->MeasureProcessCPUTime();
BENCHMARK(BM_Sparse40_ExactEvery50_Inline)->Arg(64)->Unit(benchmark::kMicrosecond)->MinTime(2.0);
BENCHMARK(BM_T2)->Arg(64)->Unit(benchmark::kMicrosecond)->MinTime(1.0);

}  // namespace
