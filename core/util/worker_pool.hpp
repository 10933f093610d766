#pragma once
// Threads kept between parallel_for calls (core/util/parallel_for.hpp). The
// exact DAG analysis calls parallel_for twice per block of each pass (~380
// calls for 2^20 outcomes); a fresh std::thread per call and helper cost a
// clone, a stack mapping and a join each time. The pool's threads sleep on a
// condition variable between calls instead.
//
// One pool per nice value of the caller (helpers inherit the nice value of the
// thread that spawns them, and the job runner and the λ* probe rely on it), its
// threads spawned by the first caller of that value.
//
// One caller at a time: run() returns false when the pool is already in use
// (a parallel_for nested in a body, or two owners at once, e.g. a GUI job and
// the probe thread); the caller then spawns its own threads as before.

#include <functional>

namespace sglab {

/// Runs work() on the calling thread and on up to `helpers` pool threads at
/// once, and returns when every pool thread that started it has returned.
/// work() must return only when nothing is left to take (parallel_for's
/// workers take items from a shared counter), so a helper that wakes after the
/// caller finished is not waited for: it no longer joins. Returns false,
/// without running anything, when the pool is busy.
bool run_on_worker_pool(int helpers, const std::function<void()>& work);

}  // namespace sglab
