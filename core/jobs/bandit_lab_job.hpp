#pragma once
// The bandit lab's background work (issue 9): one bandit::BanditSession (K
// seeds × methods × p_flip points) owned by the job runner's worker thread,
// driven by small jobs the UI posts ("train k more steps", "start again") and
// published to the UI as immutable snapshots after every chunk.
//
// As the mixing-dynamics engine (dynamics_lab_job.hpp): every job carries the
// configuration epoch it belongs to and the worker rebuilds the session when
// the epoch changed (new settings, reset), so a dropped job loses nothing.
// Playing is one long job that advances each active run `steps per frame`
// steps each time the UI reports a new frame: training runs while the UI
// draws, and the UI thread never waits. Pausing cancels it between two steps.
// A p_flip sweep steps one p_flip's runs together, so its points finish in turn.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "core/bandit/bandit_config.hpp"
#include "core/bandit/bandit_session.hpp"
#include "core/jobs/job_runner.hpp"
#include "core/jobs/play_pacer.hpp"

namespace sglab::jobs {

struct BanditLabSnapshot {
  std::uint64_t epoch = 0;  ///< the configuration these records belong to
  std::shared_ptr<const bandit::BanditSnapshot> session;  ///< every run's records (immutable); null on error
  std::string data_description;
  std::string error;  ///< the settings or the data were refused; nothing else is set
  double last_job_steps_per_second = 0.0;  ///< policy steps (over all runs) per second of the last chunk
};

class BanditLabEngine {
 public:
  /// `threads`: worker threads of the session (0: all cores).
  explicit BanditLabEngine(int threads = 0);
  ~BanditLabEngine();
  BanditLabEngine(const BanditLabEngine&) = delete;
  BanditLabEngine& operator=(const BanditLabEngine&) = delete;

  /// New settings: the next job starts a fresh session (step 0).
  void configure(const bandit::BanditConfig& config);
  /// Back to step 0 with the same settings (deterministic: the same records again).
  void reset();
  /// Trains `steps` more steps of each active run, replacing whatever the worker runs or has queued.
  void train(std::int64_t steps);
  /// Starts training `steps_per_frame` steps per reported frame until paused or finished.
  void play(int steps_per_frame);
  void set_steps_per_frame(int steps) { pacer_->steps_per_frame.store(steps); }
  /// Stops the playing job (between two steps).
  void pause();
  bool playing() const { return pacer_->playing.load(); }
  /// The UI calls this once per drawn frame.
  void note_frame() { pacer_->frames.fetch_add(1); }

  std::shared_ptr<const BanditLabSnapshot> latest() const { return latest_.get(); }
  std::uint64_t version() const { return latest_.version(); }
  std::uint64_t epoch() const { return epoch_; }
  bool busy() const { return runner_.busy(); }
  JobRunner& runner() { return runner_; }

 private:
  struct Worker;   // the session; only the worker thread touches it
  void post(std::int64_t steps, bool play = false);

  int threads_;
  bandit::BanditConfig config_;
  std::uint64_t epoch_ = 0;
  std::shared_ptr<Worker> worker_;
  std::shared_ptr<PlayPacer> pacer_;
  LatestSnapshot<BanditLabSnapshot> latest_;  // before runner_: outlives the worker thread
  JobRunner runner_;
};

}  // namespace sglab::jobs
