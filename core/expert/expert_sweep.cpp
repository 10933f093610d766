#include "core/expert/expert_sweep.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <mutex>

#include "core/expert/expert_problem.hpp"
#include "core/expert/trial_estimators.hpp"
#include "core/rng/counter_rng.hpp"
#include "core/stats/summary_stats.hpp"

namespace sglab::expert {

namespace {

enum : std::uint64_t { kTrialNoiseStream = 11, kBootstrapStream = 12 };

// Hands each concurrent trial its own buffers; at most `threads` are in use.
class ScratchPool {
 public:
  TrialScratch acquire() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (free_.empty()) return {};
    TrialScratch s = std::move(free_.back());
    free_.pop_back();
    return s;
  }
  void release(TrialScratch s) {
    std::lock_guard<std::mutex> lock(mutex_);
    free_.push_back(std::move(s));
  }

 private:
  std::mutex mutex_;
  std::vector<TrialScratch> free_;
};

std::int64_t total_samples(const SweepConfig& c, int d, int n) {
  if (c.sampling == Sampling::kRandom) return c.random_samples * n;
  return (std::int64_t{1} << d) * n;
}

}  // namespace

SweepResult run_sweep(const SweepConfig& config, const WorkControl* control,
                      const std::function<void(const std::string&)>& on_line) {
  validate(config);
  SweepResult result;
  result.config = config;
  const int threads = resolve_thread_count(config.threads);
  const std::size_t groups = config.ks.size() * config.dims.size();
  std::size_t group_index = 0;
  ScratchPool pool;

  for (int k : config.ks) {
    for (int d : config.dims) {
      const auto start = std::chrono::steady_clock::now();
      // Progress inside this (k, d) is mapped onto the whole sweep.
      WorkControl inner;
      if (control != nullptr) {
        inner.cancel = control->cancel;
        if (control->on_progress) {
          const double base = static_cast<double>(group_index) / static_cast<double>(groups);
          const double width = 1.0 / static_cast<double>(groups);
          inner.on_progress = [&, base, width](double f) { control->on_progress(base + width * f); };
        }
      }
      const ExpertProblem problem =
          ExpertProblem::build({d, k, config.m, config.leak, config.seed}, threads, &inner);
      if (!problem.complete() || inner.cancelled()) {
        result.cancelled = true;
        return result;
      }

      // Work items: every (case, n, batch of trials) of this (k, d); each
      // writes only its own slots, and a trial's stream names its (case, n, t).
      const std::size_t n_cases = config.cases.size(), n_sizes = config.sample_sizes.size();
      const auto trials = static_cast<std::size_t>(config.trials);
      const std::size_t batches = (trials + kMaxTrialBatch - 1) / kMaxTrialBatch;
      std::vector<TrialErrors> errors(n_cases * n_sizes * trials);
      const bool finished = parallel_for(
          n_cases * n_sizes * batches, threads,
          [&](std::size_t item) {
            const std::size_t first = (item % batches) * kMaxTrialBatch;
            const std::size_t si = (item / batches) % n_sizes;
            const std::size_t ci = item / (batches * n_sizes);
            const int count = static_cast<int>(std::min<std::size_t>(kMaxTrialBatch, trials - first));
            TrialSpec spec;
            spec.noise_case = config.cases[ci];
            spec.noise = config.noise;
            spec.n = config.sample_sizes[si];
            spec.sampling = config.sampling;
            spec.random_samples = config.random_samples;
            spec.fallback = config.fallback;
            spec.lambda = config.lambda;
            std::uint64_t streams[kMaxTrialBatch];
            for (int b = 0; b < count; ++b)
              streams[b] = rng::make_stream(
                  kTrialNoiseStream,
                  {static_cast<std::uint64_t>(spec.noise_case), static_cast<std::uint64_t>(d),
                   static_cast<std::uint64_t>(k), static_cast<std::uint64_t>(config.m),
                   static_cast<std::uint64_t>(spec.n), static_cast<std::uint64_t>(spec.sampling),
                   first + static_cast<std::size_t>(b)});
            TrialScratch scratch = pool.acquire();
            run_trial_batch(problem, spec, config.seed, streams, count, scratch,
                            &errors[(ci * n_sizes + si) * trials + first]);
            pool.release(std::move(scratch));
          },
          &inner);
      if (!finished) {
        result.cancelled = true;
        return result;
      }

      std::string line;
      for (std::size_t ci = 0; ci < n_cases; ++ci) {
        const NoiseCase noise_case = config.cases[ci];
        const double crossover = config.sampling == Sampling::kEveryState
                                     ? crossover_n(problem, noise_case, config.noise)
                                     : 0.0;
        for (std::size_t si = 0; si < n_sizes; ++si) {
          CellResult cell;
          cell.noise_case = noise_case;
          cell.d = d;
          cell.k = k;
          cell.m = config.m;
          cell.n = config.sample_sizes[si];
          cell.total_samples = total_samples(config, d, cell.n);
          cell.trials = config.trials;
          for (std::size_t t = 0; t < trials; ++t) {
            const TrialErrors& e = errors[(ci * n_sizes + si) * trials + t];
            cell.err_bp.push_back(e.bp);
            cell.err_sg.push_back(e.sg);
            cell.err_mix.push_back(e.mix);
          }
          cell.mse_bp = stats::mean(cell.err_bp);
          cell.mse_sg = stats::mean(cell.err_sg);
          cell.mse_mix = stats::mean(cell.err_mix);
          cell.se_bp = stats::standard_error(cell.err_bp);
          cell.se_sg = stats::standard_error(cell.err_sg);
          cell.se_mix = stats::standard_error(cell.err_mix);
          cell.ratio = stats::paired_bootstrap_ratio(
              cell.err_bp, cell.err_sg, config.bootstrap_resamples, config.seed,
              rng::make_stream(kBootstrapStream,
                               {static_cast<std::uint64_t>(noise_case), static_cast<std::uint64_t>(d),
                                static_cast<std::uint64_t>(k), static_cast<std::uint64_t>(cell.n)}));
          if (config.sampling == Sampling::kEveryState) {
            cell.has_theory = true;
            cell.theory = closed_form(problem, noise_case, config.noise, cell.n);
            cell.theory_crossover_n = crossover;
          }
          if (si == 0) {
            char buf[160];
            std::snprintf(buf, sizeof buf, "  %s n=%d ratio=%.3g [%.3g, %.3g]", to_string(noise_case),
                          cell.n, cell.ratio.ratio, cell.ratio.ci_low, cell.ratio.ci_high);
            line += buf;
          }
          result.cells.push_back(std::move(cell));
        }
      }
      ++group_index;
      if (on_line) {
        const double secs =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        char head[160];
        std::snprintf(head, sizeof head, "[%zu/%zu] k=%d d=%d (2^(d-k)=%g, %.2fs):", group_index,
                      groups, k, d, std::ldexp(1.0, d - k), secs);
        on_line(head + line);
      }
    }
  }
  return result;
}

}  // namespace sglab::expert
