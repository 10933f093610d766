#include "core/jobs/bandit_lab_job.hpp"

#include <algorithm>

#include "core/jobs/play_pacer.hpp"
#include "core/util/error.hpp"

namespace sglab::jobs {

struct BanditLabEngine::Worker {
  std::unique_ptr<bandit::BanditSession> session;
  std::uint64_t epoch = ~std::uint64_t{0};
  std::string error;

  void ensure_session(std::uint64_t for_epoch, const bandit::BanditConfig& config, int threads);
};

namespace {

// Advances the session by `steps` per active run; returns the steps per second of all runs.
double timed_advance(bandit::BanditSession& session, std::int64_t steps, const WorkControl& control) {
  return steps_per_second([&] {
    const std::int64_t before = session.snapshot()->steps_done;
    session.advance(steps, &control);
    return session.snapshot()->steps_done - before;
  });
}

std::shared_ptr<BanditLabSnapshot> snapshot_of(const bandit::BanditSession& session, std::uint64_t epoch,
                                               double steps_per_second) {
  auto out = std::make_shared<BanditLabSnapshot>();
  out->epoch = epoch;
  out->session = session.snapshot();
  out->data_description = session.data_description();
  out->last_job_steps_per_second = steps_per_second;
  return out;
}

// The plan runs p_flip outermost: stepping one p_flip's runs together (memory
// permitting) finishes the sweep point by point, so the final-reward panel
// fills in as the sweep runs instead of all at the very end.
std::size_t runs_per_p_flip(const bandit::BanditConfig& config) {
  if (config.p_flip.size() < 2) return 0;
  return std::max<std::size_t>(1, bandit::plan_bandit_runs(config).size() / config.p_flip.size());
}

}  // namespace

BanditLabEngine::BanditLabEngine(int threads)
    : threads_(threads), worker_(std::make_shared<Worker>()), pacer_(std::make_shared<PlayPacer>()) {}

BanditLabEngine::~BanditLabEngine() { runner_.cancel(); }

void BanditLabEngine::configure(const bandit::BanditConfig& config) {
  config_ = config;
  ++epoch_;
  post(0);
}

void BanditLabEngine::reset() {
  ++epoch_;
  post(0);
}

void BanditLabEngine::train(std::int64_t steps) {
  if (steps > 0) post(steps);
}

void BanditLabEngine::play(int steps_per_frame) {
  if (pacer_->start(steps_per_frame)) post(0, true);
}

// Pausing cancels the playing job (a step of a large sweep is long); the job
// still publishes where it stopped.
void BanditLabEngine::pause() {
  if (!pacer_->playing.exchange(false)) return;
  runner_.cancel();
}

// A fresh session at step 0 when configure or reset moved the epoch on; no
// session (and `error` set) when the settings or the data were refused.
void BanditLabEngine::Worker::ensure_session(std::uint64_t for_epoch, const bandit::BanditConfig& config,
                                             int threads) {
  if (epoch == for_epoch) return;
  session.reset();
  error.clear();
  epoch = for_epoch;
  try {
    session = std::make_unique<bandit::BanditSession>(config, threads, runs_per_p_flip(config));
  } catch (const Error& e) {
    error = e.what();
  }
}

void BanditLabEngine::post(std::int64_t steps, bool play) {
  const std::uint64_t epoch = epoch_;
  const bandit::BanditConfig config = config_;
  const int threads = threads_;
  std::shared_ptr<Worker> worker = worker_;
  std::shared_ptr<PlayPacer> pacer = pacer_;
  LatestSnapshot<BanditLabSnapshot>* latest = &latest_;
  if (!play) pacer->playing.store(false);  // this job replaces a playing one
  runner_.post(
      play ? "training (playing)" : steps > 0 ? "training" : "starting the runs",
      [epoch, config, threads, steps, play, worker, pacer, latest](const JobContext& context) {
        const PlayPacer::StopWhenDone stop_playing(*pacer, play, context);
        worker->ensure_session(epoch, config, threads);
        if (!worker->session) {
          auto out = std::make_shared<BanditLabSnapshot>();
          out->epoch = epoch;
          out->error = worker->error;
          latest->publish(out);
          return;
        }
        bandit::BanditSession& session = *worker->session;
        double rate = latest->get() && latest->get()->epoch == epoch ? latest->get()->last_job_steps_per_second : 0.0;
        if (play) {
          // One chunk per frame the UI reports; publish after each chunk.
          std::uint64_t seen = pacer->frames.load();
          while (!session.finished() && pacer->wait_for_frame(seen, [&] { return !context.cancelled(); })) {
            rate = timed_advance(session, pacer->steps_per_frame.load(), context.control());
            latest->publish(snapshot_of(session, epoch, rate));
          }
        }
        if (steps > 0) rate = timed_advance(session, steps, context.control());
        latest->publish(snapshot_of(session, epoch, rate));
      });
}

}  // namespace sglab::jobs
