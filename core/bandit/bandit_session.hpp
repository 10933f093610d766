#pragma once
// A bandit experiment (K seeds × methods × sweep points) stepped in chunks,
// for the CLI and a GUI alike: advance() runs a chunk of steps of the active
// runs and honours a WorkControl's cancel flag; snapshot() returns an
// immutable copy of every run's records (eval points, per-layer λ, gradient
// norms) that may be read from another thread while the next chunk runs.
// Results do not depend on the thread count: runs are independent and each
// run's numbers do not depend on how its neurons are split over threads.

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/bandit/bandit_config.hpp"
#include "core/bandit/bandit_data.hpp"
#include "core/bandit/bandit_run.hpp"
#include "core/util/parallel_for.hpp"

namespace sglab::bandit {

struct BanditRunResult {
  BanditRunSpec spec;
  std::int64_t steps_done = 0;
  std::vector<BanditEvalRecord> evals;
};

struct BanditSnapshot {
  std::vector<BanditRunResult> runs;  ///< in plan order; runs not started yet have no evals
  std::int64_t steps_done = 0;        ///< over all runs
  std::int64_t steps_total = 0;
  bool finished = false;
};

/// Every run of a config, in output order: p_flip, then num_parents, then
/// policy_lr (or each method's default), then method, then seed. The MLP has
/// no parents, so it runs only at the first num_parents value.
std::vector<BanditRunSpec> plan_bandit_runs(const BanditConfig& config);

/// The policy learning rate of a method when config.policy_lr is empty.
double default_policy_lr(const BanditConfig& config, Method method);

/// A contiguous part [begin, end) of plan_bandit_runs (a shard); the default is every run.
struct PlanRange {
  std::size_t begin = 0;
  std::size_t end = static_cast<std::size_t>(-1);
};

class BanditSession {
 public:
  /// Validates the config and loads the data (the digits file once); throws sglab::Error.
  /// `max_active_runs` caps the runs stepped together (0: as many as fit in ~1 GB, so a
  /// GUI sees every run move; the CLI passes its thread count so runs finish one by one).
  /// `runs` keeps only those runs of the plan: each run's numbers are the same
  /// as in the whole experiment (one seed and one stream per run).
  BanditSession(const BanditConfig& config, int threads, std::size_t max_active_runs = 0, PlanRange runs = {});

  /// Runs up to `steps_per_run` more steps of each active run (a group of runs
  /// kept in memory at once). Returns false if cancelled (the work done stays).
  bool advance(std::int64_t steps_per_run, const WorkControl* control = nullptr);
  bool finished() const;
  std::shared_ptr<const BanditSnapshot> snapshot() const;

  const BanditConfig& config() const { return config_; }
  /// The runs this session steps (plan_bandit_runs, or the part `runs` kept).
  const std::vector<BanditRunSpec>& plan() const { return plan_; }
  /// Index in plan_bandit_runs(config) of plan()[0].
  std::size_t plan_begin() const { return plan_begin_; }
  /// What the contexts are, for progress lines and output metadata.
  const std::string& data_description() const { return data_description_; }

 private:
  std::shared_ptr<const BanditData> data_for(std::uint64_t seed);
  void publish();

  BanditConfig config_;
  int threads_;
  std::vector<BanditRunSpec> plan_;
  std::size_t plan_begin_ = 0;
  std::size_t group_size_ = 1;
  std::size_t next_run_ = 0;
  struct ActiveRun {
    std::size_t plan_index;
    std::unique_ptr<BanditRun> run;
    double seconds_per_step;  ///< measured by the scheduler, 0 before the first step
  };
  std::vector<ActiveRun> active_;
  std::vector<BanditRunResult> results_;
  std::shared_ptr<const DigitsData> digits_;
  std::map<std::uint64_t, std::shared_ptr<const BanditData>> data_;
  std::string data_description_;
  mutable std::mutex snapshot_mutex_;
  std::shared_ptr<const BanditSnapshot> snapshot_;
};

}  // namespace sglab::bandit
