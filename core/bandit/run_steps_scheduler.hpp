#pragma once
// Steps of several independent runs on a few threads, one step at a time.
//
// BanditSession used to give each thread whole runs for a chunk and wait for
// all of them at the chunk's end. When something else takes a core for a
// while (the GUI drawing a frame, the X server), the run on that core falls
// behind and the other thread idles at the end of the chunk. Here a free
// thread takes the next step of the run with the most work left (steps left ×
// that run's measured seconds per step), so the threads finish a chunk within
// about one step of each other whatever else the machine runs (unless one run
// alone has more work than all the others together: it cannot be split).
//
// A run's steps stay in order and never overlap (one thread at a time steps a
// run), and a run's numbers depend only on its own steps, so the schedule
// changes no number (DESIGN.md: determinism).

#include <cstdint>
#include <functional>
#include <vector>

#include "core/util/parallel_for.hpp"

namespace sglab::bandit {

struct ScheduledRun {
  std::int64_t steps_left = 0;   ///< steps asked of this run in the chunk
  double seconds_per_step = 0;   ///< measured, kept between chunks; 0 = not measured yet
  int cost_rank = 0;             ///< before any measurement: lower ranks are costlier and go first
};

/// Runs `step(i)` for each run i until its steps_left reach 0 or `step` returns
/// true (the run finished). Updates seconds_per_step from the steps' wall time.
/// Returns false if `control` asked to stop (the steps done stay done).
/// The first exception from `step` is rethrown once every thread has finished
/// its current step; no thread starts another step after it.
bool run_steps_interleaved(std::vector<ScheduledRun>& runs, int threads, const std::function<bool(std::size_t)>& step,
                           const WorkControl* control);

}  // namespace sglab::bandit
