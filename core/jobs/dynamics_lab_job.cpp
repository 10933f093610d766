#include "core/jobs/dynamics_lab_job.hpp"

#include <chrono>

#include "core/util/error.hpp"

namespace sglab::jobs {

struct DynamicsLabEngine::Worker {
  std::unique_ptr<dynamics::DynamicsSession> session;
  std::uint64_t epoch = ~std::uint64_t{0};
  std::string error;
};

DynamicsLabEngine::DynamicsLabEngine() : worker_(std::make_shared<Worker>()) {}

DynamicsLabEngine::~DynamicsLabEngine() { runner_.cancel(); }

void DynamicsLabEngine::configure(const dag::DagSpec& spec, const dynamics::TrainConfig& config) {
  spec_ = spec;
  config_ = config;
  ++epoch_;
  post(0);
}

void DynamicsLabEngine::reset() {
  ++epoch_;
  post(0);
}

bool DynamicsLabEngine::advance(std::int64_t steps) {
  if (runner_.busy() || steps <= 0) return false;
  post(steps);
  return true;
}

void DynamicsLabEngine::post(std::int64_t steps) {
  const std::uint64_t epoch = epoch_;
  const dag::DagSpec spec = spec_;
  const dynamics::TrainConfig config = config_;
  std::shared_ptr<Worker> worker = worker_;
  LatestSnapshot<DynamicsLabSnapshot>* latest = &latest_;
  runner_.post(steps > 0 ? "training" : "starting the runs",
               [epoch, spec, config, steps, worker, latest](const JobContext& context) {
                 auto out = std::make_shared<DynamicsLabSnapshot>();
                 out->epoch = epoch;
                 if (worker->epoch != epoch) {  // new settings or reset: a fresh session at step 0
                   worker->session.reset();
                   worker->error.clear();
                   worker->epoch = epoch;
                   try {
                     worker->session = std::make_unique<dynamics::DynamicsSession>(spec, config);
                   } catch (const Error& e) {
                     worker->error = e.what();
                   }
                 }
                 if (!worker->session) {
                   out->error = worker->error;
                   latest->publish(out);
                   return;
                 }
                 dynamics::DynamicsSession& session = *worker->session;
                 if (steps > 0) {
                   const auto start = std::chrono::steady_clock::now();
                   const std::int64_t done = session.step(steps, &context.control());
                   const double seconds =
                       std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
                   out->last_job_steps_per_second = seconds > 0 ? static_cast<double>(done) / seconds : 0.0;
                 }
                 out->records = session.snapshot();
                 out->steps_done = session.steps_done();
                 out->steps_total = session.config().steps;
                 out->finished = session.finished();
                 latest->publish(out);
               });
}

}  // namespace sglab::jobs
