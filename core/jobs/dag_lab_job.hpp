#pragma once
// What the DAG lab computes for one DAG spec (THEORY.md §7, issue 5), in two
// stages that each publish an immutable snapshot:
//   1. exact mode: resolve the spec, run the exact analysis, assess the
//      conditions (§3) and tabulate, per node, Lemma 1's MSE(n) for BP and SG,
//      λ*(n) (eq 18) and the exact MSE(λ) curve at the lab's n (eq 17);
//   2. sample mode at a few n: measured MSE ± SE of BP and SG, beside Lemma 1.
// The UI only draws these numbers; it never recomputes them.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/dag/dag_conditions.hpp"
#include "core/dag/dag_exact_analysis.hpp"
#include "core/dag/dag_network.hpp"
#include "core/dag/dag_sample_mode.hpp"
#include "core/dag/dag_spec.hpp"
#include "core/jobs/job_runner.hpp"

namespace sglab::jobs {

/// Everything that changes the lab's numbers.
struct DagLabRequest {
  dag::DagSpec spec;        ///< may be partly unresolved: the job resolves it from the seed
  double n = 1.0;           ///< the sample size the lab shows (win/lose marks, MSE(λ) curve)
  int sample_trials = 200;  ///< trials per sample-mode point (0: no sample mode)
  std::vector<double> sample_ns = {1, 4, 16, 64, 256};
};

/// One node's curves, all from the exact moments (Lemma 1, eq 17, eq 18).
struct DagNodeCurves {
  int node = 0;
  bool terminal = false;
  std::vector<double> mse_bp, mse_sg;  ///< on DagLabResult::n_grid
  bool mixing = false;                 ///< λ applies (non-terminal node)
  std::vector<double> lambda_star;     ///< λ*(n) on n_grid (empty without mixing)
  std::vector<double> mse_lambda;      ///< MSE(λ, n_lab) on lambda_grid (empty without mixing)
  dag::LambdaStar star_at_n;           ///< λ* at the lab's n, with its two sides
  dag::Crossover crossover;            ///< where SG (as configured) and BP trade places
  dag::DagNodeComparison comparison;   ///< SG against BP over n (words: dag::describe)
  double mse_bp_at_n = 0.0, mse_sg_at_n = 0.0;
  int winner_at_n = 0;  ///< +1: SG lower MSE at n, −1: BP lower, 0: tie
};

/// Sample mode at one n: per node (same order as the exact nodes).
struct DagSamplePoint {
  double n = 0.0;
  std::vector<dag::DagNodeSample> nodes;
};

struct DagLabResult {
  DagLabRequest request;
  std::uint64_t request_version = 0;  ///< the lab's edit counter when posted
  int stages_done = 0;                ///< 0..2, see the file comment
  bool complete = false;
  std::string error;  ///< the spec is invalid or too large; nothing else is set

  dag::DagSpec resolved;
  std::shared_ptr<const dag::DagNetwork> network;
  std::shared_ptr<const dag::DagExactAnalysis> analysis;
  dag::DagConditions conditions;
  std::vector<double> n_grid;           ///< log-spaced sample sizes for the MSE(n) and λ*(n) lines
  std::vector<double> lambda_grid;      ///< 0..1
  std::vector<DagNodeCurves> curves;    ///< one per analysis node, same order
  std::vector<DagSamplePoint> samples;  ///< stage 2
  double exact_ms = 0.0;                ///< wall time of stage 1
  double elapsed_ms = 0.0;              ///< wall time until this snapshot

  /// Index into analysis->nodes / curves of a global node id; −1 for inputs or unknown ids.
  int index_of(int node) const;
};

/// Runs the stages, calling `publish` after each with a new immutable
/// snapshot. A spec error publishes one snapshot with `error` set. Throws
/// sglab::Cancelled (publishing nothing more) when the context is cancelled.
void compute_dag_lab(const DagLabRequest& request, std::uint64_t request_version, int threads,
                     const JobContext& context,
                     const std::function<void(std::shared_ptr<const DagLabResult>)>& publish);

}  // namespace sglab::jobs
