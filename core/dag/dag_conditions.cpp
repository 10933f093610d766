#include "core/dag/dag_conditions.hpp"

#include <algorithm>
#include <cmath>

namespace sglab::dag {

namespace {

// Scale of a node's gradient: E||g_θ^BP||² = trCov + ||μ||².
double gradient_scale(const DagNodeExact& node) {
  return node.bp.total_variance + node.mu.squaredNorm();
}

bool is_zero(double value, double scale) { return std::abs(value) <= kDagZeroTolerance * scale + 1e-300; }

// Keeps the largest non-zero value seen and its node.
void note_max(DagConditionStatus& s, double value, double scale, int node) {
  if (!is_zero(value, scale) && value > s.measured) {
    s.measured = value;
    s.measured_node = node;
  }
}

// Declared by the network (THEORY.md §3): noisy terminals, dropout, sparse fan-in.
void declare_a(const DagNetwork& net, DagConditions& out) {
  for (int t : net.noisy_terminals) out.a1.nodes.push_back(net.terminals[static_cast<std::size_t>(t)]);
  out.a2.nodes = net.dropout_nodes;
  for (int i = net.input_count; i < net.node_count; ++i) {
    const int previous_width = net.layer_width[static_cast<std::size_t>(net.layer[static_cast<std::size_t>(i)] - 1)];
    if (net.parent_count(i) < previous_width) out.a3.nodes.push_back(i);
  }
  out.a1.declared = !out.a1.nodes.empty();
  out.a2.declared = !out.a2.nodes.empty();
  out.a3.declared = !out.a3.nodes.empty();
  out.a.declared = out.a1.declared || out.a2.declared || out.a3.declared;
}

// Confirmed by the exact numbers: terminal-noise variance (A.1), ECV^BP not
// explained by terminal signs (A.2 / A.3), ECV^BP (A), Bgap (B).
void measure(const DagExactAnalysis& analysis, DagConditions& out) {
  DagConditionStatus hidden;
  for (const auto& node : analysis.nodes) {
    const double scale = gradient_scale(node);
    const double noise = node.terminal_noise_variance;
    note_max(out.a1, noise, scale, node.node);
    note_max(hidden, std::max(0.0, node.bp.ecv - noise), scale, node.node);
    if (!is_zero(node.bp.ecv, scale)) out.a.nodes.push_back(node.node);
    note_max(out.a, node.bp.ecv, scale, node.node);
    if (node.bgap_relative > out.b.measured) {
      out.b.measured = node.bgap_relative;
      out.b.measured_node = node.node;
    }
    if (node.bgap_relative > kDagZeroTolerance) out.b.nodes.push_back(node.node);
  }
  out.a1.effective = out.a1.measured_node >= 0;
  for (DagConditionStatus* s : {&out.a2, &out.a3}) {
    s->measured = hidden.measured;
    s->measured_node = hidden.measured_node;
    s->effective = s->declared && hidden.measured_node >= 0;
  }
  out.a.effective = out.a.measured_node >= 0;
  out.b.effective = out.b.nodes.empty();
  out.b.declared = out.b.effective;
}

// Theorem 2's verdict (§4) when A holds, or why it does not apply.
DagVerdict theorem2_verdict(const DagExactAnalysis& analysis, const DagConditions& c, bool all_lambda_one) {
  DagVerdict v;
  v.theorem = 2;
  std::vector<int> worse;
  for (const auto& node : analysis.nodes) {
    if (node.terminal) continue;
    const double scale = gradient_scale(node);
    v.max_sg_bias2 = std::max(v.max_sg_bias2, node.sg.bias2);
    if (!is_zero(node.bp.ecv, scale) && is_zero(node.sg.ecv, scale)) v.nodes.push_back(node.node);
    const double v_bp = node.bp.ecv + node.bp.vcm, v_sg = node.sg.ecv + node.sg.vcm;
    if (v_sg < v_bp && !is_zero(v_bp - v_sg, scale) && is_zero(node.sg.bias2, scale))
      v.strict_nodes.push_back(node.node);
    if ((v_sg > v_bp && !is_zero(v_sg - v_bp, scale)) || !is_zero(node.sg.bias2, scale)) worse.push_back(node.node);
  }
  v.b_fails = !c.b.effective;
  v.predictor = analysis.predictor_used;
  v.predictor_not_oracle = analysis.predictor_used != PredictorKind::oracle;
  v.lambda_not_one = !all_lambda_one;
  if (v.b_fails || v.predictor_not_oracle || v.lambda_not_one) {
    v.kind = DagVerdictKind::theorem2_does_not_apply;
    v.nodes.clear();
    v.strict_nodes.clear();
  } else if (worse.empty()) {
    v.kind = DagVerdictKind::theorem2_applies;
  } else {
    v.kind = DagVerdictKind::theorem2_ordering_not_shown;
    v.nodes = worse;
    v.strict_nodes.clear();
  }
  return v;
}

}  // namespace

const DagConditionStatus& DagConditions::status(DagCondition which) const {
  switch (which) {
    case DagCondition::a1: return a1;
    case DagCondition::a2: return a2;
    case DagCondition::a3: return a3;
    case DagCondition::a: return a;
    case DagCondition::b: break;
  }
  return b;
}

DagNodeComparison compare_dag_node(const DagNodeExact& node) {
  DagNodeComparison out;
  if (node.terminal) {
    out.kind = DagNodeComparison::Kind::terminal;
  } else if (is_zero(node.sg_bp_distance, gradient_scale(node))) {
    out.kind = DagNodeComparison::Kind::sg_equals_bp;
  } else {
    out.crossover = sg_bp_crossover(node.bp, node.sg);
  }
  return out;
}

DagConditions assess_dag_conditions(const DagNetwork& net, const DagExactAnalysis& analysis,
                                    const std::vector<double>& ns) {
  DagConditions out;
  declare_a(net, out);
  measure(analysis, out);

  // --- verdicts (§4): only what the numbers back ---
  if (!out.a.effective) {
    DagVerdict v;
    v.theorem = 1;
    v.kind = out.a.declared ? DagVerdictKind::a_declared_without_effect : DagVerdictKind::theorem1_applies;
    out.verdicts.push_back(v);
  } else if (!out.a.declared) {
    DagVerdict v;
    v.kind = DagVerdictKind::ecv_without_declared_a;
    out.verdicts.push_back(v);
  }
  bool all_lambda_one = true;
  for (const auto& node : analysis.nodes)
    if (!node.terminal && node.lambda != 1.0) all_lambda_one = false;
  if (!out.a.effective) return out;
  const DagVerdict theorem2 = theorem2_verdict(analysis, out, all_lambda_one);
  out.verdicts.push_back(theorem2);
  if (theorem2.kind != DagVerdictKind::theorem2_does_not_apply) return out;
  // Measured trade-off per node (Theorem 3's regime): crossover and λ*(n).
  for (const auto& node : analysis.nodes) {
    if (node.terminal) continue;
    DagVerdict v;
    v.kind = DagVerdictKind::node_trade_off;
    v.theorem = 3;
    v.node = node.node;
    v.comparison = compare_dag_node(node);
    if (node.mixing.applicable)
      for (double n : ns) v.lambda_star.emplace_back(n, lambda_star(node.mixing, node.mu, n));
    out.verdicts.push_back(v);
  }
  return out;
}

}  // namespace sglab::dag
