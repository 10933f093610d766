#pragma once
// One cell (case, d, k, n) of the expert sweep: the counter streams its trials
// and bootstrap read, and the summary of its trial errors. Shared by the CLI
// sweep and the app's live lab so both report identical numbers for a cell.

#include <cstdint>
#include <vector>

#include "core/expert/expert_config.hpp"
#include "core/expert/expert_problem.hpp"
#include "core/expert/expert_sweep.hpp"
#include "core/expert/trial_estimators.hpp"

namespace sglab::expert {

/// The noise stream of trial t of a cell.
std::uint64_t trial_noise_stream(NoiseCase c, int d, int k, int m, int n, Sampling sampling,
                                 std::uint64_t trial);

/// The stream of a cell's paired bootstrap.
std::uint64_t bootstrap_stream(NoiseCase c, int d, int k, int n);

/// The trial spec of a cell of `config` at n repeats.
TrialSpec cell_trial_spec(const SweepConfig& config, NoiseCase c, int n);

/// The closed forms of one cell (every-state sampling only).
struct CellTheory {
  ClosedForm form;
  double crossover_n = 0.0;
};
CellTheory cell_theory(const ExpertProblem& problem, const SweepConfig& config, NoiseCase c, int n);

/// Means, SEs, the bootstrap ratio interval and (every-state sampling) the
/// closed forms of one cell, from its per-trial errors in trial order.
CellResult summarize_cell(const ExpertProblem& problem, const SweepConfig& config, NoiseCase c,
                          int n, const std::vector<TrialErrors>& errors);

/// The same summary without the problem instance: `theory` (null without a
/// closed form) was computed where the instance was. Merging sweep shards
/// uses this, so a merged cell runs exactly the code of an unsharded one.
CellResult summarize_cell(int d, int k, int m, const SweepConfig& config, NoiseCase c, int n,
                          const std::vector<TrialErrors>& errors, const CellTheory* theory);

}  // namespace sglab::expert
