#include "core/jobs/bandit_lab_job.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include "core/util/error.hpp"

namespace sglab::jobs {

struct BanditLabEngine::Worker {
  std::unique_ptr<bandit::BanditSession> session;
  std::uint64_t epoch = ~std::uint64_t{0};
  std::string error;
};

namespace {

// Advances the session by `steps` per active run; returns the steps per second of all runs.
double timed_advance(bandit::BanditSession& session, std::int64_t steps, const WorkControl& control) {
  const std::int64_t before = session.snapshot()->steps_done;
  const auto start = std::chrono::steady_clock::now();
  session.advance(steps, &control);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::int64_t done = session.snapshot()->steps_done - before;
  return seconds > 0 ? static_cast<double>(done) / seconds : 0.0;
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
    : threads_(threads), worker_(std::make_shared<Worker>()), shared_(std::make_shared<Shared>()) {}

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
  shared_->steps_per_frame.store(steps_per_frame);
  if (shared_->playing.load()) return;
  shared_->playing.store(true);  // set here, so a second call before the job starts posts nothing
  post(0, true);
}

void BanditLabEngine::pause() {
  if (shared_->playing.load()) runner_.cancel();
}

void BanditLabEngine::post(std::int64_t steps, bool play) {
  const std::uint64_t epoch = epoch_;
  const bandit::BanditConfig config = config_;
  const int threads = threads_;
  std::shared_ptr<Worker> worker = worker_;
  std::shared_ptr<Shared> shared = shared_;
  LatestSnapshot<BanditLabSnapshot>* latest = &latest_;
  if (!play) shared->playing.store(false);  // this job replaces a playing one
  runner_.post(
      play ? "training (playing)" : steps > 0 ? "training" : "starting the runs",
      [epoch, config, threads, steps, play, worker, shared, latest](const JobContext& context) {
        struct StopPlaying {  // however the job ends
          Shared* shared;
          bool play;
          ~StopPlaying() {
            if (play) shared->playing.store(false);
          }
        } stop_playing{shared.get(), play};
        if (worker->epoch != epoch) {  // new settings or reset: a fresh session at step 0
          worker->session.reset();
          worker->error.clear();
          worker->epoch = epoch;
          try {
            worker->session = std::make_unique<bandit::BanditSession>(config, threads, runs_per_p_flip(config));
          } catch (const Error& e) {
            worker->error = e.what();
          }
        }
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
          std::uint64_t seen = shared->frames.load();
          while (!context.cancelled() && !session.finished()) {
            while (shared->frames.load() == seen && !context.cancelled())
              std::this_thread::sleep_for(std::chrono::microseconds(500));
            if (context.cancelled()) break;
            seen = shared->frames.load();
            rate = timed_advance(session, shared->steps_per_frame.load(), context.control());
            latest->publish(snapshot_of(session, epoch, rate));
          }
        }
        if (steps > 0) rate = timed_advance(session, steps, context.control());
        latest->publish(snapshot_of(session, epoch, rate));
      });
}

}  // namespace sglab::jobs
