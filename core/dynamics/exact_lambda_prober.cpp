#include "core/dynamics/exact_lambda_prober.hpp"

#include <algorithm>
#include <cerrno>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include <utility>

#include "core/dynamics/exact_lambda_probe.hpp"
#include "core/util/cancelled.hpp"
#include "core/util/parallel_for.hpp"

namespace sglab::dynamics {

ExactLambdaProber::ExactLambdaProber(dag::PredictorKind predictor, double n, int max_bits)
    : predictor_(predictor), n_(n), max_bits_(max_bits), thread_([this] { work(); }) {}

ExactLambdaProber::~ExactLambdaProber() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
    queue_.clear();
  }
  cancel_.store(true);
  wake_worker_.notify_all();
  thread_.join();
}

void ExactLambdaProber::submit(std::int64_t step, const dag::DagNetwork& net) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(Job{step, net});
  }
  ++outstanding_;
  wake_worker_.notify_one();
}

void ExactLambdaProber::take_ready(std::vector<Result>& out, bool wait_for_one) {
  out.clear();
  std::unique_lock<std::mutex> lock(mutex_);
  if (wait_for_one && outstanding_ > 0)
    wake_caller_.wait(lock, [this] { return !done_.empty() || error_; });
  if (error_) {
    --outstanding_;  // the failed probe is answered (by its error): no later wait counts on it
    std::rethrow_exception(std::exchange(error_, nullptr));
  }
  while (!done_.empty()) {
    out.push_back(std::move(done_.front()));
    done_.pop_front();
    --outstanding_;
  }
}

void ExactLambdaProber::work() {
#ifdef __linux__
  // Below the training thread that feeds it (5 steps of nice lower): when the
  // UI's frame, the probe and training all want a core, training keeps its
  // rate; the probe has the spare time between (and at most
  // kMaxProbesInFlight probes queue before training waits for it).
  const auto tid = static_cast<id_t>(syscall(SYS_gettid));
  errno = 0;
  const int nice = getpriority(PRIO_PROCESS, tid);
  if (errno == 0) setpriority(PRIO_PROCESS, tid, std::min(nice + 5, 19));
#endif
  WorkControl control;
  control.cancel = &cancel_;
  for (;;) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_worker_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    Result result;
    result.step = job.step;
    std::exception_ptr error;
    try {
      result.lambda_star = exact_lambda_star(job.net, predictor_, n_, max_bits_, &control);
    } catch (const Cancelled&) {
      return;  // only the destructor cancels
    } catch (...) {
      error = std::current_exception();
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (error)
        error_ = error;
      else
        done_.push_back(std::move(result));
    }
    wake_caller_.notify_all();
  }
}

}  // namespace sglab::dynamics
