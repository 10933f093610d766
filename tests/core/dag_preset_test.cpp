// The canonical scenarios of THEORY.md §7: each preset's row, in exact mode.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "core/labs/scenario_files.hpp"
#include "core/dag/dag_conditions.hpp"
#include "core/dag/dag_exact_analysis.hpp"
#include "core/dag/dag_network.hpp"
#include "tests/core/dag_test_support.hpp"

namespace sglab::dag {
namespace {

struct PresetRun {
  DagNetwork net;
  DagExactAnalysis analysis;
  DagConditions conditions;
};

PresetRun run_preset(const std::string& name) {
  PresetRun r;
  r.net = build_dag_network(labs::load_dag_spec(testing::preset_path(name)));
  r.analysis = analyze_dag_exact(r.net);
  r.conditions = assess_dag_conditions(r.net, r.analysis, {1.0, 16.0});
  return r;
}

bool has_verdict(const DagConditions& c, DagVerdictKind kind) {
  for (const auto& v : c.verdicts)
    if (v.kind == kind) return true;
  return false;
}

double ratio(const DagNodeExact& node, double n) { return node.bp.mse(n) / node.sg.mse(n); }

TEST(DagPreset, T1DenseDeterministic) {
  const auto r = run_preset("T1_dense_deterministic");
  ASSERT_EQ(r.analysis.nodes.size(), 4u);
  for (const auto& node : r.analysis.nodes) {
    EXPECT_LE(std::abs(node.bp.ecv), 1e-12) << "node " << node.node;  // Theorem 1: ECV^BP = 0
    // Oracle SG at λ = 1 gives the same per-sample gradients as BP.
    EXPECT_LE(node.sg_bp_distance, 1e-24) << "node " << node.node;
    EXPECT_NEAR(node.sg.vcm, node.bp.vcm, 1e-14);
    EXPECT_LE(node.sg.bias2, 1e-24);
  }
  EXPECT_FALSE(r.conditions.a.declared);
  EXPECT_FALSE(r.conditions.a.effective);
  ASSERT_FALSE(r.conditions.verdicts.empty());
  EXPECT_EQ(r.conditions.verdicts.front().kind, DagVerdictKind::theorem1_applies);
  EXPECT_EQ(r.conditions.verdicts.front().theorem, 1);
  EXPECT_TRUE(r.conditions.verdicts.front().theorem_applies());
  EXPECT_EQ(r.conditions.verdicts.size(), 1u) << "no Theorem 2 or trade-off lines when A fails";
}

TEST(DagPreset, T2NoisyFeedback) {
  const auto r = run_preset("T2_noisy_feedback");
  EXPECT_TRUE(r.conditions.a1.declared && r.conditions.a1.effective);
  EXPECT_TRUE(r.conditions.b.effective);
  for (const auto& node : r.analysis.nodes) {
    EXPECT_LE(node.bgap_relative, 1e-12) << "node " << node.node;  // B holds everywhere
    if (node.terminal) continue;
    EXPECT_LE(node.sg.ecv, 1e-12) << "node " << node.node;         // oracle SG removes ECV
    EXPECT_LE(node.sg.bias2, 1e-20) << "node " << node.node;       // and stays unbiased
    EXPECT_GT(node.bp.ecv, 1e-6) << "node " << node.node;
    EXPECT_GT(ratio(node, 1.0), 1.0) << "node " << node.node;
    EXPECT_NEAR(ratio(node, 1.0), ratio(node, 1000.0), 1e-9 * ratio(node, 1.0));  // independent of n
  }
  ASSERT_EQ(r.conditions.verdicts.size(), 1u);
  const DagVerdict& v = r.conditions.verdicts.front();
  EXPECT_EQ(v.kind, DagVerdictKind::theorem2_applies);
  EXPECT_EQ(v.theorem, 2);
  EXPECT_LE(v.max_sg_bias2, 1e-20);
  std::vector<int> hidden;  // oracle SG removes ECV at, and strictly beats BP at, every hidden node
  for (const auto& node : r.analysis.nodes)
    if (!node.terminal) hidden.push_back(node.node);
  EXPECT_EQ(v.nodes, hidden);
  EXPECT_EQ(v.strict_nodes, hidden);
  // A.1's measured number is the largest terminal-noise variance, at its node.
  double max_noise = 0.0;
  for (const auto& node : r.analysis.nodes) max_noise = std::max(max_noise, node.terminal_noise_variance);
  EXPECT_EQ(r.conditions.a1.measured, max_noise);
  EXPECT_GE(r.conditions.a1.measured_node, 0);
}

TEST(DagPreset, T3StochasticNeurons) {
  const auto r = run_preset("T3_stochastic_neurons");
  EXPECT_TRUE(r.conditions.a2.declared && r.conditions.a2.effective);
  EXPECT_FALSE(r.conditions.a1.declared);
  int first_layer = 0;
  for (const auto& node : r.analysis.nodes) {
    if (node.layer == 1) {
      ++first_layer;
      EXPECT_LE(node.sg.ecv, 1e-12) << "node " << node.node;
      EXPECT_LE(node.sg.bias2, 1e-20) << "node " << node.node;
      EXPECT_GT(ratio(node, 1.0), 1.0) << "node " << node.node;
    }
    if (r.net.keep_q[static_cast<std::size_t>(node.node)] < 1.0) {
      EXPECT_GT(node.bgap_relative, 1e-3) << "dropout node " << node.node;  // B fails there
    }
  }
  EXPECT_EQ(first_layer, 3);
  EXPECT_FALSE(r.conditions.b.effective);
  EXPECT_FALSE(has_verdict(r.conditions, DagVerdictKind::theorem2_applies));
  ASSERT_FALSE(r.conditions.verdicts.empty());
  const DagVerdict& v = r.conditions.verdicts.front();
  EXPECT_EQ(v.kind, DagVerdictKind::theorem2_does_not_apply);
  EXPECT_TRUE(v.b_fails);
  EXPECT_FALSE(v.predictor_not_oracle);
  // B's numbers: the nodes where Bgap > 0 are the dropout nodes' neighbourhood, the max is measured.
  EXPECT_FALSE(r.conditions.b.nodes.empty());
  EXPECT_GT(r.conditions.b.measured, 1e-3);
}

TEST(DagPreset, T4ImperfectPredictor) {
  const auto r = run_preset("T4_imperfect_predictor");
  EXPECT_EQ(r.analysis.predictor_used, PredictorKind::best_linear);
  const std::vector<double> ns = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e8};
  int witnesses = 0;
  for (const auto& node : r.analysis.nodes) {
    if (!node.terminal) {
      EXPECT_EQ(node.lambda, 1.0);
    }
    if (node.layer != 1) continue;
    std::vector<double> star;
    for (double n : ns) star.push_back(lambda_star(node.mixing, node.mu, n).value);
    bool falling = star.front() > star.back() && star.back() < 0.01;
    for (std::size_t k = 0; k + 1 < star.size(); ++k) falling = falling && star[k + 1] <= star[k] + 1e-12;
    const Crossover cross = sg_bp_crossover(node.bp, node.sg);
    const bool row = node.sg.bias2 > 1e-12 && falling && ratio(node, 1.0) > 1.0 &&
                     cross.kind == CrossoverKind::sg_below && std::isfinite(cross.n);
    if (!row) continue;
    ++witnesses;
    // Beyond the crossover BP wins; below it SG does.
    EXPECT_LT(node.bp.mse(2.0 * cross.n), node.sg.mse(2.0 * cross.n));
    EXPECT_GT(node.bp.mse(0.5 * cross.n), node.sg.mse(0.5 * cross.n));
    EXPECT_NEAR(node.bp.mse(cross.n), node.sg.mse(cross.n), 1e-9 * node.bp.mse(cross.n));
  }
  EXPECT_GE(witnesses, 1);
  ASSERT_FALSE(r.conditions.verdicts.empty());
  const DagVerdict& v = r.conditions.verdicts.front();
  EXPECT_EQ(v.kind, DagVerdictKind::theorem2_does_not_apply);
  EXPECT_TRUE(v.predictor_not_oracle);
  EXPECT_EQ(v.predictor, PredictorKind::best_linear);
  // One trade-off verdict per hidden node, quoting λ* at each asked n.
  int trade_offs = 0;
  for (const auto& t : r.conditions.verdicts) {
    if (t.kind != DagVerdictKind::node_trade_off) continue;
    ++trade_offs;
    EXPECT_EQ(t.theorem, 3);
    EXPECT_EQ(t.lambda_star.size(), 2u) << "node " << t.node;
  }
  int hidden = 0;
  for (const auto& node : r.analysis.nodes) hidden += node.terminal ? 0 : 1;
  EXPECT_EQ(trade_offs, hidden);
}

TEST(DagPreset, T5Sparse) {
  const auto r = run_preset("T5_sparse");
  EXPECT_TRUE(r.conditions.a3.declared && r.conditions.a3.effective);
  double max_bgap = 0.0, max_first_layer_ecv = 0.0;
  for (const auto& node : r.analysis.nodes) {
    max_bgap = std::max(max_bgap, node.bgap_relative);
    if (node.layer == 1) max_first_layer_ecv = std::max(max_first_layer_ecv, node.bp.ecv);
  }
  EXPECT_GT(max_bgap, 1e-3);
  EXPECT_GT(max_first_layer_ecv, 1e-3);
  EXPECT_FALSE(r.conditions.b.effective);
  // No verdict the numbers cannot back.
  EXPECT_FALSE(has_verdict(r.conditions, DagVerdictKind::theorem1_applies));
  EXPECT_FALSE(has_verdict(r.conditions, DagVerdictKind::theorem2_applies));
  EXPECT_TRUE(has_verdict(r.conditions, DagVerdictKind::theorem2_does_not_apply));
  EXPECT_EQ(r.conditions.b.measured, max_bgap);
}

}  // namespace
}  // namespace sglab::dag
