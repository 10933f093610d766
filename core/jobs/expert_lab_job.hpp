#pragma once
// What the expert-network lab computes for one setting of its knobs
// (THEORY.md §6), in stages that each publish a snapshot, so the plots fill
// in while a large-d job still runs:
//   1. the current cell (d, k, n): problem instance, closed forms, the MSE(λ)
//      curve, Monte Carlo errors at several λ, per-state errors (pooling view);
//   2. the n-sweep at (d, k): MSE and ratio against n (Monte Carlo + closed form);
//   3. the d-sweep for k−1, k, k+1: ratio and MSE against d (Figure 2a).
// The cells and how each is computed are core/expert/expert_plan.hpp's (the
// same plan the CLI sweep runs); this job only adds the cache, progress and
// publishing. A smaller sweep than the paper's keeps a knob change at d ≤ 12
// interactive.

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "core/expert/closed_form.hpp"
#include "core/expert/expert_sweep.hpp"
#include "core/jobs/expert_cell_cache.hpp"
#include "core/jobs/job_runner.hpp"
#include "core/expert/expert_scenario.hpp"
#include "core/stats/paired_bootstrap.hpp"

namespace sglab::jobs {

/// Monte Carlo MSE of the mixture (1 − λ)·BP + λ·SG at one λ, over the trials.
struct LambdaPoint {
  double lambda = 0.0;
  double mse = 0.0;
  double se = 0.0;
};

struct ExpertLabResult {
  expert::ExpertScenario scenario;
  int stages_done = 0;  ///< 0..3, see the file comment
  bool complete = false;

  // Stage 1: the current cell.
  int d = 0, k = 0, m = 0;
  double class_size = 0.0;  ///< G = 2^{d−k}
  bool has_theory = false;  ///< closed forms exist for every-state sampling only
  expert::ClosedForm theory;
  expert::ClosedForm theory_at_one;  ///< the same at n = 1 (the crossover and the dense n curves scale from it)
  double crossover_n = 0.0;  ///< n beyond which BP wins (+inf without leak)
  double mse_bp = 0.0, mse_sg = 0.0, mse_mix = 0.0;
  double se_bp = 0.0, se_sg = 0.0, se_mix = 0.0;
  stats::RatioInterval ratio;
  std::vector<double> lambda_grid, lambda_theory;  ///< closed-form E[MSE](λ)
  std::vector<LambdaPoint> lambda_points;          ///< Monte Carlo, incl. the chosen λ
  double lambda_star = 0.0;
  /// Per-state error averaged over the trials (bp[r], sg[r] sum to the MSEs).
  std::vector<float> state_err_bp, state_err_sg;
  /// Bit mask of the coordinates C_j each expert sees: expert j pools states
  /// r, r' exactly when (r ^ r') & mask[j] == 0 (same key, eq 22).
  std::vector<std::uint32_t> expert_masks;

  // Stage 2: against n at (d, k).
  std::vector<expert::CellResult> n_cells;
  std::vector<double> n_theory_grid, n_theory_bp, n_theory_sg;  ///< dense closed-form curves

  // Stage 3: against d, one vector of cells per k (ks ascending).
  std::vector<int> sweep_ks;
  std::vector<std::vector<expert::CellResult>> d_cells;

  double elapsed_ms = 0.0;  ///< wall time until this snapshot
};

/// The sweeps a setting implies (expert::lab_plan; for tests and the UI's captions).
std::vector<int> lab_sweep_ks(const expert::ExpertScenario& s);
std::vector<int> lab_sweep_dims(const expert::ExpertScenario& s, int k);
std::vector<int> lab_sweep_ns(const expert::ExpertScenario& s);

/// Runs the stages, calling `publish` after each with a new immutable
/// snapshot. Throws sglab::Cancelled (publishing nothing more) when the context is cancelled.
/// `cache` may be nullptr (compute everything).
void compute_expert_lab(const expert::ExpertScenario& s, int threads, const JobContext& context,
                        const std::function<void(std::shared_ptr<const ExpertLabResult>)>& publish,
                        ExpertCellCache* cache = nullptr);

}  // namespace sglab::jobs
