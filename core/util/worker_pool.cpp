#include "core/util/worker_pool.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace sglab {
namespace {

class WorkerPool {
 public:
  bool run(int helpers, const std::function<void()>& work) {
    if (busy_.exchange(true, std::memory_order_acquire)) return false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      try {
        // A new thread has not seen the generation this call is about to open.
        while (static_cast<int>(threads_.size()) < helpers)
          threads_.emplace_back([this, seen = generation_] { serve(seen); });
      } catch (...) {
        busy_.store(false, std::memory_order_release);
        throw;
      }
      work_ = &work;
      open_slots_ = helpers;
      ++generation_;
      published_.store(generation_, std::memory_order_release);
    }
    wake_.notify_all();
    std::exception_ptr error;
    try {
      work();
    } catch (...) {
      error = std::current_exception();
    }
    {
      // Nothing is left to take: close the slots nobody claimed yet, wait for
      // the helpers inside work() (it references the caller's stack).
      std::unique_lock<std::mutex> lock(mutex_);
      open_slots_ = 0;
      if (running_.load() != 0) {
        lock.unlock();
        spin_until([this] { return running_.load(std::memory_order_acquire) == 0; });
        lock.lock();
      }
      finished_.wait(lock, [this] { return running_.load() == 0; });
      work_ = nullptr;
    }
    busy_.store(false, std::memory_order_release);
    if (error) std::rethrow_exception(error);
    return true;
  }

 private:
  void serve(std::uint64_t seen) {
    std::unique_lock<std::mutex> lock(mutex_);
    const auto called = [&] { return generation_ != seen && open_slots_ > 0; };
    for (;;) {
      if (!called()) {
        lock.unlock();
        spin_until([&] { return published_.load(std::memory_order_acquire) != seen; });
        lock.lock();
        wake_.wait(lock, called);
      }
      seen = generation_;  // at most one slot of each call per thread
      --open_slots_;
      ++running_;
      const std::function<void()>* work = work_;
      lock.unlock();
      (*work)();
      lock.lock();
      if (--running_ == 0) finished_.notify_one();
    }
  }

  // Callers often come back within microseconds (the exact DAG analysis: two
  // calls per block of 1024 configurations, nothing serial between them), and
  // a helper finishing its last item often waits for the caller's: both sides
  // poll briefly (yielding the CPU) before sleeping on the condition variable,
  // which on this VM costs tens of microseconds per wake-up.
  template <class Done>
  static void spin_until(Done&& done) {
    constexpr auto kSpin = std::chrono::microseconds(50);
    const auto until = std::chrono::steady_clock::now() + kSpin;
    while (!done() && std::chrono::steady_clock::now() < until) std::this_thread::yield();
  }

  std::atomic<bool> busy_{false};
  std::mutex mutex_;
  std::condition_variable wake_, finished_;
  std::vector<std::thread> threads_;  // never joined: they live as long as the process
  const std::function<void()>* work_ = nullptr;
  std::uint64_t generation_ = 0;
  std::atomic<std::uint64_t> published_{0};  // generation_, readable without the mutex
  int open_slots_ = 0;
  std::atomic<int> running_{0};  // changed under the mutex, polled without it
};

// The calling thread's nice value (Linux: per thread). Threads spawned by a
// thread inherit its nice value, and callers rely on it (the job runner's
// worker and the λ* probe run below the UI thread; their helpers must too):
// one pool per nice value, its threads created by a caller of that value.
int caller_nice() {
#ifdef __linux__
  errno = 0;
  const int nice = getpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)));
  return errno == 0 ? nice : 0;
#else
  return 0;
#endif
}

}  // namespace

bool run_on_worker_pool(int helpers, const std::function<void()>& work) {
  constexpr int kLowestNice = -20, kNiceValues = 40;
  // Never destroyed: their threads sleep until the process ends (static
  // objects would join or terminate them during exit, possibly while another
  // thread still uses a pool).
  static std::atomic<WorkerPool*> pools[kNiceValues] = {};
  static std::mutex creation;
  const int slot = std::clamp(caller_nice() - kLowestNice, 0, kNiceValues - 1);
  WorkerPool* pool = pools[slot].load(std::memory_order_acquire);
  if (pool == nullptr) {
    std::lock_guard<std::mutex> lock(creation);
    pool = pools[slot].load(std::memory_order_relaxed);
    if (pool == nullptr) {
      pool = new WorkerPool;
      pools[slot].store(pool, std::memory_order_release);
    }
  }
  return pool->run(helpers, work);
}

}  // namespace sglab
