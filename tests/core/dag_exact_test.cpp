// Exact mode: checked against an independent brute-force enumeration, and the
// identities of THEORY.md §2–§4 (ECV + VCM = total variance, the tower property,
// λ = 0 is BP, λ* minimises MSE(λ), Lemma 1 = eq 17 at the configured λ).
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "core/labs/scenario_files.hpp"
#include "core/dag/dag_ancestor_sets.hpp"
#include "core/dag/dag_exact_analysis.hpp"
#include "core/dag/dag_network.hpp"
#include "core/dag/dag_propagation.hpp"
#include "tests/core/dag_test_support.hpp"

namespace sglab::dag {
namespace {

using Key = std::vector<long long>;

Key rounded_key(const std::vector<double>& x, const std::vector<int>& nodes) {
  Key key;
  for (int n : nodes) key.push_back(std::llround(x[static_cast<std::size_t>(n)] * 1e9));
  return key;
}

// One enumerated outcome: probability, node values and BP quantities.
struct Outcome {
  double p;
  std::vector<double> x, g, m;
};

std::vector<Outcome> enumerate(const DagNetwork& net) {
  const DagOutcomeSpace space = dag_outcome_space(net);
  std::vector<Outcome> out;
  const auto n = static_cast<std::size_t>(net.node_count);
  std::vector<double> inputs(static_cast<std::size_t>(net.input_count)), signs(net.terminals.size()), delta(n);
  std::vector<unsigned char> kept(net.dropout_nodes.size() + 1);
  for (std::uint64_t c = 0; c < space.configuration_count(); ++c)
    for (std::uint64_t s = 0; s < space.sign_pattern_count(); ++s) {
      Outcome o{configuration_probability(net, c) * std::ldexp(1.0, -space.sign_bits), std::vector<double>(n),
                std::vector<double>(n), std::vector<double>(n)};
      decode_configuration(net, c, inputs.data(), kept.data());
      decode_sign_pattern(net, s, signs.data());
      dag_forward(net, inputs.data(), kept.data(), o.x.data(), delta.data());
      dag_backprop(net, o.x.data(), delta.data(), signs.data(), o.g.data(), o.m.data());
      out.push_back(std::move(o));
    }
  return out;
}

std::vector<int> parents_of(const DagNetwork& net, int i) {
  const auto si = static_cast<std::size_t>(i);
  return std::vector<int>(net.parent.begin() + net.parent_begin[si], net.parent.begin() + net.parent_begin[si + 1]);
}

Eigen::VectorXd bp_gradient(const DagNetwork& net, const Outcome& o, int i) {
  const auto pa = parents_of(net, i);
  Eigen::VectorXd f(static_cast<Eigen::Index>(pa.size() + 1));
  for (std::size_t j = 0; j < pa.size(); ++j) f[static_cast<Eigen::Index>(j)] = o.x[static_cast<std::size_t>(pa[j])];
  f[static_cast<Eigen::Index>(pa.size())] = 1.0;
  return o.m[static_cast<std::size_t>(i)] * f;  // eq 6
}

TEST(DagExact, MatchesBruteForceEnumerationAndTowerProperty) {
  const DagNetwork net = build_dag_network(testing::mixed_feature_spec());
  const auto analysis = analyze_dag_exact(net);
  const auto outcomes = enumerate(net);
  const auto ancestors = dag_extended_ancestor_sets(net);
  double total_p = 0.0;
  for (const auto& o : outcomes) total_p += o.p;
  EXPECT_NEAR(total_p, 1.0, 1e-15);
  for (const auto& node : analysis.nodes) {
    const int i = node.node;
    const auto pa = parents_of(net, i);
    // Independent conditional means by std::map grouping.
    std::map<Key, std::pair<double, Eigen::VectorXd>> groups;
    std::map<Key, std::pair<double, double>> node_grad_groups, joint_groups;
    std::vector<int> joint_nodes = pa;
    for (int a : ancestors[static_cast<std::size_t>(i)]) joint_nodes.push_back(a);
    Eigen::VectorXd mu = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(pa.size() + 1));
    for (const auto& o : outcomes) {
      const Eigen::VectorXd g = bp_gradient(net, o, i);
      mu += o.p * g;
      auto& grp = groups[rounded_key(o.x, pa)];
      if (grp.second.size() == 0) grp.second = Eigen::VectorXd::Zero(g.size());
      grp.first += o.p;
      grp.second += o.p * g;
      auto& ng = node_grad_groups[rounded_key(o.x, pa)];
      ng.first += o.p;
      ng.second += o.p * o.g[static_cast<std::size_t>(i)];
      auto& jg = joint_groups[rounded_key(o.x, joint_nodes)];
      jg.first += o.p;
      jg.second += o.p * o.g[static_cast<std::size_t>(i)];
    }
    double ecv = 0.0, vcm = 0.0, total = 0.0, bgap = 0.0;
    for (const auto& o : outcomes) {
      const Eigen::VectorXd g = bp_gradient(net, o, i);
      const auto& grp = groups[rounded_key(o.x, pa)];
      const Eigen::VectorXd cond = grp.second / grp.first;
      ecv += o.p * (g - cond).squaredNorm();
      total += o.p * (g - mu).squaredNorm();
      const auto& ng = node_grad_groups[rounded_key(o.x, pa)];
      const auto& jg = joint_groups[rounded_key(o.x, joint_nodes)];
      const double d = jg.second / jg.first - ng.second / ng.first;
      bgap += o.p * d * d;
    }
    // Tower property: E[E[g | o_i]] = E[g].
    Eigen::VectorXd tower = Eigen::VectorXd::Zero(mu.size());
    for (const auto& [key, grp] : groups) {
      vcm += grp.first * (grp.second / grp.first - mu).squaredNorm();
      tower += grp.second;
    }
    EXPECT_NEAR((tower - mu).norm(), 0.0, 1e-14) << "node " << i;
    EXPECT_NEAR((node.mu - mu).norm(), 0.0, 1e-13) << "node " << i;
    EXPECT_NEAR(node.bp.ecv, ecv, 1e-13) << "node " << i;
    EXPECT_NEAR(node.bp.vcm, vcm, 1e-13) << "node " << i;
    EXPECT_NEAR(node.bp.total_variance, total, 1e-13) << "node " << i;
    EXPECT_NEAR(node.bgap, bgap, 1e-13) << "node " << i;
    EXPECT_EQ(node.observation_groups, groups.size()) << "node " << i;
  }
}

TEST(DagExact, EcvPlusVcmIsTotalVarianceForBpAndSg) {
  for (PredictorKind predictor : {PredictorKind::oracle, PredictorKind::best_linear}) {
    DagSpec spec = testing::mixed_feature_spec();
    spec.predictor = predictor;
    const auto analysis = analyze_dag_exact(build_dag_network(spec));
    for (const auto& node : analysis.nodes) {
      const double scale = 1e-13 * (1.0 + node.bp.total_variance + node.sg.total_variance);
      EXPECT_NEAR(node.bp.ecv + node.bp.vcm, node.bp.total_variance, scale) << node.node;
      EXPECT_NEAR(node.sg.ecv + node.sg.vcm, node.sg.total_variance, scale) << node.node;
      EXPECT_GE(node.bp.ecv, 0.0);
      EXPECT_GE(node.terminal_noise_variance, 0.0);
      EXPECT_LE(node.terminal_noise_variance, node.bp.ecv + 1e-15);  // total variance law: config refines o_i
    }
  }
}

TEST(DagExact, LambdaZeroSgIsBpExactly) {
  DagSpec spec = testing::mixed_feature_spec();
  spec.lambda = 0.0;
  for (auto& layer : spec.layers)
    for (auto& node : layer.nodes) node.lambda.reset();
  spec.predictor = PredictorKind::best_linear;
  const auto analysis = analyze_dag_exact(build_dag_network(spec));
  for (const auto& node : analysis.nodes) {
    EXPECT_EQ(node.sg_bp_distance, 0.0) << node.node;
    EXPECT_EQ(node.sg.ecv, node.bp.ecv) << node.node;
    EXPECT_EQ(node.sg.vcm, node.bp.vcm) << node.node;
    EXPECT_EQ(node.sg.total_variance, node.bp.total_variance) << node.node;
    EXPECT_EQ(node.sg.bias2, 0.0) << node.node;
  }
}

TEST(DagExact, LambdaStarMinimisesTheMseCurveAndLemma1MatchesEq17) {
  for (const char* preset : {"T4_imperfect_predictor", "T2_noisy_feedback", "T5_sparse"}) {
    const DagNetwork net = build_dag_network(labs::load_dag_spec(testing::preset_path(preset)));
    const auto analysis = analyze_dag_exact(net);
    for (const auto& node : analysis.nodes) {
      for (double n : {1.0, 3.0, 10.0, 100.0, 1e4}) {
        // Lemma 1 at the configured λ equals eq 17 at that λ.
        const double lemma1 = node.sg.mse(n);
        if (node.mixing.applicable) {
          EXPECT_NEAR(mixing_mse(node.mixing, node.mu, node.lambda, n), lemma1, 1e-12 * (1 + lemma1)) << preset;
        }
        if (!node.mixing.applicable) continue;
        const LambdaStar star = lambda_star(node.mixing, node.mu, n);
        const double at_star = mixing_mse(node.mixing, node.mu, star.value, n);
        double grid_min = at_star;
        for (int k = 0; k <= 1000; ++k) grid_min = std::min(grid_min, mixing_mse(node.mixing, node.mu, k / 1000.0, n));
        if (star.irrelevant) {
          EXPECT_NEAR(mixing_mse(node.mixing, node.mu, 0.0, n), mixing_mse(node.mixing, node.mu, 1.0, n),
                      1e-9 * (1 + at_star));
        } else {
          EXPECT_LE(at_star, grid_min + 1e-14 * (1 + at_star)) << preset << " node " << node.node << " n " << n;
        }
      }
    }
  }
}

TEST(DagExact, IdenticalResultsForEveryThreadCount) {
  DagSpec spec;
  spec.inputs = 8;
  spec.seed = 3;
  spec.sigma = 0.4;
  spec.layers = {testing::layer(5, Activation::tanh, 3, 0.8), testing::layer(3, Activation::tanh, 2),
                 testing::layer(2, Activation::identity)};
  const DagNetwork net = build_dag_network(spec);  // 2^(8 + 5 + 2) = 32768 outcomes: several blocks
  DagExactOptions one, many, recompute;
  one.threads = 1;
  many.threads = 4;
  recompute.threads = 3;
  recompute.cache_budget_bytes = 0.0;  // the path that reruns the forward pass in each pass (no x/δ cache)
  const auto a = analyze_dag_exact(net, one);
  for (const auto& b : {analyze_dag_exact(net, many), analyze_dag_exact(net, recompute)})
  for (std::size_t k = 0; k < a.nodes.size(); ++k) {
    EXPECT_EQ(a.nodes[k].bp.ecv, b.nodes[k].bp.ecv);
    EXPECT_EQ(a.nodes[k].bp.vcm, b.nodes[k].bp.vcm);
    EXPECT_EQ(a.nodes[k].sg.ecv, b.nodes[k].sg.ecv);
    EXPECT_EQ(a.nodes[k].sg.bias2, b.nodes[k].sg.bias2);
    EXPECT_EQ(a.nodes[k].mixing.tr_cov_ab, b.nodes[k].mixing.tr_cov_ab);
    EXPECT_EQ(a.nodes[k].bgap, b.nodes[k].bgap);
    EXPECT_EQ(a.nodes[k].mu, b.nodes[k].mu);
    EXPECT_EQ(a.nodes[k].sg.total_variance, b.nodes[k].sg.total_variance);
  }
}

TEST(DagExact, WithoutBgapAndFullMomentsLemma1ValuesAreTheSame) {
  // Sample mode turns Bgap and the moments it does not read off
  // (DagExactOptions::with_bgap, full_moments): only those may change.
  const DagNetwork net = build_dag_network(labs::load_dag_spec(testing::preset_path("T3_stochastic_neurons")));
  DagExactOptions with, without;
  without.with_bgap = false;
  without.full_moments = false;
  const auto a = analyze_dag_exact(net, with);
  const auto b = analyze_dag_exact(net, without);
  ASSERT_EQ(a.nodes.size(), b.nodes.size());
  bool some_bgap = false, some_mixing = false;
  for (std::size_t k = 0; k < a.nodes.size(); ++k) {
    some_bgap |= a.nodes[k].bgap > 0.0;
    some_mixing |= a.nodes[k].mixing.tr_cov_ab != 0.0;
    EXPECT_EQ(b.nodes[k].bgap, 0.0);
    EXPECT_EQ(b.nodes[k].bgap_groups, 0u);
    EXPECT_EQ(a.nodes[k].mu, b.nodes[k].mu);
    for (DagEstimatorMoments DagNodeExact::*m : {&DagNodeExact::bp, &DagNodeExact::sg}) {
      EXPECT_EQ((a.nodes[k].*m).ecv, (b.nodes[k].*m).ecv);
      EXPECT_EQ((a.nodes[k].*m).vcm, (b.nodes[k].*m).vcm);
      EXPECT_EQ((b.nodes[k].*m).total_variance, 0.0);
      EXPECT_EQ((a.nodes[k].*m).bias2, (b.nodes[k].*m).bias2);
    }
    EXPECT_EQ(b.nodes[k].mixing.tr_cov_ab, 0.0);
    EXPECT_EQ(b.nodes[k].sg_bp_distance, 0.0);
    EXPECT_EQ(a.nodes[k].mixing.mean_a, b.nodes[k].mixing.mean_a);
    EXPECT_EQ(a.nodes[k].sg.mean, b.nodes[k].sg.mean);
    EXPECT_EQ(b.nodes[k].terminal_noise_variance, 0.0);
    for (const double n : {1.0, 16.0}) {
      EXPECT_EQ(a.nodes[k].bp.mse(n), b.nodes[k].bp.mse(n));
      EXPECT_EQ(a.nodes[k].sg.mse(n), b.nodes[k].sg.mse(n));
    }
    EXPECT_EQ(a.nodes[k].node_gradient_second_moment, b.nodes[k].node_gradient_second_moment);
    const auto i = static_cast<std::size_t>(a.nodes[k].node);
    EXPECT_EQ(a.predictor->group_of_configuration[i], b.predictor->group_of_configuration[i]);
    EXPECT_EQ(a.predictor->group_mean[i], b.predictor->group_mean[i]);
  }
  EXPECT_TRUE(some_bgap) << "T3 has dropout nodes where Bgap > 0: the test would not see it vanish";
  EXPECT_TRUE(some_mixing) << "T3 has non-terminal nodes with tr Cov(a, b) != 0";
}

TEST(DagExact, ExtendedAncestorSetsFollowDefinition4) {
  // T5's first hidden layer shares children, so siblings pull in each other.
  const DagNetwork net = build_dag_network(labs::load_dag_spec(testing::preset_path("T5_sparse")));
  const auto sib = dag_sibling_sets(net);
  const auto anc = dag_extended_ancestor_sets(net);
  for (int i = 0; i < net.input_count; ++i) EXPECT_TRUE(anc[static_cast<std::size_t>(i)].empty());
  for (int i = net.input_count; i < net.node_count; ++i) {
    const auto& a = anc[static_cast<std::size_t>(i)];
    for (int j : sib[static_cast<std::size_t>(i)]) {
      EXPECT_TRUE(std::binary_search(a.begin(), a.end(), j)) << i << " misses sibling " << j;
      for (int p : parents_of(net, j))
        for (int q : anc[static_cast<std::size_t>(p)]) EXPECT_TRUE(std::binary_search(a.begin(), a.end(), q));
    }
  }
  // A terminal has no children: sib(t) = {t}.
  EXPECT_EQ(sib.back(), std::vector<int>{net.node_count - 1});
}

// Theorem 3's sides (dag_moments.hpp) on hand-made moments: V = trCov(a) − trCov(a, b),
// Bs = (E a − μ)·(E b − E a), crossing n× = V/Bs when positive; they match lambda_star's sides.
TEST(DagTheorem3, SidesAndCrossingOnHandMadeMoments) {
  DagMixingMoments m;
  m.applicable = true;
  m.tr_cov_a = 3.0;
  m.tr_cov_ab = 1.0;
  m.tr_cov_b = 1.0;
  m.tr_cov_a_minus_b = 2.0;
  m.mean_a = Eigen::Vector2d(1.0, 0.0);
  m.mean_b = Eigen::Vector2d(1.5, 0.0);
  const Eigen::Vector2d mu(0.9, 0.0);  // Bs = 0.1 · 0.5 = 0.05, V = 2 ⇒ n× = 40
  const Theorem3Sides t = theorem3_sides(m, mu);
  EXPECT_DOUBLE_EQ(t.variance_at_1, 2.0);
  EXPECT_NEAR(t.bias_side, 0.05, 1e-15);
  EXPECT_NEAR(t.crossing_n, 40.0, 1e-12);
  for (double n : {1.0, 7.0, 40.0, 300.0}) {
    const LambdaStar star = lambda_star(m, mu, n);
    EXPECT_NEAR(star.variance_side, t.variance_at_1 / n, 1e-15);
    EXPECT_NEAR(star.bias_side, t.bias_side, 1e-15);
  }
  EXPECT_GT(lambda_star(m, mu, 39.0).value, 0.0);
  EXPECT_EQ(lambda_star(m, mu, 41.0).value, 0.0);
  // An unbiased propagated part (E a = μ): no bias side, no crossing.
  EXPECT_TRUE(std::isinf(theorem3_sides(m, m.mean_a).crossing_n));
}

}  // namespace
}  // namespace sglab::dag
