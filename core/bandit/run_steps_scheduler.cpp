#include "core/bandit/run_steps_scheduler.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <limits>
#include <mutex>

namespace sglab::bandit {

namespace {

// Work left of a run, in seconds; a run not measured yet counts as the costliest.
double work_left(const ScheduledRun& r) {
  if (r.seconds_per_step <= 0.0) return std::numeric_limits<double>::infinity();
  return static_cast<double>(r.steps_left) * r.seconds_per_step;
}

// A recent-weighted mean: a run's step time drifts little, but the first steps
// (cold caches, first allocations) should not set it for good.
double blend(double mean, double sample) { return mean <= 0.0 ? sample : 0.8 * mean + 0.2 * sample; }

}  // namespace

bool run_steps_interleaved(std::vector<ScheduledRun>& runs, int threads, const std::function<bool(std::size_t)>& step,
                           const WorkControl* control) {
  std::mutex mutex;
  std::vector<char> busy(runs.size(), 0);
  std::atomic<bool> cancelled{false};
  std::atomic<bool> failed{false};  // a step threw: the other threads stop after their current step

  // The free run with the most work left (ties: the lower cost rank, then the lower index).
  auto take = [&]() -> std::size_t {
    std::size_t best = runs.size();
    for (std::size_t i = 0; i < runs.size(); ++i) {
      if (busy[i] || runs[i].steps_left <= 0) continue;
      if (best == runs.size()) {
        best = i;
        continue;
      }
      const double wi = work_left(runs[i]), wb = work_left(runs[best]);
      if (wi > wb || (wi == wb && runs[i].cost_rank < runs[best].cost_rank)) best = i;
    }
    if (best < runs.size()) busy[best] = 1;
    return best;
  };

  auto worker = [&](std::size_t) {
    for (;;) {
      if (failed.load()) return;
      if (control != nullptr && control->cancelled()) {
        cancelled = true;
        return;
      }
      std::size_t i;
      {
        std::lock_guard<std::mutex> lock(mutex);
        i = take();
      }
      if (i == runs.size()) return;  // every run is done or on another thread
      const auto start = std::chrono::steady_clock::now();
      bool finished = true;
      try {
        finished = step(i);
      } catch (...) {
        failed = true;
        std::lock_guard<std::mutex> lock(mutex);
        runs[i].steps_left = 0;
        busy[i] = 0;
        throw;
      }
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::lock_guard<std::mutex> lock(mutex);
      runs[i].seconds_per_step = blend(runs[i].seconds_per_step, seconds);
      runs[i].steps_left = finished ? 0 : runs[i].steps_left - 1;
      busy[i] = 0;
    }
  };

  const auto active = static_cast<std::size_t>(
      std::count_if(runs.begin(), runs.end(), [](const ScheduledRun& r) { return r.steps_left > 0; }));
  const auto n = std::min<std::size_t>(static_cast<std::size_t>(resolve_thread_count(threads)), active);
  if (n <= 1) worker(0);
  else parallel_for(n, static_cast<int>(n), worker);
  return !cancelled;
}

}  // namespace sglab::bandit
