#pragma once
// The expert lab's memory between knob changes (core/jobs/expert_lab_job.hpp):
// finished cells and built problem instances.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/expert/expert_problem.hpp"
#include "core/expert/expert_sweep.hpp"
#include "core/expert/expert_scenario.hpp"
#include "core/util/parallel_for.hpp"

namespace sglab::jobs {

/// What the lab keeps between knob changes, so a change recomputes only what
/// it alters. Cells are keyed by everything that changes a cell's BP and SG
/// errors (λ does not: it only mixes them), so moving d ≤ 12, k or λ mostly
/// hits the cache. Problem instances are keyed by (d, k, m, ε, seed), so
/// σ, p, τ, n, the case or the trial count reuse them. Thread-safe, bounded.
class ExpertCellCache {
 public:
  static std::string key(const expert::ExpertScenario& s, int d, int k, int n);
  bool find(const std::string& key, expert::CellResult& out) const;
  /// Whether `key` is cached, without counting a hit (progress planning).
  bool contains(const std::string& key) const;
  void store(const std::string& key, const expert::CellResult& cell);
  std::size_t size() const;
  /// Cell look-ups answered from the cache, since construction (for tests).
  std::size_t hits() const;

  /// The instance for `spec`, built (outside the lock) if absent; throws sglab::Cancelled if cancelled.
  std::shared_ptr<const expert::ExpertProblem> problem(const expert::ProblemSpec& spec, int threads,
                                                       const WorkControl* control);
  std::size_t problems() const;

 private:
  static constexpr std::size_t kMaxCells = 4096;
  static constexpr double kMaxProblemBytes = 768.0 * 1024 * 1024;
  mutable std::mutex mutex_;
  std::map<std::string, expert::CellResult> cells_;
  mutable std::size_t hits_ = 0;
  struct Held {
    std::shared_ptr<const expert::ExpertProblem> problem;
    std::uint64_t last_use = 0;
    double bytes = 0;
  };
  std::map<std::string, Held> problems_;
  std::uint64_t clock_ = 0;
};

}  // namespace sglab::jobs
