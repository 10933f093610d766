// Bandit lab speed (issue 9): the live default (small SparseNet, batch 64,
// BP + SG fixed + SG adaptive each step, evaluations included) in steps/s,
// and one paper-scale policy step per method with its FLOP rate.
//   build/bench/bench_bandit_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include "core/bandit/bandit_session.hpp"
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
  state.counters["steps/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_LiveDefault)->Arg(1)->Arg(2)->Unit(benchmark::kMicrosecond)->UseRealTime();

// Multiply-adds of one SparseNet forward pass per sample (slot maps and keys; the action layer).
double forward_macs(const BanditConfig& c) {
  const double nd = c.n_dim * c.num_parents[0];
  return c.layers * c.width * c.slots * (c.n_dim * nd + nd) + 9.0 * c.width * c.n_dim;
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
  state.SetLabel(method_name(method));
  state.counters["steps/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  // Forward-pass-equivalents per step: BP = forward + backward (≈3); SG adds predictor
  // targets (≈2), predictor predictions and training (≈3) and, adaptive, the λ moments (≈3).
  const double passes = method == Method::kBackprop ? 3.0 : method == Method::kSgFixed ? 8.0 : 11.0;
  state.counters["GFLOP/s(est)"] = benchmark::Counter(
      2.0 * passes * forward_macs(c) * c.batch_size * static_cast<double>(state.iterations()) * 1e-9,
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_PaperScaleStep)
    ->Args({static_cast<int>(Method::kBackprop), 2})
    ->Args({static_cast<int>(Method::kSgFixed), 2})
    ->Args({static_cast<int>(Method::kSgAdaptive), 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(10);

}  // namespace
