// Exact mode: checked against an independent brute-force enumeration, and the
// identities of THEORY.md §2–§4 (ECV + VCM = total variance, the tower property,
// λ = 0 is BP, λ* minimises MSE(λ), Lemma 1 = eq 17 at the configured λ).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
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
  DagExactOptions without_cache = without;
  without_cache.cache_budget_bytes = 0.0;  // pass 3 evaluates SG again and forms the mix's means itself
  const auto c = analyze_dag_exact(net, without_cache);
  for (std::size_t k = 0; k < b.nodes.size(); ++k) {
    EXPECT_EQ(b.nodes[k].sg.ecv, c.nodes[k].sg.ecv);
    EXPECT_EQ(b.nodes[k].sg.vcm, c.nodes[k].sg.vcm);
  }
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

// Reference for the centered sums: every second moment taken outcome by
// outcome around its mean (the textbook two-pass form, in long double), with
// dag_forward / dag_backprop / dag_synthetic_backprop per outcome and the
// analysis's own predictor and observation groups.
struct ReferenceMoments {
  long double ecv_bp = 0, vcm_bp = 0, total_bp = 0, ecv_sg = 0, vcm_sg = 0, total_sg = 0;
  long double tr_a = 0, tr_b = 0, tr_ab = 0, tr_amb = 0, distance = 0;
};

std::vector<ReferenceMoments> reference_moments(const DagNetwork& net, const DagExactAnalysis& analysis) {
  const DagOutcomeSpace space = dag_outcome_space(net);
  const auto n = static_cast<std::size_t>(net.node_count);
  struct Values {
    long double p;
    std::uint64_t configuration;
    std::vector<double> x, m, a, b;
  };
  std::vector<Values> outcomes;
  std::vector<double> inputs(static_cast<std::size_t>(net.input_count)), signs(net.terminals.size()), delta(n), g(n),
      prediction(n), g_tilde(n);
  std::vector<unsigned char> kept(net.dropout_nodes.size() + 1);
  for (std::uint64_t c = 0; c < space.configuration_count(); ++c)
    for (std::uint64_t s = 0; s < space.sign_pattern_count(); ++s) {
      Values o{static_cast<long double>(configuration_probability(net, c)) * std::ldexp(1.0L, -space.sign_bits), c,
               std::vector<double>(n), std::vector<double>(n), std::vector<double>(n), std::vector<double>(n)};
      decode_configuration(net, c, inputs.data(), kept.data());
      decode_sign_pattern(net, s, signs.data());
      dag_forward(net, inputs.data(), kept.data(), o.x.data(), delta.data());
      dag_backprop(net, o.x.data(), delta.data(), signs.data(), g.data(), o.m.data());
      for (int i = net.input_count; i < net.node_count; ++i)
        prediction[static_cast<std::size_t>(i)] = analysis.predictor->predict(net, i, c, o.x.data());
      dag_synthetic_backprop(net, delta.data(), g.data(), o.m.data(), prediction.data(), g_tilde.data(), o.a.data(),
                             o.b.data());
      outcomes.push_back(std::move(o));
    }
  std::vector<ReferenceMoments> out;
  for (const auto& node : analysis.nodes) {
    const auto i = static_cast<std::size_t>(node.node);
    const double lambda = node.lambda;
    const auto pa = parents_of(net, node.node);
    const std::size_t k = pa.size() + 1;
    const auto f_of = [&](const Values& o) {
      std::vector<long double> f(k, 1.0L);
      for (std::size_t j = 0; j < pa.size(); ++j) f[j] = o.x[static_cast<std::size_t>(pa[j])];
      return f;
    };
    const auto sg_of = [&](const Values& o) { return (1.0 - lambda) * o.a[i] + lambda * o.b[i]; };
    const auto& group_of = analysis.predictor->group_of_configuration[i];
    const std::size_t groups = node.observation_groups;
    std::vector<long double> mu(k), mean_a(k), mean_b(k), weight(groups), gm(groups), ga(groups), gb(groups);
    for (const auto& o : outcomes) {
      const auto f = f_of(o);
      for (std::size_t r = 0; r < k; ++r) {
        mu[r] += o.p * o.m[i] * f[r];
        mean_a[r] += o.p * o.a[i] * f[r];
        mean_b[r] += o.p * o.b[i] * f[r];
      }
      const std::uint32_t grp = group_of[o.configuration];
      weight[grp] += o.p;
      gm[grp] += o.p * o.m[i];
      ga[grp] += o.p * o.a[i];
      gb[grp] += o.p * o.b[i];
    }
    ReferenceMoments r;
    for (const auto& o : outcomes) {
      if (o.p == 0.0L) continue;
      const auto f = f_of(o);
      const std::uint32_t grp = group_of[o.configuration];
      const long double m_bar = gm[grp] / weight[grp];
      const long double sg_bar = (1.0L - lambda) * ga[grp] / weight[grp] + lambda * gb[grp] / weight[grp];
      const long double m = o.m[i], a = o.a[i], b = o.b[i], sg = sg_of(o);
      for (std::size_t q = 0; q < k; ++q) {
        const long double mean_sg = (1.0L - lambda) * mean_a[q] + lambda * mean_b[q];
        const long double ea = a * f[q] - mean_a[q], eb = b * f[q] - mean_b[q];
        r.ecv_bp += o.p * (m - m_bar) * (m - m_bar) * f[q] * f[q];
        r.ecv_sg += o.p * (sg - sg_bar) * (sg - sg_bar) * f[q] * f[q];
        r.vcm_bp += o.p * (m_bar * f[q] - mu[q]) * (m_bar * f[q] - mu[q]);
        r.vcm_sg += o.p * (sg_bar * f[q] - mean_sg) * (sg_bar * f[q] - mean_sg);
        r.total_bp += o.p * (m * f[q] - mu[q]) * (m * f[q] - mu[q]);
        r.total_sg += o.p * (sg * f[q] - mean_sg) * (sg * f[q] - mean_sg);
        r.tr_a += o.p * ea * ea;
        r.tr_b += o.p * eb * eb;
        r.tr_ab += o.p * ea * eb;
        r.tr_amb += o.p * (ea - eb) * (ea - eb);
        r.distance += o.p * (sg - m) * (sg - m) * f[q] * f[q];
      }
    }
    out.push_back(r);
  }
  return out;
}

// Issue 12: exact mode sums each second moment as a part within configurations
// (over the terminal signs, beside SG's means) plus a part between them
// (dag_exact_analysis.cpp, CenteredSums) instead of outcome by outcome around
// the final means: one evaluation of BP and SG over all outcomes fewer. The
// order of the additions differs from the reference, so the results agree to
// rounding, not bit for bit: 1e-13 relative (seen: < 4e-16; 1.3e-15 under
// valgrind, which computes long double in double precision), plus 1e-15
// absolute for moments that vanish in exact arithmetic (both sides are then
// rounding residue: ~1e-36 on T2).
// Checked with the cache (pass 3 reads the per-configuration means kept by
// pass 2) and without it (pass 3 evaluates SG again): the same bits either way.
TEST(DagExact, FusedCenteredSumsMatchOutcomeByOutcomeSums) {
  for (const char* preset : {"T2_noisy_feedback", "T3_stochastic_neurons", "T4_imperfect_predictor"}) {
    const DagNetwork net = build_dag_network(labs::load_dag_spec(testing::preset_path(preset)));
    DagExactOptions recompute;
    recompute.cache_budget_bytes = 0.0;
    const auto analysis = analyze_dag_exact(net);
    const auto uncached = analyze_dag_exact(net, recompute);
    const auto reference = reference_moments(net, analysis);
    ASSERT_EQ(reference.size(), analysis.nodes.size());
    double worst = 0.0;
    for (std::size_t j = 0; j < reference.size(); ++j) {
      const DagNodeExact& node = analysis.nodes[j];
      const ReferenceMoments& r = reference[j];
      const std::pair<double, long double> checks[] = {
          {node.bp.ecv, r.ecv_bp},          {node.bp.vcm, r.vcm_bp},         {node.bp.total_variance, r.total_bp},
          {node.sg.ecv, r.ecv_sg},          {node.sg.vcm, r.vcm_sg},         {node.sg.total_variance, r.total_sg},
          {node.mixing.tr_cov_a, r.tr_a},   {node.mixing.tr_cov_b, r.tr_b},  {node.mixing.tr_cov_ab, r.tr_ab},
          {node.mixing.tr_cov_a_minus_b, r.tr_amb}, {node.sg_bp_distance, r.distance}};
      for (const auto& [fast, ref] : checks) {
        const double want = static_cast<double>(ref);
        EXPECT_NEAR(fast, want, 1e-13 * std::abs(want) + 1e-15) << preset << " node " << node.node;
        if (std::abs(want) > 1e-12) worst = std::max(worst, std::abs(fast - want) / std::abs(want));
      }
      const DagNodeExact& other = uncached.nodes[j];
      EXPECT_EQ(node.bp.ecv, other.bp.ecv);
      EXPECT_EQ(node.sg.ecv, other.sg.ecv);
      EXPECT_EQ(node.sg.vcm, other.sg.vcm);
      EXPECT_EQ(node.sg.total_variance, other.sg.total_variance);
      EXPECT_EQ(node.mixing.tr_cov_ab, other.mixing.tr_cov_ab);
      EXPECT_EQ(node.mixing.tr_cov_a_minus_b, other.mixing.tr_cov_a_minus_b);
    }
    std::printf("[ info ] %s: largest relative difference from the outcome-by-outcome sums: %.2e\n", preset, worst);
  }
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
