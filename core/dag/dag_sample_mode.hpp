#pragma once
// Sample mode of the DAG lab (THEORY.md §7): each trial draws n i.i.d. outcomes
// and estimates every node's parameter gradient by the sample mean of
//   - BP (eq 4, 6);
//   - SG with a predictor learned from the same n samples (a table keyed by the
//     exact o_c, or least squares on [o_c, 1] via Eigen), regressing the BP
//     message m_c = δ_c g_c (convention: the target of eq 13);
//   - SG with the exact-mode predictor (oracle or best-linear) when the outcome
//     space is small enough to enumerate.
// Over many trials it reports the measured MSE ± SE per node, beside Lemma 1's
// exact value where one exists (BP, and SG with the exact predictor).
// Trials run in parallel; trial t reads only its own random stream, so results
// are identical for every thread count.

#include <cstdint>
#include <memory>
#include <vector>

#include "core/dag/dag_exact_analysis.hpp"
#include "core/dag/dag_network.hpp"
#include "core/util/parallel_for.hpp"

namespace sglab::dag {

struct DagSampleOptions {
  std::uint64_t samples_per_trial = 64;   ///< n
  int trials = 200;
  int threads = 0;                        ///< 0 = all cores
  bool learned = true;                    ///< run SG with the learned predictor
  bool exact_reference = true;            ///< use exact mode (if feasible) for μ, Lemma 1 and the exact predictor
  /// The exact analysis of this very network, when the caller already has it: reused as
  /// is instead of being recomputed (the DAG lab runs sample mode at several n).
  std::shared_ptr<const DagExactAnalysis> exact_analysis;
  std::uint64_t stream_offset = 0;        ///< shifts the trial streams (independent repetitions, same seed)
  /// Use the generic per-sample path even when the exact analysis ran (no SG-exact
  /// estimate then). For tests that hold the fast path to the generic one.
  bool generic_path = false;
  const WorkControl* control = nullptr;   ///< cancel (throws sglab::Cancelled) and progress
};

struct DagSampleEstimate {
  bool present = false;
  double mse = 0.0;          ///< mean over trials of ||ĝ − μ||²
  double se = 0.0;           ///< its standard error over trials
  bool has_lemma1 = false;
  double lemma1 = 0.0;       ///< Lemma 1's exact MSE(n)
};

struct DagNodeSample {
  int node = 0;
  int layer = 0;
  bool terminal = false;
  DagSampleEstimate bp;
  DagSampleEstimate sg_learned;
  DagSampleEstimate sg_exact;
};

struct DagSampleResult {
  std::uint64_t samples_per_trial = 0;
  int trials = 0;
  std::uint64_t seed = 0;
  bool has_exact = false;                 ///< exact analysis ran: μ exact, Lemma 1 shown
  PredictorKind learned_kind = PredictorKind::learned_table;
  PredictorKind exact_kind = PredictorKind::oracle;
  std::vector<DagNodeSample> nodes;       ///< every non-input node
  std::shared_ptr<const DagExactAnalysis> exact;  ///< the exact analysis used, when there is one
};

/// Learned predictor used in sample mode for a configured predictor kind.
PredictorKind learned_predictor_kind(PredictorKind configured);

/// Runs sample mode with the network's seed. Without the exact analysis, μ_i is estimated by the grand
/// mean of the BP estimates over all trials (and Lemma 1 is not shown).
DagSampleResult run_dag_sample_mode(const DagNetwork& net, const DagSampleOptions& options);

}  // namespace sglab::dag
