#pragma once
// The one plan of expert-network work (THEORY.md §6), executed by both the
// CLI sweep (expert_sweep.hpp) and the app's live lab (core/jobs/expert_lab_job):
//   - which cells to compute: the paper's sweep over (k, d, case, n), or the
//     lab's smaller sweeps around its current (d, k, n);
//   - how a cell is computed on a problem instance: its trials (in batches, on
//     the counter streams of expert_cell.hpp) and their summary.
// Both callers run cells through run_cells, so a cell has the same numbers
// wherever it is shown.

#include <vector>

#include "core/expert/expert_cell.hpp"
#include "core/expert/expert_config.hpp"
#include "core/expert/expert_problem.hpp"
#include "core/expert/expert_sweep.hpp"
#include "core/util/parallel_for.hpp"

namespace sglab::expert {

/// One cell on a given problem instance (d, k): the noise case and n.
struct CellSpec {
  NoiseCase noise_case = NoiseCase::kNoisy;
  int n = 1;
};

/// The cells sharing one problem instance.
struct PlanGroup {
  int d = 0, k = 0;
  std::vector<CellSpec> cells;
};

/// The paper's sweep: one group per (k, d), k outer; cells ordered by case, then n.
std::vector<PlanGroup> sweep_plan(const SweepConfig& config);

/// The lab's sweeps around its current (d, k, n) (smaller than the paper's, so a
/// knob change at d ≤ 12 stays interactive).
struct LabPlan {
  std::vector<int> ks;                 ///< k − 1, k, k + 1 within [1, d]
  std::vector<std::vector<int>> dims;  ///< per entry of ks: the d-sweep
  std::vector<int> ns;                 ///< the n-sweep at (d, k), ascending, includes n
};
LabPlan lab_plan(int d, int k, int n, double leak);
/// The lab's d-sweep for one k when the current dimension is d.
std::vector<int> lab_sweep_dims(int d, int k, double leak);

/// Computes `cells` on `problem` (the trials of every cell in parallel, in
/// batches of kMaxTrialBatch) and summarises each; results in the order of
/// `cells`, identical for every thread count. Throws sglab::Cancelled.
std::vector<CellResult> run_cells(const ExpertProblem& problem, const SweepConfig& config,
                                  const std::vector<CellSpec>& cells, int threads,
                                  const WorkControl* control = nullptr);

/// run_cells for several problem instances at once, in one pool of work
/// items (every batch of trials, the closed forms of every (instance, case),
/// then every cell's summary), so small instances keep all cores busy too.
/// Result g holds the cells of cells[g] on problems[g], in order; the same
/// numbers as run_cells on each group alone, for any thread count.
std::vector<std::vector<CellResult>> run_groups(const std::vector<const ExpertProblem*>& problems,
                                                const SweepConfig& config,
                                                const std::vector<const std::vector<CellSpec>*>& cells, int threads,
                                                const WorkControl* control = nullptr);

/// Extra per-trial detail of one cell, for the lab's current cell.
struct CellDetail {
  std::vector<double> state_err_bp, state_err_sg;  ///< per state, summed over the trials
  std::vector<double> cross;                       ///< per trial: ⟨e_BP, e_SG⟩
};

/// One cell as run_cells computes it, plus `detail`: the trials run at λ = ½,
/// where ||(1−λ)e_BP + λe_SG||² = (1−λ)²·bp + λ²·sg + 2λ(1−λ)·⟨e_BP, e_SG⟩ and
/// ⟨e_BP, e_SG⟩ = 2·mix(½) − (bp + sg)/2, so one trial gives the mixture at
/// every λ; the cell's mixture at config.lambda is formed that way. Trials run in a
/// fixed number of chunks, so every per-state sum is the same for any thread count.
CellResult run_cell_with_detail(const ExpertProblem& problem, const SweepConfig& config, CellSpec cell,
                                int threads, const WorkControl* control, CellDetail& detail);

}  // namespace sglab::expert
