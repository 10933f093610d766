#include "core/jobs/job_runner.hpp"

#include <algorithm>
#include <exception>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace sglab::jobs {

JobContext::JobContext(std::uint64_t id, std::shared_ptr<std::atomic<bool>> cancel,
                       std::atomic<double>* progress)
    : id_(id), cancel_(std::move(cancel)), progress_(progress) {
  control_.cancel = cancel_.get();
  control_.on_progress = [this](double f) { set_progress(f); };
}

void JobContext::set_progress(double fraction) const {
  progress_->store(std::clamp(fraction, 0.0, 1.0), std::memory_order_relaxed);
}

WorkControl JobContext::stage(double lo, double hi) const {
  WorkControl c;
  c.cancel = cancel_.get();
  std::atomic<double>* progress = progress_;
  c.on_progress = [progress, lo, hi](double f) {
    const double v = lo + (hi - lo) * std::clamp(f, 0.0, 1.0);
    progress->store(std::clamp(v, 0.0, 1.0), std::memory_order_relaxed);
  };
  return c;
}

JobRunner::JobRunner() : worker_([this] { worker_loop(); }) {}

JobRunner::~JobRunner() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
    has_pending_ = false;
    pending_ = nullptr;
    if (running_cancel_) running_cancel_->store(true);
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

std::uint64_t JobRunner::post(std::string label, Task task) {
  std::uint64_t id = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    id = posted_id_.load() + 1;
    posted_id_.store(id, std::memory_order_release);
    if (running_cancel_) running_cancel_->store(true);  // the newest request wins
    pending_ = std::move(task);
    pending_label_ = std::move(label);
    pending_id_ = id;
    has_pending_ = true;
    busy_.store(true, std::memory_order_release);
  }
  wake_.notify_one();
  return id;
}

void JobRunner::cancel() {
  std::lock_guard<std::mutex> lock(mutex_);
  has_pending_ = false;
  pending_ = nullptr;
  if (running_cancel_) running_cancel_->store(true);
}

std::string JobRunner::running_label() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return running_label_;
}

std::string JobRunner::last_error() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return last_error_;
}

bool JobRunner::wait_idle(std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mutex_);
  return idle_.wait_for(lock, timeout, [this] { return !has_pending_ && !running_cancel_; });
}

void JobRunner::worker_loop() {
#ifdef __linux__
  // A slightly lower priority for the worker (and the threads it spawns, which
  // inherit it): the UI thread keeps its frame rate while the science runs.
  setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 10);
#endif
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stop_ || has_pending_; });
    if (stop_) break;
    Task task = std::move(pending_);
    pending_ = nullptr;
    has_pending_ = false;
    const std::uint64_t id = pending_id_;
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    running_cancel_ = cancel;
    running_label_ = pending_label_;
    progress_.store(0.0, std::memory_order_relaxed);
    lock.unlock();

    std::string error;
    bool ok = false;
    bool cancelled = false;
    const auto start = std::chrono::steady_clock::now();
    try {
      JobContext context(id, cancel, &progress_);
      task(context);
      ok = !cancel->load();
    } catch (const Cancelled&) {
      cancelled = true;  // the one place a cancelled job ends (core/util/cancelled.hpp)
    } catch (const std::exception& e) {
      error = e.what();
    } catch (...) {
      error = "unknown error in background job";
    }
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    task = nullptr;  // release captured state outside the lock

    lock.lock();
    running_cancel_.reset();
    running_label_.clear();
    if (cancelled) cancelled_jobs_.fetch_add(1, std::memory_order_acq_rel);
    if (ok) {
      finished_id_.store(id, std::memory_order_release);
      last_ms_.store(ms, std::memory_order_relaxed);
      last_error_.clear();
    } else if (!error.empty()) {
      last_error_ = error;
    }
    if (!has_pending_) {
      busy_.store(false, std::memory_order_release);
      idle_.notify_all();
    }
  }
  running_cancel_.reset();
  busy_.store(false);
  idle_.notify_all();
}

}  // namespace sglab::jobs
