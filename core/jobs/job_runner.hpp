#pragma once
// Background job runner (DESIGN.md, data flow): one worker thread, at most one
// running and one pending job. Posting a job cancels the running one through
// its WorkControl atomic and replaces any job still waiting, so the newest
// request always wins. The UI thread never waits: progress and state are
// atomics, results are immutable snapshots (see LatestSnapshot).
// Cancellation (core/util/cancelled.hpp): the core loops a job calls throw
// sglab::Cancelled once the flag is set, and the worker here is the one place
// that catches it; a job checks `throw_if_cancelled()` before publishing, so a
// cancelled job never publishes a stale snapshot.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/util/parallel_for.hpp"

namespace sglab::jobs {

/// What a running job sees: its id, a cancel-aware WorkControl for core calls,
/// and a progress setter. `stage(lo, hi)` gives a WorkControl whose progress
/// 0..1 maps onto [lo, hi] of the job's overall progress.
class JobContext {
 public:
  JobContext(std::uint64_t id, std::shared_ptr<std::atomic<bool>> cancel,
             std::atomic<double>* progress);

  std::uint64_t id() const { return id_; }
  bool cancelled() const { return cancel_->load(std::memory_order_relaxed); }
  /// Throws sglab::Cancelled once the job is cancelled (call before publishing).
  void throw_if_cancelled() const { control_.throw_if_cancelled(); }
  void set_progress(double fraction) const;
  /// Cancel-aware control whose progress reports fill [lo, hi].
  WorkControl stage(double lo, double hi) const;
  const WorkControl& control() const { return control_; }

 private:
  std::uint64_t id_;
  std::shared_ptr<std::atomic<bool>> cancel_;
  std::atomic<double>* progress_;
  WorkControl control_;
};

class JobRunner {
 public:
  using Task = std::function<void(const JobContext&)>;

  JobRunner();
  ~JobRunner();  ///< cancels whatever runs and joins the worker
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  /// Queues `task`, cancelling the running job and dropping any pending one.
  /// Returns the new job's id (ids increase from 1). Never blocks on the worker.
  std::uint64_t post(std::string label, Task task);
  /// Cancels the running job and drops the pending one.
  void cancel();

  bool busy() const { return busy_.load(std::memory_order_acquire); }
  double progress() const { return progress_.load(std::memory_order_relaxed); }
  std::uint64_t last_posted_id() const { return posted_id_.load(std::memory_order_acquire); }
  /// Id of the last job that ran to the end (not cancelled, no exception).
  std::uint64_t last_finished_id() const { return finished_id_.load(std::memory_order_acquire); }
  /// Jobs that stopped because they were cancelled (threw sglab::Cancelled). A job
  /// that ignores its flag and runs to the end is not counted, nor is a job
  /// dropped before it started.
  std::uint64_t cancelled_jobs() const { return cancelled_jobs_.load(std::memory_order_acquire); }
  /// Label of the running job ("" when idle); takes a short lock.
  std::string running_label() const;
  /// Message of the last job that threw ("" after a job succeeds); short lock.
  std::string last_error() const;
  /// Wall time of the last job that ran to the end, in milliseconds.
  double last_duration_ms() const { return last_ms_.load(std::memory_order_relaxed); }

  /// Blocks until no job runs or is pending, or the timeout passes. For tests,
  /// the CLI and the screenshot mode only: the interactive UI never calls it.
  bool wait_idle(std::chrono::milliseconds timeout) const;

 private:
  void worker_loop();

  mutable std::mutex mutex_;
  mutable std::condition_variable wake_;
  mutable std::condition_variable idle_;
  bool stop_ = false;
  bool has_pending_ = false;
  Task pending_;
  std::string pending_label_;
  std::uint64_t pending_id_ = 0;
  std::shared_ptr<std::atomic<bool>> running_cancel_;
  std::string running_label_;
  std::string last_error_;

  std::atomic<bool> busy_{false};
  std::atomic<double> progress_{0.0};
  std::atomic<std::uint64_t> posted_id_{0};
  std::atomic<std::uint64_t> finished_id_{0};
  std::atomic<std::uint64_t> cancelled_jobs_{0};
  std::atomic<double> last_ms_{0.0};
  std::thread worker_;  // last: starts after every member above exists
};

/// The latest published result of a kind, as an immutable snapshot. Writers
/// (the worker) and readers (the UI) hold the lock only to swap or copy a
/// shared_ptr, never while computing or drawing.
template <class Result>
class LatestSnapshot {
 public:
  void publish(std::shared_ptr<const Result> result) {
    std::lock_guard<std::mutex> lock(mutex_);
    result_ = std::move(result);
    version_.fetch_add(1, std::memory_order_release);
  }
  std::shared_ptr<const Result> get() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return result_;
  }
  /// Increases with every publish: a cheap "has anything changed" check.
  std::uint64_t version() const { return version_.load(std::memory_order_acquire); }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Result> result_;
  std::atomic<std::uint64_t> version_{0};
};

}  // namespace sglab::jobs
