#pragma once
// Deterministic parallel loop: item i always computes the same thing whatever
// thread runs it, and each item writes only its own output slot, so results
// are identical for any thread count (DESIGN.md: determinism).

#include <atomic>
#include <cstddef>
#include <functional>

namespace sglab {

/// Cooperative cancellation and progress for long core computations.
struct WorkControl {
  const std::atomic<bool>* cancel = nullptr;         ///< set by the owner to stop early
  std::function<void(double fraction)> on_progress;  ///< called from worker threads; keep it cheap

  bool cancelled() const { return cancel != nullptr && cancel->load(std::memory_order_relaxed); }
};

/// Runs body(i) for i in [0, count) on `threads` threads (0 = hardware
/// concurrency). Returns false if cancelled before every item ran. The first
/// exception thrown by a body is rethrown after all threads stop.
bool parallel_for(std::size_t count, int threads, const std::function<void(std::size_t)>& body,
                  const WorkControl* control = nullptr);

/// Number of threads to use for a requested count (0 = all cores, at least 1).
int resolve_thread_count(int requested);

}  // namespace sglab
