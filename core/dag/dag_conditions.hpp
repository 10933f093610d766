#pragma once
// Conditions A.1 / A.2 / A.3 / B of THEORY.md §3, detected from the network and
// confirmed by the exact numbers, and theorem verdicts (§4) that state only
// what those numbers back. Everything here is data: which condition or theorem,
// holds or fails, the measured numbers and the nodes. The words are made from
// it in one place, core/dag/dag_verdict_text.hpp (used by the CLI and the GUI).

#include <utility>
#include <vector>

#include "core/dag/dag_exact_analysis.hpp"

namespace sglab::dag {

enum class DagCondition { a1, a2, a3, a, b };

struct DagConditionStatus {
  bool declared = false;      ///< set by the spec (σ > 0, dropout, sparse fan-in); B: holds by measurement
  bool effective = false;     ///< confirmed by the exact numbers (B: holds)
  std::vector<int> nodes;     ///< the nodes that declare it (A.1: noisy terminals, A.2: dropout nodes,
                              ///< A.3: sparse nodes); A: nodes with ECV^BP > 0; B: nodes with Bgap > 0
  double measured = 0.0;      ///< the largest measured value backing `effective` (A.1: terminal-noise
                              ///< variance, A.2/A.3: ECV^BP beyond terminal noise, A: ECV^BP,
                              ///< B: relative Bgap)
  int measured_node = -1;     ///< where `measured` is largest (−1: nowhere above zero)
};

/// How SG (as configured) compares with BP at one node over n (Lemma 1).
struct DagNodeComparison {
  enum class Kind { terminal, sg_equals_bp, crossover };
  Kind kind = Kind::crossover;
  Crossover crossover;  ///< for Kind::crossover
};

enum class DagVerdictKind {
  theorem1_applies,             ///< A fails and ECV^BP = 0 at every node (Theorem 1)
  a_declared_without_effect,    ///< A declared, but ECV^BP = 0 at every node
  ecv_without_declared_a,       ///< ECV^BP > 0 although no A condition is declared
  theorem2_applies,             ///< A, B, oracle, λ = 1, and the numbers show the ordering (Theorem 2)
  theorem2_ordering_not_shown,  ///< Theorem 2's hypotheses hold but some nodes break the ordering
  theorem2_does_not_apply,      ///< A holds, some hypothesis of Theorem 2 fails
  node_trade_off,               ///< one node's measured trade-off (Theorem 3's regime)
};

struct DagVerdict {
  DagVerdictKind kind = DagVerdictKind::theorem1_applies;
  int theorem = 0;  ///< the theorem the verdict is about (1, 2, 3)
  /// theorem2_applies: nodes where SG removes ECV; theorem2_ordering_not_shown: nodes out of order.
  std::vector<int> nodes;
  std::vector<int> strict_nodes;  ///< theorem2_applies: nodes where MSE^SG < MSE^BP strictly
  double max_sg_bias2 = 0.0;      ///< theorem2_applies: the largest Bias² of SG
  // theorem2_does_not_apply: the hypotheses that fail.
  bool b_fails = false;
  bool predictor_not_oracle = false;
  PredictorKind predictor = PredictorKind::oracle;
  bool lambda_not_one = false;
  // node_trade_off
  int node = -1;
  DagNodeComparison comparison;
  std::vector<std::pair<double, LambdaStar>> lambda_star;  ///< (n, λ*(n)) when λ applies at the node

  /// Theorem 1 or 2 applies (the banner's "a theorem settles it").
  bool theorem_applies() const {
    return kind == DagVerdictKind::theorem1_applies || kind == DagVerdictKind::theorem2_applies;
  }
};

struct DagConditions {
  DagConditionStatus a1;  ///< stochastic terminal feedback
  DagConditionStatus a2;  ///< stochastic computation (dropout)
  DagConditionStatus a3;  ///< sparse connectivity
  DagConditionStatus a;   ///< A as a whole: declared if any part is; effective if ECV^BP > 0 somewhere
  DagConditionStatus b;   ///< B: declared = effective = holds by measurement (Bgap ≈ 0 at every node)
  std::vector<DagVerdict> verdicts;  ///< theorem verdicts, most important first

  const DagConditionStatus& status(DagCondition which) const;
};

/// Relative tolerance under which a measured quantity counts as zero.
constexpr double kDagZeroTolerance = 1e-10;

/// How SG (as configured) compares with BP at `node` over n.
DagNodeComparison compare_dag_node(const DagNodeExact& node);

/// Assesses the conditions and the verdicts. `ns` are the sample sizes at which the
/// per-node verdicts quote λ*(n).
DagConditions assess_dag_conditions(const DagNetwork& net, const DagExactAnalysis& analysis,
                                    const std::vector<double>& ns);

}  // namespace sglab::dag
