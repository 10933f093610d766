#include "core/jobs/dynamics_lab_job.hpp"

#include <chrono>
#include <thread>

#include "core/util/error.hpp"

namespace sglab::jobs {

struct DynamicsLabEngine::Worker {
  std::unique_ptr<dynamics::DynamicsSession> session;
  std::uint64_t epoch = ~std::uint64_t{0};
  std::string error;
};

DynamicsLabEngine::DynamicsLabEngine()
    : worker_(std::make_shared<Worker>()), shared_(std::make_shared<Shared>()) {}

DynamicsLabEngine::~DynamicsLabEngine() {
  runner_.cancel();
}

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

void DynamicsLabEngine::play(int steps_per_frame) {
  shared_->steps_per_frame.store(steps_per_frame);
  if (shared_->playing.load()) return;
  shared_->playing.store(true);  // set here, so a second call before the job starts posts nothing
  post(0, true);
}

// Pausing is not a cancellation: the playing job sees `playing` drop, ends
// between two chunks and publishes where it stopped. Cancellation (a newer job,
// the engine's end) throws sglab::Cancelled and publishes nothing.
void DynamicsLabEngine::pause() { shared_->playing.store(false); }

void DynamicsLabEngine::post(std::int64_t steps, bool play) {
  const std::uint64_t epoch = epoch_;
  const dag::DagSpec spec = spec_;
  const dynamics::TrainConfig config = config_;
  const std::size_t record_budget = record_budget_;
  std::shared_ptr<Worker> worker = worker_;
  std::shared_ptr<Shared> shared = shared_;
  LatestSnapshot<DynamicsLabSnapshot>* latest = &latest_;
  if (!play) shared->playing.store(false);  // this job replaces a playing one
  runner_.post(
      play        ? "training (playing)"
      : steps > 0 ? "training"
                  : "starting the runs",
      [epoch, spec, config, record_budget, steps, play, worker, shared, latest](const JobContext& context) {
        struct StopPlaying {  // however the job ends, unless a newer job took over the flag
          Shared* shared;
          bool play;
          const JobContext& context;
          ~StopPlaying() {
            if (play && !context.cancelled()) shared->playing.store(false);
          }
        } stop_playing{shared.get(), play, context};
        auto out = std::make_shared<DynamicsLabSnapshot>();
        out->epoch = epoch;
        if (worker->epoch != epoch) {  // new settings or reset: a fresh session at step 0
          worker->session.reset();
          worker->error.clear();
          worker->epoch = epoch;
          try {
            worker->session = std::make_unique<dynamics::DynamicsSession>(spec, config);
            worker->session->set_record_budget(record_budget);
            // The exact λ* probes on their own thread: training keeps its rate
            // and the records are the inline probe's bits (dynamics_session.hpp).
            worker->session->set_background_probes(true);
          } catch (const Error& e) {
            worker->error = e.what();
          }
        }
        if (!worker->session) {
          out->error = worker->error;
          context.throw_if_cancelled();
          latest->publish(out);
          return;
        }
        dynamics::DynamicsSession& session = *worker->session;
        if (play) {
          // One chunk per frame the UI reports; publish after each chunk.
          std::uint64_t seen = shared->frames.load();
          while (shared->playing.load() && !session.finished()) {
            while (shared->frames.load() == seen && shared->playing.load()) {
              context.throw_if_cancelled();
              std::this_thread::sleep_for(std::chrono::microseconds(500));
            }
            if (!shared->playing.load()) break;
            seen = shared->frames.load();
            const auto start = std::chrono::steady_clock::now();
            const std::int64_t done =
                session.step(shared->steps_per_frame.load(), &context.control());
            const double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            auto chunk = std::make_shared<DynamicsLabSnapshot>();
            chunk->epoch = epoch;
            chunk->last_job_steps_per_second =
                seconds > 0 ? static_cast<double>(done) / seconds : 0.0;
            chunk->records = session.snapshot();
            chunk->steps_done = session.steps_done();
            chunk->steps_total = session.config().steps;
            chunk->finished = session.finished();
            context.throw_if_cancelled();
            latest->publish(chunk);
          }
          out->last_job_steps_per_second =
              latest->get() ? latest->get()->last_job_steps_per_second : 0.0;
          session.complete_probes();  // paused: the records up to the last step
        }
        if (steps > 0) {
          const auto start = std::chrono::steady_clock::now();
          const std::int64_t done = session.step(steps, &context.control());
          session.complete_probes();
          const double seconds =
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
          out->last_job_steps_per_second = seconds > 0 ? static_cast<double>(done) / seconds : 0.0;
        }
        out->records = session.snapshot();
        out->steps_done = session.steps_done();
        out->steps_total = session.config().steps;
        out->finished = session.finished();
        context.throw_if_cancelled();
        latest->publish(out);
      });
}

}  // namespace sglab::jobs
