// core/util/parallel_for: every item runs exactly once on any thread count,
// items write only their own slots (so sums done per slot are identical for
// any thread count), the first exception comes back to the caller, a cancel
// stops early, progress reaches 1. Runs under ThreadSanitizer too.
#include "core/util/parallel_for.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <stdexcept>
#include <thread>
#include <chrono>
#include <mutex>
#include <set>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <cerrno>
#endif
#include <vector>

namespace sglab {
namespace {

TEST(ParallelFor, EveryItemRunsExactlyOnceForAnyThreadCount) {
  for (std::size_t count : {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{1000}}) {
    for (int threads : {1, 2, 3, 8, 0}) {
      std::vector<int> visits(count, 0);
      parallel_for(count, threads, [&](std::size_t i) { ++visits[i]; });
      for (std::size_t i = 0; i < count; ++i) EXPECT_EQ(visits[i], 1) << "item " << i << ", threads " << threads;
    }
  }
}

TEST(ParallelFor, PerSlotResultsAreIdenticalForAnyThreadCount) {
  const auto run = [](int threads) {
    std::vector<double> out(257);
    parallel_for(out.size(), threads, [&](std::size_t i) {
      double s = 0.0;
      for (std::size_t k = 1; k <= 200 + i; ++k) s += std::sin(static_cast<double>(k * (i + 1))) / k;
      out[i] = s;
    });
    return out;
  };
  const auto one = run(1);
  EXPECT_EQ(run(2), one);
  EXPECT_EQ(run(5), one);
}

TEST(ParallelFor, TheFirstExceptionReachesTheCaller) {
  std::atomic<int> ran{0};
  EXPECT_THROW(parallel_for(100, 3,
                            [&](std::size_t i) {
                              ++ran;
                              if (i == 10) throw std::runtime_error("item 10");
                            }),
               std::runtime_error);
  EXPECT_GE(ran.load(), 11);
}

TEST(ParallelFor, ACancelStopsEarlyAndProgressReachesOne) {
  std::atomic<bool> cancel{false};
  WorkControl control;
  control.cancel = &cancel;
  std::atomic<int> ran{0};
  // A cancel is the one mechanism of core/util/cancelled.hpp: parallel_for throws Cancelled.
  EXPECT_THROW(parallel_for(
                   100000, 2,
                   [&](std::size_t i) {
                     ++ran;
                     if (i == 50) cancel.store(true);
                   },
                   &control),
               Cancelled);
  EXPECT_LT(ran.load(), 100000);

  std::atomic<bool> never{false};
  std::atomic<double> highest{0.0};
  WorkControl progress;
  progress.cancel = &never;
  progress.on_progress = [&](double f) {
    double seen = highest.load();
    while (f > seen && !highest.compare_exchange_weak(seen, f)) {
    }
  };
  EXPECT_NO_THROW(parallel_for(64, 3, [](std::size_t) {}, &progress));
  EXPECT_DOUBLE_EQ(highest.load(), 1.0);
}

TEST(ParallelFor, ThreadCountZeroMeansEveryCore) {
  EXPECT_GE(resolve_thread_count(0), 1);
  EXPECT_EQ(resolve_thread_count(3), 3);
}

// parallel_for keeps its helper threads between calls (core/util/worker_pool.hpp);
// a call made while they are busy (nested in a body, or from another thread at
// the same time) runs on threads of its own: every item still runs once.
TEST(ParallelFor, NestedAndConcurrentCallsRunEveryItemOnce) {
  constexpr std::size_t outer = 6, inner = 50;
  std::vector<std::atomic<int>> visits(outer * inner);
  parallel_for(outer, 2, [&](std::size_t i) {
    parallel_for(inner, 2, [&](std::size_t j) { ++visits[i * inner + j]; });
  });
  for (std::size_t i = 0; i < visits.size(); ++i) EXPECT_EQ(visits[i].load(), 1) << "item " << i;

  std::vector<int> left(5000, 0), right(5000, 0);
  std::thread other([&] {
    for (int round = 0; round < 20; ++round)
      parallel_for(left.size() / 20, 3, [&](std::size_t i) { ++left[round * 250 + i]; });
  });
  for (int round = 0; round < 20; ++round)
    parallel_for(right.size() / 20, 2, [&](std::size_t i) { ++right[round * 250 + i]; });
  other.join();
  EXPECT_EQ(left, std::vector<int>(5000, 1));
  EXPECT_EQ(right, std::vector<int>(5000, 1));
}

TEST(ParallelFor, ManySmallCallsInARowEachRunEveryItemOnce) {
  for (int round = 0; round < 500; ++round) {
    const std::size_t count = static_cast<std::size_t>(round % 7);
    std::vector<int> visits(count, 0);
    parallel_for(count, 1 + round % 4, [&](std::size_t i) { ++visits[i]; });
    EXPECT_EQ(visits, std::vector<int>(count, 1)) << "round " << round;
  }
}

#ifdef __linux__
// Helpers run at the caller's nice value, as threads spawned by the caller
// would (the job runner's worker and the λ* probe lower theirs): the kept
// helper threads are per nice value.
TEST(ParallelFor, HelpersRunAtTheCallersNiceValue) {
  const auto nice_of_this_thread = [] {
    errno = 0;
    return getpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)));
  };
  const auto nice_values_seen = [&](int threads) {
    std::mutex mutex;
    std::set<int> seen;
    parallel_for(64, threads, [&](std::size_t) {
      const int nice = nice_of_this_thread();
      std::this_thread::sleep_for(std::chrono::microseconds(200));  // let both threads take items
      std::lock_guard<std::mutex> lock(mutex);
      seen.insert(nice);
    });
    return seen;
  };
  const int base = nice_of_this_thread();
  EXPECT_EQ(nice_values_seen(2), std::set<int>{base});
  int lowered = base;
  std::set<int> seen_lowered;
  std::thread lower([&] {
    setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), std::min(base + 3, 19));
    lowered = nice_of_this_thread();
    seen_lowered = nice_values_seen(2);
  });
  lower.join();
  EXPECT_EQ(seen_lowered, std::set<int>{lowered});
  EXPECT_EQ(nice_values_seen(2), std::set<int>{base});
}
#endif

}  // namespace
}  // namespace sglab
