#pragma once
// Deterministic parallel loop: item i always computes the same thing whatever
// thread runs it, and each item writes only its own output slot, so results
// are identical for any thread count (DESIGN.md: determinism).

#include <atomic>
#include <cstddef>
#include <functional>

#include "core/util/cancelled.hpp"

namespace sglab {

/// Cooperative cancellation and progress for long core computations.
struct WorkControl {
  const std::atomic<bool>* cancel = nullptr;         ///< set by the owner to stop early
  std::function<void(double fraction)> on_progress;  ///< called from worker threads; keep it cheap

  bool cancelled() const { return cancel != nullptr && cancel->load(std::memory_order_relaxed); }
  /// Throws sglab::Cancelled when the owner asked to stop (core/util/cancelled.hpp).
  void throw_if_cancelled() const {
    if (cancelled()) throw Cancelled();
  }
};

/// throw_if_cancelled on an optional control.
inline void throw_if_cancelled(const WorkControl* control) {
  if (control != nullptr) control->throw_if_cancelled();
}

/// Runs body(i) for i in [0, count) on `threads` threads (0 = hardware
/// concurrency). Throws sglab::Cancelled, after all threads stop, if cancelled
/// before every item ran. The first exception thrown by a body is rethrown
/// after all threads stop.
void parallel_for(std::size_t count, int threads, const std::function<void(std::size_t)>& body,
                  const WorkControl* control = nullptr);

/// Number of threads to use for a requested count (0 = all cores, at least 1).
int resolve_thread_count(int requested);

}  // namespace sglab
