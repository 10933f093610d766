#pragma once
// Conditions A.1 / A.2 / A.3 / B of THEORY.md §3, detected from the network and
// confirmed by the exact numbers, and theorem verdicts (§4) that state only
// what those numbers back.

#include <string>
#include <vector>

#include "core/dag/dag_exact_analysis.hpp"

namespace sglab::dag {

struct DagConditionStatus {
  bool declared = false;   ///< set by the spec (σ > 0, dropout, sparse fan-in)
  bool effective = false;  ///< confirmed by the exact numbers
  std::string reason;      ///< what was found, with the measured value
};

struct DagConditions {
  DagConditionStatus a1;   ///< stochastic terminal feedback
  DagConditionStatus a2;   ///< stochastic computation (dropout)
  DagConditionStatus a3;   ///< sparse connectivity
  DagConditionStatus a;    ///< A as a whole: declared if any part is; effective if ECV^BP > 0 somewhere
  DagConditionStatus b;    ///< B: declared = holds by measurement (Bgap ≈ 0 at every node)
  double max_bgap_relative = 0.0;
  int max_bgap_node = -1;
  std::vector<std::string> verdicts;  ///< theorem verdicts, most important first
};

/// Relative tolerance under which a measured quantity counts as zero.
constexpr double kDagZeroTolerance = 1e-10;

/// Per-node one-line verdict: how SG (as configured) compares with BP over n.
std::string dag_node_verdict(const DagNodeExact& node);

/// Assesses the conditions and writes the verdicts. `ns` are the sample sizes shown.
DagConditions assess_dag_conditions(const DagNetwork& net, const DagExactAnalysis& analysis,
                                    const std::vector<double>& ns);

}  // namespace sglab::dag
