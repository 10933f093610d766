#pragma once
// Exact mode of the DAG lab (THEORY.md §7): enumerate every outcome (inputs ×
// dropout masks × terminal signs) with its probability and compute, per
// non-input node, for BP and for SG at the configured λ and predictor:
// μ_i, ECV/VCM/Bias² (eq 8), the moments of eq 16's parts a and b (for MSE(λ, n)
// and λ*(n), eq 17–18), and Bgap_i over the extended ancestor set (§3).
//
// Conditioning on o_i groups outcomes by the rounded values of i's parents
// (rounded_key_index.hpp). Results are identical for every thread count: work
// is split into fixed blocks of outcomes, and each node's sums run in a fixed
// order (configuration order; second moments as a within-configuration part
// plus a between-configuration part, dag_exact_analysis.cpp: CenteredSums).

#include <cstdint>
#include <memory>
#include <vector>

#include "core/dag/dag_exact_predictor.hpp"
#include "core/dag/dag_moments.hpp"
#include "core/dag/dag_network.hpp"
#include "core/dag/dag_outcome_space.hpp"
#include "core/dag/rounded_key_index.hpp"
#include "core/util/parallel_for.hpp"

namespace sglab::dag {

struct DagExactOptions {
  int threads = 0;                                   ///< 0 = all cores
  double grouping_tolerance = kDefaultGroupingTolerance;
  int max_outcome_bits = kMaxExactOutcomeBits;
  const WorkControl* control = nullptr;              ///< cancel (throws sglab::Cancelled) and progress
  /// Keep x and δ of every configuration between the three passes, and the
  /// means of a and b over the terminal signs per configuration and non-input
  /// node from pass 2 to pass 3, when they fit in this many bytes (2^18
  /// configurations × 32 nodes: 229 MB); otherwise run the forward pass again in
  /// each pass and BP and SG again in pass 3. BP and SG values per outcome are
  /// always recomputed per block (cheaper than storing 2^20 × nodes × 4 doubles).
  /// Results are identical either way.
  double cache_budget_bytes = 1.0e9;
  /// Compute Bgap (§3; the joint groups (o_i, x_A(i)), hashed per configuration
  /// and node). Sample mode reads only μ, the moments and the predictor of the
  /// analysis and turns it off; every other value is the same either way. When
  /// off, bgap, bgap_groups and bgap_relative are 0.
  bool with_bgap = true;
  /// Compute every moment. Sample mode reads only μ, ECV, VCM and the bias of
  /// BP and SG (Lemma 1) and the predictor, and turns this off: the total
  /// variances, the mixing moments (eq 16), sg_bp_distance and
  /// terminal_noise_variance are then 0; every other value is the same either way.
  bool full_moments = true;
  /// Hand x and δ of every configuration (the cache above) to the result
  /// (DagExactAnalysis::configuration_values), when they were cached. Sample
  /// mode builds its per-configuration table from them instead of running the
  /// forward pass again.
  bool keep_configuration_values = false;
};

/// x and δ of every configuration as dag_forward computes them, node-major:
/// node i at configuration c is at [i · configurations + c].
struct DagConfigurationValues {
  std::uint64_t configurations = 0;
  std::unique_ptr<double[]> x, delta;
};

struct DagNodeExact {
  int node = 0;
  int layer = 0;
  bool terminal = false;
  int parent_count = 0;
  double lambda = 0.0;                  ///< λ_i used by SG (terminals: not applicable, 0)
  std::size_t observation_groups = 0;   ///< distinct values of o_i
  Eigen::VectorXd mu;                   ///< μ_i = E[g_θi^BP] (eq 6)
  DagEstimatorMoments bp;
  DagEstimatorMoments sg;               ///< at the configured λ and predictor
  DagMixingMoments mixing;              ///< a and b of eq 16 (downstream λ as configured)
  double sg_bp_distance = 0.0;          ///< E||g_θi^SG − g_θi^BP||²
  double terminal_noise_variance = 0.0; ///< E[tr Cov(g_θi^BP | inputs, masks)]: BP variance due to terminal signs (A.1)
  std::vector<int> extended_ancestors;  ///< A(i), Definition 4
  std::size_t bgap_groups = 0;          ///< distinct values of (o_i, x_A(i))
  double bgap = 0.0;                    ///< E||E[g_i | o_i, x_A(i)] − E[g_i | o_i]||² (g_i: BP node gradient)
  double node_gradient_second_moment = 0.0;  ///< E[g_i²]
  double bgap_relative = 0.0;           ///< bgap / E[g_i²] (0 when E[g_i²] = 0)
};

struct DagExactAnalysis {
  DagOutcomeSpace space;
  PredictorKind configured_predictor = PredictorKind::oracle;
  PredictorKind predictor_used = PredictorKind::oracle;  ///< exact_predictor_kind(configured)
  std::vector<DagNodeExact> nodes;                       ///< every non-input node, in node order
  std::shared_ptr<const DagExactPredictor> predictor;    ///< reused by sample mode
  /// Only with DagExactOptions::keep_configuration_values (else null).
  std::shared_ptr<const DagConfigurationValues> configuration_values;
};

/// Runs the exact analysis; throws sglab::Error when the outcome space is too
/// large (require_exact_feasible); sglab::Cancelled when the work is cancelled.
DagExactAnalysis analyze_dag_exact(const DagNetwork& net, const DagExactOptions& options = {});

}  // namespace sglab::dag
