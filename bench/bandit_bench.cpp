// Bandit lab speed (issue 9): the live default (small SparseNet, batch 64,
// BP + SG fixed + SG adaptive each step, evaluations included) in steps/s,
// and paper-scale policy steps per method with their multiply-add rate.
//   build/bench/bench_bandit_bench --benchmark_counters_tabular=true
// The label names the kernel build in use (avx2 or generic, batch_kernels.hpp).
#include <benchmark/benchmark.h>

#include "core/bandit/bandit_session.hpp"
#include "core/bandit/batch_kernels.hpp"
#include "core/bandit/digits_reader.hpp"

namespace {

using namespace sglab::bandit;

BanditConfig with_data(BanditConfig c) {
  try {
    find_digits_file();
  } catch (const std::exception&) {
    c.data = DataSource::kSynthetic;  // no digits installed: same sizes on synthetic contexts
  }
  return c;
}

// One iteration = one step of each of the three runs (BP, SG fixed, SG adaptive).
void BM_LiveDefault(benchmark::State& state) {
  const BanditConfig c = with_data(BanditConfig{});
  const int threads = static_cast<int>(state.range(0));
  auto session = std::make_unique<BanditSession>(c, threads);
  for (auto _ : state) {
    if (session->finished()) {
      state.PauseTiming();
      session = std::make_unique<BanditSession>(c, threads);
      state.ResumeTiming();
    }
    session->advance(1);
  }
  state.SetLabel(batch_kernels_isa());
  state.counters["steps/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_LiveDefault)->Arg(1)->Arg(2)->Unit(benchmark::kMicrosecond)->UseRealTime();

// Multiply-adds of one training step (per batch), counted from the kernels'
// loops: the slot maps and routing keys (A: S·n × nP, K: S × nP per neuron),
// the predictors (C: S·n × nP) and the action keys; element-wise work
// (tanh, softmax, mixtures) is left out.
double step_multiply_adds(const BanditConfig& c, Method m) {
  const double nd = c.n_dim * c.num_parents[0], sn = c.slots * c.n_dim, neurons = c.layers * c.width;
  const double neuron = sn * nd + c.slots * nd, action = 9.0 * c.width * c.n_dim, predictor = sn * nd;
  const double forward = neurons * neuron + action;
  const double input_grads = (c.layers - 1) * c.width * neuron + action;  // ∂/∂u of layers ≥ 1, ∂/∂h of the top
  double macs = forward + (neurons * neuron + action) + input_grads;       // BP: forward, ∂/∂θ, ∂/∂u
  if (m == Method::kSgFixed || m == Method::kSgAdaptive) {
    macs += input_grads + (c.layers - 1) * c.width * predictor;  // bootstrapped targets
    macs += neurons * predictor + c.width * predictor;             // predictor loss: ∂/∂C; predictions of layer 0
                                                                   // (layers ≥ 1 reuse the target pass's)
    macs += neurons * predictor;                                   // ĝ mixed into the policy step
  }
  if (m == Method::kSgAdaptive) macs += 2 * neurons * neuron;  // λ moments: batch sums of w and h
  return macs * c.batch_size;
}

void BM_PaperScaleStep(benchmark::State& state) {
  BanditConfig c = with_data(BanditConfig{});
  apply_paper_scale(c);
  c.eval_points = 1;  // evaluation only at the last step: this times training steps
  const Method method = static_cast<Method>(state.range(0));
  const int threads = static_cast<int>(state.range(1));
  c.methods = {method};
  auto session = std::make_unique<BanditSession>(c, threads);
  for (auto _ : state) session->advance(1);
  state.SetLabel(method_name(method) + " " + batch_kernels_isa());
  state.counters["steps/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["GFLOP/s"] = benchmark::Counter(
      2.0 * step_multiply_adds(c, method) * static_cast<double>(state.iterations()) * 1e-9, benchmark::Counter::kIsRate);
  state.counters["GFLOP/step"] = 2.0 * step_multiply_adds(c, method) * 1e-9;
}
BENCHMARK(BM_PaperScaleStep)
    ->Args({static_cast<int>(Method::kBackprop), 2})
    ->Args({static_cast<int>(Method::kSgFixed), 2})
    ->Args({static_cast<int>(Method::kSgAdaptive), 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(20);

}  // namespace
