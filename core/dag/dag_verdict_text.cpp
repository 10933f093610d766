#include "core/dag/dag_verdict_text.hpp"

#include <sstream>

namespace sglab::dag {

namespace {

std::string fmt(double x) {
  std::ostringstream out;
  out.precision(3);
  out << x;
  return out.str();
}

std::string node_list(const std::vector<int>& nodes) {
  std::string out;
  for (int n : nodes) out += (out.empty() ? "" : ", ") + std::to_string(n);
  return out.empty() ? "none" : out;
}

std::string describe_a1(const DagConditionStatus& s) {
  if (!s.declared) return "terminal feedback is deterministic (sigma = 0)";
  if (!s.effective) return "noisy terminals " + node_list(s.nodes) + ", but the noise reaches no parameter gradient";
  return "noisy terminals " + node_list(s.nodes) + "; terminal noise adds variance " + fmt(s.measured) +
         " to the BP gradient of node " + std::to_string(s.measured_node);
}

// A.2 and A.3 share one measurement: ECV^BP beyond what terminal noise explains.
std::string hidden_ecv_text(const DagConditionStatus& s) {
  return s.measured_node >= 0 ? "ECV^BP not explained by terminal noise: " + fmt(s.measured) + " at node " +
                                    std::to_string(s.measured_node)
                              : "no ECV^BP beyond terminal noise at any node";
}

std::string describe_b(const DagConditionStatus& b) {
  if (b.effective) return "Bgap = 0 at every node (max relative " + fmt(b.measured) + ")";
  return "Bgap > 0 at nodes " + node_list(b.nodes) + " (max relative " + fmt(b.measured) + " at node " +
         std::to_string(b.measured_node) + ")";
}

std::string describe_trade_off(const DagVerdict& v) {
  std::string line = "node " + std::to_string(v.node) + ": " + describe(v.comparison);
  std::string stars;
  for (const auto& [n, star] : v.lambda_star)
    stars += (stars.empty() ? "" : ", ") + ("n=" + fmt(n) + ": ") + (star.irrelevant ? "irrelevant" : fmt(star.value));
  if (!stars.empty()) line += "; lambda* " + stars;
  return line;
}

std::string describe_theorem2_failure(const DagVerdict& v, const DagConditions& c) {
  std::string why;
  if (v.b_fails) why += "B fails (" + describe_b(c.b) + ")";
  if (v.predictor_not_oracle)
    why += std::string(why.empty() ? "" : "; ") + "the predictor is " + predictor_name(v.predictor) + ", not the oracle";
  if (v.lambda_not_one) why += std::string(why.empty() ? "" : "; ") + "not every lambda is 1";
  return "Theorem 2 does not apply: " + why + ". Measured trade-off below.";
}

}  // namespace

std::string describe(const DagNodeComparison& comparison) {
  switch (comparison.kind) {
    case DagNodeComparison::Kind::terminal: return "terminal: SG = BP";
    case DagNodeComparison::Kind::sg_equals_bp: return "SG = BP";
    case DagNodeComparison::Kind::crossover: break;
  }
  const Crossover& cross = comparison.crossover;
  switch (cross.kind) {
    case CrossoverKind::same: return "SG ties BP";
    case CrossoverKind::sg_always: return "SG better at every n";
    case CrossoverKind::bp_always: return "BP better at every n";
    case CrossoverKind::sg_below: return "SG better for n < " + fmt(cross.n) + ", BP beyond";
    case CrossoverKind::sg_above: return "BP better for n < " + fmt(cross.n) + ", SG beyond";
  }
  return "";
}

std::string describe(const DagConditions& c, DagCondition which) {
  const char* together = " (dropout and sparsity together)";
  switch (which) {
    case DagCondition::a1: return describe_a1(c.a1);
    case DagCondition::a2:
      return c.a2.declared ? "dropout on nodes " + node_list(c.a2.nodes) + "; " + hidden_ecv_text(c.a2) +
                                 (c.a3.declared ? together : "")
                           : "no dropout";
    case DagCondition::a3:
      return c.a3.declared ? "nodes with fewer parents than the previous layer: " + node_list(c.a3.nodes) + "; " +
                                 hidden_ecv_text(c.a3) + (c.a2.declared ? together : "")
                           : "every node reads its whole previous layer";
    case DagCondition::a:
      return c.a.effective ? "ECV^BP > 0 at nodes " + node_list(c.a.nodes) + " (max " + fmt(c.a.measured) +
                                 " at node " + std::to_string(c.a.measured_node) + ")"
                           : "ECV^BP = 0 at every node";
    case DagCondition::b: break;
  }
  return describe_b(c.b);
}

std::string describe(const DagVerdict& v, const DagConditions& c) {
  switch (v.kind) {
    case DagVerdictKind::theorem1_applies:
      return "Theorem 1 applies: A fails (deterministic feedback, deterministic nodes, dense layers) and BP has "
             "zero ECV at every node - no estimator built from conditionally unbiased samples can beat it.";
    case DagVerdictKind::a_declared_without_effect:
      return "A is declared, but no uncertainty reaches a parameter gradient beyond what the node observes: "
             "ECV^BP = 0 at every node, as when A fails, so SG has no variance to remove.";
    case DagVerdictKind::ecv_without_declared_a:
      return "ECV^BP > 0 although no A condition is declared: check the spec.";
    case DagVerdictKind::theorem2_applies:
      return "Theorem 2 applies: A and B hold; oracle SG with lambda = 1 is unbiased (max Bias^2 " +
             fmt(v.max_sg_bias2) + "), removes ECV at nodes " + node_list(v.nodes) +
             ", and MSE^SG <= MSE^BP at every node, strictly at nodes " + node_list(v.strict_nodes) + ".";
    case DagVerdictKind::theorem2_ordering_not_shown:
      return "A and B hold with oracle SG at lambda = 1, but the numbers do not show Theorem 2's ordering at "
             "nodes " + node_list(v.nodes) + " (numerical tolerance?).";
    case DagVerdictKind::theorem2_does_not_apply: return describe_theorem2_failure(v, c);
    case DagVerdictKind::node_trade_off: return describe_trade_off(v);
  }
  return "";
}

const char* verdict_kind_name(DagVerdictKind kind) {
  switch (kind) {
    case DagVerdictKind::theorem1_applies: return "theorem1_applies";
    case DagVerdictKind::a_declared_without_effect: return "a_declared_without_effect";
    case DagVerdictKind::ecv_without_declared_a: return "ecv_without_declared_a";
    case DagVerdictKind::theorem2_applies: return "theorem2_applies";
    case DagVerdictKind::theorem2_ordering_not_shown: return "theorem2_ordering_not_shown";
    case DagVerdictKind::theorem2_does_not_apply: return "theorem2_does_not_apply";
    case DagVerdictKind::node_trade_off: return "node_trade_off";
  }
  return "";
}

std::vector<std::string> describe_verdicts(const DagConditions& c) {
  std::vector<std::string> out;
  for (const auto& v : c.verdicts) out.push_back(describe(v, c));
  return out;
}

}  // namespace sglab::dag
