#include "core/util/parallel_for.hpp"

#include "core/util/worker_pool.hpp"

#include <algorithm>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace sglab {

int resolve_thread_count(int requested) {
  if (requested > 0) return requested;
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(hw);
}

void parallel_for(std::size_t count, int threads, const std::function<void(std::size_t)>& body,
                  const WorkControl* control) {
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{0};
  std::atomic<bool> failed{false};
  std::exception_ptr first_error;
  std::mutex error_mutex;

  auto worker = [&] {
    for (;;) {
      if (failed.load(std::memory_order_relaxed)) return;
      if (control != nullptr && control->cancelled()) return;
      const std::size_t i = next.fetch_add(1, std::memory_order_relaxed);
      if (i >= count) return;
      try {
        body(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!first_error) first_error = std::current_exception();
        failed.store(true);
        return;
      }
      const std::size_t finished = done.fetch_add(1, std::memory_order_relaxed) + 1;
      if (control != nullptr && control->on_progress)
        control->on_progress(static_cast<double>(finished) / static_cast<double>(count));
    }
  };

  const int n_threads =
      static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(resolve_thread_count(threads)),
                                             std::max<std::size_t>(count, 1)));
  if (n_threads <= 1) {
    worker();
  } else if (!run_on_worker_pool(n_threads - 1, worker)) {
    // The pool is in use (nested or concurrent call): threads of our own.
    std::vector<std::thread> pool;
    pool.reserve(static_cast<std::size_t>(n_threads - 1));
    for (int t = 1; t < n_threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& th : pool) th.join();
  }
  if (first_error) std::rethrow_exception(first_error);
  if (done.load() != count) throw Cancelled();
}

}  // namespace sglab
