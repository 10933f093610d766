#pragma once
// ExactLambdaProber: the exact λ* probes of a training session (exact_lambda_probe.hpp)
// on a thread of their own, so training keeps its rate while they run (issue 12).
//
// The session submits, at every probe step s, a copy of the adaptive run's
// network as it stands after step s; one worker thread computes exact λ*(n) of
// each copy in submission order. A probe reads only its own copy, so its result
// is a function of (step s's parameters, λ, predictor kind, n) alone: the
// numbers are the ones the inline probe gives, however late they arrive. The
// session puts each result into step s's record (dynamics_session.hpp).
//
// Back-pressure is the caller's: outstanding() says how many probes are
// submitted and not yet taken; take_ready(wait) blocks for the oldest one.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "core/dag/dag_network.hpp"

namespace sglab::dynamics {

class ExactLambdaProber {
 public:
  struct Result {
    std::int64_t step = 0;
    std::vector<double> lambda_star;  ///< per global node, as exact_lambda_star
  };

  ExactLambdaProber(dag::PredictorKind predictor, double n, int max_bits);
  /// Stops the worker: a probe in flight is cancelled, queued ones are dropped.
  ~ExactLambdaProber();
  ExactLambdaProber(const ExactLambdaProber&) = delete;
  ExactLambdaProber& operator=(const ExactLambdaProber&) = delete;

  /// Queues the probe of step `step` on a copy of `net`.
  void submit(std::int64_t step, const dag::DagNetwork& net);
  /// Probes submitted and not yet returned by take_ready.
  int outstanding() const { return outstanding_; }
  /// Moves the finished probes, oldest first, into `out` (cleared first). With
  /// `wait_for_one`, blocks until at least one is finished (when any is
  /// outstanding). A probe that threw rethrows here, on the caller's thread.
  void take_ready(std::vector<Result>& out, bool wait_for_one);

 private:
  struct Job {
    std::int64_t step;
    dag::DagNetwork net;
  };
  void work();

  dag::PredictorKind predictor_;
  double n_;
  int max_bits_;
  int outstanding_ = 0;  // caller thread only
  std::mutex mutex_;
  std::condition_variable wake_worker_, wake_caller_;
  std::deque<Job> queue_;
  std::deque<Result> done_;
  std::exception_ptr error_;
  bool stop_ = false;
  std::atomic<bool> cancel_{false};
  std::thread thread_;  // last: starts after every other member exists
};

}  // namespace sglab::dynamics
