#pragma once
// "Play" for the training labs (mixing dynamics, bandit): the worker trains
// `steps_per_frame` steps each time the UI reports a drawn frame, so training
// never runs ahead of what the screen shows, until paused or finished. The UI
// and the worker share only these atomics.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>

#include "core/jobs/job_runner.hpp"

namespace sglab::jobs {

struct PlayPacer {
  std::atomic<std::uint64_t> frames{0};
  std::atomic<int> steps_per_frame{1};
  std::atomic<bool> playing{false};

  /// UI: asks for `steps` per frame and marks the lab playing. False when it
  /// already was (a playing job runs or is queued): post nothing then.
  bool start(int steps) {
    steps_per_frame.store(steps);
    return !playing.exchange(true);
  }

  /// Worker: waits for a frame after `seen` and moves `seen` to it; false when
  /// `go()` turns false first (paused; `go` may also throw sglab::Cancelled).
  template <class Go>
  bool wait_for_frame(std::uint64_t& seen, Go&& go) const {
    while (frames.load() == seen) {
      if (!go()) return false;
      std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    if (!go()) return false;
    seen = frames.load();
    return true;
  }

  /// Worker, for a playing job: clears `playing` when the job ends by itself
  /// (finished, paused, failed). A cancelled job was replaced by a newer one,
  /// which may be playing already: its flag is left alone.
  class StopWhenDone {
   public:
    StopWhenDone(PlayPacer& pacer, bool play, const JobContext& context)
        : pacer_(pacer), play_(play), context_(context) {}
    ~StopWhenDone() {
      if (play_ && !context_.cancelled()) pacer_.playing.store(false);
    }
    StopWhenDone(const StopWhenDone&) = delete;
    StopWhenDone& operator=(const StopWhenDone&) = delete;

   private:
    PlayPacer& pacer_;
    bool play_;
    const JobContext& context_;
  };
};

/// Runs `chunk()`, which returns the steps it did, and gives steps per second.
template <class Chunk>
double steps_per_second(Chunk&& chunk) {
  const auto start = std::chrono::steady_clock::now();
  const std::int64_t done = chunk();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return seconds > 0 ? static_cast<double>(done) / seconds : 0.0;
}

}  // namespace sglab::jobs
