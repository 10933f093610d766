#pragma once
// Runs a serial consumer over the chunks of a parallel loop in chunk order,
// while the loop is still running: each worker that finishes a chunk marks it
// done, and whoever finds no consumer active becomes it and consumes every
// finished chunk from the next unconsumed one on, stopping at the first gap.
// The consumer sees chunks 0, 1, 2, … exactly once each, in that order, on
// one thread at a time, whatever the thread count or timing — so sums it
// accumulates have the bits of a serial pass (the problem build's per-key
// Gram sums, pooled_gram.hpp), while the pass overlaps the parallel work.

#include <cstddef>
#include <mutex>
#include <vector>

namespace sglab::expert {

class OrderedDrain {
 public:
  explicit OrderedDrain(std::size_t chunks) : done_(chunks, 0) {}

  /// Called by the worker that finished `chunk`; may run consume(c) for
  /// several chunks c (in order) before returning.
  template <typename Consume>
  void finished(std::size_t chunk, const Consume& consume) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_[chunk] = 1;
      if (draining_) return;  // the active consumer will reach it
      draining_ = true;
    }
    for (;;) {
      std::size_t next = 0;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (next_ == done_.size() || done_[next_] == 0) {
          draining_ = false;
          return;
        }
        next = next_++;
      }
      consume(next);
    }
  }

  /// Whether every chunk has been consumed.
  bool complete() {
    std::lock_guard<std::mutex> lock(mutex_);
    return next_ == done_.size();
  }

 private:
  std::mutex mutex_;
  std::vector<char> done_;
  std::size_t next_ = 0;
  bool draining_ = false;
};

}  // namespace sglab::expert
