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

// One paper-scale neuron's kernels on their own (n 10, S 5, P 5: 50 × 50 maps,
// batch 64, inputs read from 50 random rows of a 2,000-row layer block), in
// multiply-adds per second (element-wise kernels: elements per second), so
// that a change to one kernel can be timed without a whole step.
struct PaperNeuronData {
  static constexpr int kRows = 50, kCols = 50, kSlots = 5, kLayerRows = 2000, kBatch = 64;
  std::vector<double> layer = std::vector<double>(static_cast<std::size_t>(kLayerRows * kBatch));
  std::vector<int> rows = std::vector<int>(kCols);
  std::vector<double> weights = std::vector<double>(static_cast<std::size_t>(kRows * kCols + kRows));
  std::vector<double> out = std::vector<double>(static_cast<std::size_t>(kRows * kBatch));
  std::vector<double> grad = std::vector<double>(static_cast<std::size_t>(kRows * kCols));  // ∂A
  std::vector<double> du = std::vector<double>(static_cast<std::size_t>(kCols * kBatch));   // ∂u, C rows of the batch
  PaperNeuronData() {
    unsigned s = 12345u;
    auto next = [&s] {
      s = s * 1664525u + 1013904223u;
      return static_cast<double>(s >> 8) / 16777216.0 - 0.5;
    };
    for (double& v : layer) v = next();
    for (double& v : weights) v = 0.2 * next();
    for (double& v : out) v = next();
    for (int c = 0; c < kCols; ++c) rows[static_cast<std::size_t>(c)] = (c * 397 + 11) % kLayerRows;
  }
  RowSource inputs() const {
    RowSource in;
    in.base = layer.data();
    in.rows = rows.data();
    in.stride = kBatch;
    return in;
  }
};

void BM_PaperNeuronKernel(benchmark::State& state) {
  PaperNeuronData d;
  const int which = static_cast<int>(state.range(0));
  const RowSource in = d.inputs();
  RowSource t_rows;
  t_rows.base = d.out.data();
  t_rows.stride = PaperNeuronData::kBatch;
  const double* A = d.weights.data();
  const int R = PaperNeuronData::kRows, C = PaperNeuronData::kCols, B = PaperNeuronData::kBatch;
  for (auto _ : state) {
    switch (which) {
      case 0: rows_times_weights(d.out.data(), R, C, A, 1, R, in, 1.0, A + R * C, false); break;  // y = A u + b
      case 1: tanh_inplace(d.out.data(), static_cast<std::size_t>(R * B)); break;
      case 2: accumulate_outer(d.grad.data(), 1, R, R, C, d.out.data(), in, 1.0); break;  // ∂A += t uᵀ
      case 3: rows_times_weights(d.du.data(), C, R, A, R, 1, t_rows, 1.0, nullptr, false); break;  // ∂u = Aᵀ t
      default: break;
    }
    benchmark::ClobberMemory();
    if (which == 1) std::copy(d.layer.begin(), d.layer.begin() + R * B, d.out.begin());  // keep tanh's input varied
  }
  const char* names[] = {"y = A u + b", "tanh", "dA += t u^T", "du = A^T t"};
  state.SetLabel(std::string(names[which]) + " " + batch_kernels_isa());
  const double per_call = which == 1 ? R * B : static_cast<double>(R) * C * B;
  state.counters[which == 1 ? "elements/s" : "MAC/s"] =
      benchmark::Counter(per_call * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_PaperNeuronKernel)->DenseRange(0, 3)->Unit(benchmark::kMicrosecond);
