#pragma once
// The mixing-dynamics lab's background work (issue 5): one DynamicsSession
// (core/dynamics) owned by the job runner's worker thread, driven by small
// jobs the UI posts — "train k more steps", "start again" — and published to
// the UI as immutable snapshots of the records after every job.
//
// Every job carries the configuration epoch it belongs to; the worker rebuilds
// the session whenever the epoch changed (new network, new settings, reset), so
// a job the runner drops in favour of a newer one loses nothing. Playing is one
// long job that trains `steps per frame` steps each time the UI reports a new
// frame (note_frame), publishing a snapshot after each chunk: training runs
// while the UI draws, never more than the asked steps per frame, and the UI
// thread never waits. Pausing ends that job between two chunks (it publishes
// where it stopped); a newer job cancels it (sglab::Cancelled, nothing published).
// The session's exact λ* probes run on a thread of their own (issue 12): while
// playing, a snapshot holds the records up to the last landed probe; a step job
// or a pause publishes every record up to the last step.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "core/dag/dag_spec.hpp"
#include "core/dynamics/dynamics_session.hpp"
#include "core/dynamics/train_config.hpp"
#include "core/dynamics/train_records.hpp"
#include "core/jobs/job_runner.hpp"
#include "core/jobs/play_pacer.hpp"

namespace sglab::jobs {

struct DynamicsLabSnapshot {
  std::uint64_t epoch = 0;         ///< the configuration these records belong to
  dynamics::TrainRecords records;  ///< every recorded step so far (immutable)
  std::int64_t steps_done = 0;
  std::int64_t steps_total = 0;
  bool finished = false;
  std::string error;  ///< the network or settings were refused; nothing else is set
  double last_job_steps_per_second = 0.0;  ///< worker throughput of the last step job
};

class DynamicsLabEngine {
 public:
  DynamicsLabEngine();
  ~DynamicsLabEngine();
  DynamicsLabEngine(const DynamicsLabEngine&) = delete;
  DynamicsLabEngine& operator=(const DynamicsLabEngine&) = delete;

  /// New network or settings: the next job starts a fresh session (step 0).
  void configure(const dag::DagSpec& spec, const dynamics::TrainConfig& config);
  /// Back to step 0 with the same settings (deterministic: the same records again).
  void reset();
  /// Memory budget of the records of the sessions started after this call
  /// (configure or reset); past it older steps are thinned (TrainRecorder).
  void set_record_budget(std::size_t bytes) { record_budget_ = bytes; }
  /// Trains `steps` more steps on the worker. Returns false (posting nothing)
  /// while the worker is busy: call again on a later frame.
  bool advance(std::int64_t steps);
  /// Trains `steps` more steps, replacing whatever the worker runs or has queued.
  void train(std::int64_t steps) {
    if (steps > 0) post(steps);
  }
  /// Starts training `steps_per_frame` steps per reported frame until paused or finished.
  void play(int steps_per_frame);
  void set_steps_per_frame(int steps) { pacer_->steps_per_frame.store(steps); }
  /// Stops the playing job (between two chunks).
  void pause();
  /// True while the playing job runs.
  bool playing() const { return pacer_->playing.load(); }
  /// The UI calls this once per drawn frame.
  void note_frame() { pacer_->frames.fetch_add(1); }

  std::shared_ptr<const DynamicsLabSnapshot> latest() const { return latest_.get(); }
  std::uint64_t version() const { return latest_.version(); }
  std::uint64_t epoch() const { return epoch_; }
  bool busy() const { return runner_.busy(); }
  JobRunner& runner() { return runner_; }

 private:
  struct Worker;   // the session; only the worker thread touches it
  void post(std::int64_t steps, bool play = false);

  dag::DagSpec spec_;
  dynamics::TrainConfig config_;
  std::uint64_t epoch_ = 0;
  std::size_t record_budget_ = dynamics::TrainRecorder::kDefaultMaxBytes;
  std::shared_ptr<Worker> worker_;
  std::shared_ptr<PlayPacer> pacer_;
  LatestSnapshot<DynamicsLabSnapshot> latest_;  // before runner_: outlives the worker thread
  JobRunner runner_;
};

}  // namespace sglab::jobs
