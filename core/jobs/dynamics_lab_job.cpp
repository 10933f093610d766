#include "core/jobs/dynamics_lab_job.hpp"

#include "core/util/error.hpp"

namespace sglab::jobs {

struct DynamicsLabEngine::Worker {
  std::unique_ptr<dynamics::DynamicsSession> session;
  std::uint64_t epoch = ~std::uint64_t{0};
  std::string error;

  void ensure_session(std::uint64_t for_epoch, const dag::DagSpec& spec, const dynamics::TrainConfig& config,
                      std::size_t record_budget);
};

namespace {

std::shared_ptr<DynamicsLabSnapshot> snapshot_of(const dynamics::DynamicsSession& session, std::uint64_t epoch,
                                                 double steps_per_second) {
  auto out = std::make_shared<DynamicsLabSnapshot>();
  out->epoch = epoch;
  out->last_job_steps_per_second = steps_per_second;
  out->records = session.snapshot();
  out->steps_done = session.steps_done();
  out->steps_total = session.config().steps;
  out->finished = session.finished();
  return out;
}

}  // namespace

DynamicsLabEngine::DynamicsLabEngine()
    : worker_(std::make_shared<Worker>()), pacer_(std::make_shared<PlayPacer>()) {}

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
  if (pacer_->start(steps_per_frame)) post(0, true);
}

// Pausing is not a cancellation: the playing job sees `playing` drop, ends
// between two chunks and publishes where it stopped. Cancellation (a newer job,
// the engine's end) throws sglab::Cancelled and publishes nothing.
void DynamicsLabEngine::pause() { pacer_->playing.store(false); }

// A fresh session at step 0 when configure or reset moved the epoch on; no
// session (and `error` set) when the network or settings were refused.
void DynamicsLabEngine::Worker::ensure_session(std::uint64_t for_epoch, const dag::DagSpec& spec,
                                               const dynamics::TrainConfig& config, std::size_t record_budget) {
  if (epoch == for_epoch) return;
  session.reset();
  error.clear();
  epoch = for_epoch;
  try {
    session = std::make_unique<dynamics::DynamicsSession>(spec, config);
    session->set_record_budget(record_budget);
    // The exact λ* probes on their own thread: training keeps its rate and the
    // records are the inline probe's bits (dynamics_session.hpp).
    session->set_background_probes(true);
  } catch (const Error& e) {
    error = e.what();
  }
}

void DynamicsLabEngine::post(std::int64_t steps, bool play) {
  const std::uint64_t epoch = epoch_;
  const dag::DagSpec spec = spec_;
  const dynamics::TrainConfig config = config_;
  const std::size_t record_budget = record_budget_;
  std::shared_ptr<Worker> worker = worker_;
  std::shared_ptr<PlayPacer> pacer = pacer_;
  LatestSnapshot<DynamicsLabSnapshot>* latest = &latest_;
  if (!play) pacer->playing.store(false);  // this job replaces a playing one
  runner_.post(
      play        ? "training (playing)"
      : steps > 0 ? "training"
                  : "starting the runs",
      [epoch, spec, config, record_budget, steps, play, worker, pacer, latest](const JobContext& context) {
        const PlayPacer::StopWhenDone stop_playing(*pacer, play, context);
        worker->ensure_session(epoch, spec, config, record_budget);
        if (!worker->session) {
          auto out = std::make_shared<DynamicsLabSnapshot>();
          out->epoch = epoch;
          out->error = worker->error;
          context.throw_if_cancelled();
          latest->publish(out);
          return;
        }
        dynamics::DynamicsSession& session = *worker->session;
        double rate = 0.0;
        if (play) {
          // One chunk per frame the UI reports; publish after each chunk.
          std::uint64_t seen = pacer->frames.load();
          const auto still_playing = [&] {
            context.throw_if_cancelled();
            return pacer->playing.load();
          };
          while (!session.finished() && pacer->wait_for_frame(seen, still_playing)) {
            rate = steps_per_second([&] { return session.step(pacer->steps_per_frame.load(), &context.control()); });
            auto chunk = snapshot_of(session, epoch, rate);
            context.throw_if_cancelled();
            latest->publish(chunk);
          }
          if (latest->get()) rate = latest->get()->last_job_steps_per_second;
          session.complete_probes();  // paused: the records up to the last step
        }
        if (steps > 0)
          rate = steps_per_second([&] {
            const std::int64_t done = session.step(steps, &context.control());
            session.complete_probes();
            return done;
          });
        auto out = snapshot_of(session, epoch, rate);
        context.throw_if_cancelled();
        latest->publish(out);
      });
}

}  // namespace sglab::jobs
