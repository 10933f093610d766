#include "core/expert/expert_sweep.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <mutex>

#include "core/expert/expert_cell.hpp"
#include "core/expert/expert_problem.hpp"
#include "core/expert/trial_estimators.hpp"

namespace sglab::expert {

namespace {

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

      // Work items: every (case, n, batch of trials) of this (k, d); each
      // writes only its own slots, and a trial's stream names its (case, n, t).
      const std::size_t n_cases = config.cases.size(), n_sizes = config.sample_sizes.size();
      const auto trials = static_cast<std::size_t>(config.trials);
      const std::size_t batches = (trials + kMaxTrialBatch - 1) / kMaxTrialBatch;
      std::vector<TrialErrors> errors(n_cases * n_sizes * trials);
      parallel_for(
          n_cases * n_sizes * batches, threads,
          [&](std::size_t item) {
            const std::size_t first = (item % batches) * kMaxTrialBatch;
            const std::size_t si = (item / batches) % n_sizes;
            const std::size_t ci = item / (batches * n_sizes);
            const int count = static_cast<int>(std::min<std::size_t>(kMaxTrialBatch, trials - first));
            const TrialSpec spec =
                cell_trial_spec(config, config.cases[ci], config.sample_sizes[si]);
            std::uint64_t streams[kMaxTrialBatch];
            for (int b = 0; b < count; ++b)
              streams[b] = trial_noise_stream(spec.noise_case, d, k, config.m, spec.n, spec.sampling,
                                              first + static_cast<std::size_t>(b));
            TrialScratch scratch = pool.acquire();
            run_trial_batch(problem, spec, config.seed, streams, count, scratch,
                            &errors[(ci * n_sizes + si) * trials + first]);
            pool.release(std::move(scratch));
          },
          &inner);

      std::string line;
      for (std::size_t ci = 0; ci < n_cases; ++ci) {
        for (std::size_t si = 0; si < n_sizes; ++si) {
          const auto begin = errors.begin() + static_cast<std::ptrdiff_t>((ci * n_sizes + si) * trials);
          CellResult cell = summarize_cell(problem, config, config.cases[ci], config.sample_sizes[si],
                                           std::vector<TrialErrors>(begin, begin + static_cast<std::ptrdiff_t>(trials)));
          if (si == 0) {
            char buf[160];
            std::snprintf(buf, sizeof buf, "  %s n=%d ratio=%.3g [%.3g, %.3g]", to_string(cell.noise_case),
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
