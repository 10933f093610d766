// Sample mode: the measured MSE agrees with Lemma 1's exact value (THEORY.md §2)
// within 5 standard errors, for BP and for SG with the exact predictor; SG with
// a learned predictor meets its theory (the table reproduces BP in-sample, least
// squares tends to the best-linear bias); results do not depend on the thread
// count. Seeds are fixed and printed.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <memory>
#include <vector>

#include "core/labs/scenario_files.hpp"
#include "core/dag/dag_network.hpp"
#include "core/dag/dag_sample_mode.hpp"
#include "tests/core/dag_test_support.hpp"

namespace sglab::dag {
namespace {

void expect_within_5_se(const DagSampleEstimate& e, const std::string& what) {
  ASSERT_TRUE(e.present && e.has_lemma1) << what;
  EXPECT_LE(std::abs(e.mse - e.lemma1), 5.0 * e.se + 1e-15) << what << ": measured " << e.mse << " +- " << e.se
                                                            << ", Lemma 1 " << e.lemma1;
}

TEST(DagSample, Lemma1MatchesMeasuredMse) {
  struct Case {
    std::string preset;
    std::uint64_t n;
  };
  for (const Case& c : {Case{"T2_noisy_feedback", 8}, Case{"T3_stochastic_neurons", 4},
                        Case{"T4_imperfect_predictor", 16}, Case{"T5_sparse", 2}}) {
    const DagSpec spec = labs::load_dag_spec(testing::preset_path(c.preset));
    DagSampleOptions options;
    options.samples_per_trial = c.n;
    options.trials = 2000;
    options.stream_offset = 0;
    std::printf("[ seed ] %s: spec seed %llu, stream offset %llu, n = %llu, trials = %d\n", c.preset.c_str(),
                static_cast<unsigned long long>(spec.seed), static_cast<unsigned long long>(options.stream_offset),
                static_cast<unsigned long long>(c.n), options.trials);
    const auto result = run_dag_sample_mode(build_dag_network(spec), options);
    ASSERT_TRUE(result.has_exact);
    for (const auto& node : result.nodes) {
      const std::string where = c.preset + " node " + std::to_string(node.node);
      expect_within_5_se(node.bp, where + " BP");
      expect_within_5_se(node.sg_exact, where + " SG");
      EXPECT_TRUE(node.sg_learned.present);
    }
  }
}

TEST(DagSample, MixedFeatureGraphLemma1) {
  const DagSpec spec = testing::mixed_feature_spec();
  DagSampleOptions options;
  options.samples_per_trial = 5;
  options.trials = 3000;
  std::printf("[ seed ] mixed-feature spec seed %llu, n = 5, trials = 3000\n",
              static_cast<unsigned long long>(spec.seed));
  const auto result = run_dag_sample_mode(build_dag_network(spec), options);
  for (const auto& node : result.nodes) {
    expect_within_5_se(node.bp, "node " + std::to_string(node.node) + " BP");
    expect_within_5_se(node.sg_exact, "node " + std::to_string(node.node) + " SG");
  }
}

TEST(DagSample, IdenticalResultsForEveryThreadCount) {
  const DagNetwork net = build_dag_network(testing::mixed_feature_spec());
  DagSampleOptions options;
  options.samples_per_trial = 50;
  options.trials = 40;
  options.threads = 1;
  const auto a = run_dag_sample_mode(net, options);
  options.threads = 3;
  const auto b = run_dag_sample_mode(net, options);
  ASSERT_EQ(a.nodes.size(), b.nodes.size());
  for (std::size_t k = 0; k < a.nodes.size(); ++k) {
    EXPECT_EQ(a.nodes[k].bp.mse, b.nodes[k].bp.mse);
    EXPECT_EQ(a.nodes[k].sg_learned.mse, b.nodes[k].sg_learned.mse);
    EXPECT_EQ(a.nodes[k].sg_exact.se, b.nodes[k].sg_exact.se);
  }
}

// SG with the learned table, at λ = 1 (every preset's λ). The table is fitted
// on the trial's own n samples, so its prediction at o_c is the mean of m_c
// over the samples sharing o_c. Where node i's features δ_i·[x_pa(i), 1] are a
// function of each child's o_c (o_c holds x_i, and with generic weights a tanh
// of ±1 inputs reveals its ancestry, THEORY.md §7 note), the synthetic sum
// (1/n) Σ_s δ_i [x_pa(i), 1] Σ_c w_ci p̂_c(o_c) regroups into
// (1/n) Σ_s δ_i [x_pa(i), 1] Σ_c w_ci m_c: the BP estimate itself (eq 4, 6).
// So in every trial SG-learned equals BP up to rounding, and its MSE is BP's
// (hence within 5 SE of BP's Lemma 1 value).
TEST(DagSample, LearnedTableSgReproducesBpInSample) {
  for (const char* name : {"T1_dense_deterministic", "T2_noisy_feedback", "T3_stochastic_neurons",
                           "T4_imperfect_predictor", "T5_sparse"}) {
    DagSpec spec = labs::load_dag_spec(testing::preset_path(name));
    spec.predictor = PredictorKind::oracle;  // sample mode learns the table
    ASSERT_EQ(spec.lambda, 1.0) << name;
    DagSampleOptions options;
    options.samples_per_trial = 64;
    options.trials = 300;
    std::printf("[ seed ] %s: spec seed %llu, n = 64, trials = 300\n", name,
                static_cast<unsigned long long>(spec.seed));
    const auto result = run_dag_sample_mode(build_dag_network(spec), options);
    ASSERT_EQ(result.learned_kind, PredictorKind::learned_table);
    for (const auto& node : result.nodes) {
      const std::string where = std::string(name) + " node " + std::to_string(node.node);
      ASSERT_TRUE(node.sg_learned.present) << where;
      EXPECT_NEAR(node.sg_learned.mse, node.bp.mse, 1e-9 * node.bp.mse) << where;
      EXPECT_LE(std::abs(node.sg_learned.mse - node.bp.lemma1), 5.0 * node.sg_learned.se) << where;
    }
  }
}

// SG with the learned least-squares predictor. As n grows its fit on [o_c, 1]
// converges to the best-linear predictor over the exact distribution, so its
// limit is the best-linear SG's bias: MSE(n) = Bias²_BL + C/n + O(1/n²), with
// C larger than the best-linear SG's (ECV + VCM) because the fit's own error
// adds variance (C has no closed form here). The check: Bias²_BL from exact
// mode is the limit, i.e. n·(MSE(n) − Bias²_BL) is the same at n = 256 and
// n = 4096 within 5 combined SE. (A wrong limit δ would show as 3840·δ.)
TEST(DagSample, LearnedLinearSgTendsToTheBestLinearBias) {
  for (const char* name : {"T2_noisy_feedback", "T4_imperfect_predictor", "T5_sparse"}) {
    DagSpec spec = labs::load_dag_spec(testing::preset_path(name));
    spec.predictor = PredictorKind::best_linear;  // sample mode learns least squares
    const DagNetwork net = build_dag_network(spec);
    std::vector<DagSampleResult> runs;
    for (std::uint64_t n : {std::uint64_t{256}, std::uint64_t{4096}}) {
      DagSampleOptions options;
      options.samples_per_trial = n;
      options.trials = 400;
      std::printf("[ seed ] %s: spec seed %llu, n = %llu, trials = 400\n", name,
                  static_cast<unsigned long long>(spec.seed), static_cast<unsigned long long>(n));
      runs.push_back(run_dag_sample_mode(net, options));
      ASSERT_EQ(runs.back().learned_kind, PredictorKind::learned_linear);
      ASSERT_TRUE(runs.back().has_exact);
      ASSERT_EQ(runs.back().exact_kind, PredictorKind::best_linear);
    }
    for (std::size_t k = 0; k < runs[0].nodes.size(); ++k) {
      const double bias2 = runs[0].exact->nodes[k].sg.bias2;  // the best-linear SG's Bias² (eq 8)
      const auto scaled = [&](const DagSampleResult& r) {
        const double n = static_cast<double>(r.samples_per_trial);
        return std::pair<double, double>{n * (r.nodes[k].sg_learned.mse - bias2), n * r.nodes[k].sg_learned.se};
      };
      const auto [a, se_a] = scaled(runs[0]);
      const auto [b, se_b] = scaled(runs[1]);
      EXPECT_LE(std::abs(a - b), 5.0 * std::hypot(se_a, se_b))
          << name << " node " << runs[0].nodes[k].node << ": n(MSE − Bias²_BL) = " << a << " +- " << se_a
          << " at n = 256, " << b << " +- " << se_b << " at n = 4096 (Bias²_BL " << bias2 << ")";
    }
  }
}

TEST(DagSample, WorksWithoutExactReference) {
  DagSpec spec = testing::mixed_feature_spec();
  DagSampleOptions options;
  options.samples_per_trial = 20;
  options.trials = 30;
  options.exact_reference = false;
  const auto result = run_dag_sample_mode(build_dag_network(spec), options);
  EXPECT_FALSE(result.has_exact);
  for (const auto& node : result.nodes) {
    EXPECT_FALSE(node.bp.has_lemma1);
    EXPECT_FALSE(node.sg_exact.present);
    EXPECT_GE(node.bp.mse, 0.0);
  }
}

}  // namespace
}  // namespace sglab::dag

namespace sglab::dag {
namespace {

// The DAG lab hands sample mode the exact analysis it already has: it is used
// as is (not recomputed), and the numbers are the same as when sample mode
// runs the exact analysis itself.
TEST(DagSample, ReusesTheExactAnalysisItIsGiven) {
  const DagNetwork net = build_dag_network(labs::load_dag_spec(testing::preset_path("T4_imperfect_predictor")));
  DagSampleOptions options;
  options.samples_per_trial = 4;
  options.trials = 20;
  const DagSampleResult own = run_dag_sample_mode(net, options);
  options.exact_analysis = std::make_shared<const DagExactAnalysis>(analyze_dag_exact(net));
  const DagSampleResult given = run_dag_sample_mode(net, options);
  EXPECT_EQ(given.exact, options.exact_analysis) << "the given analysis itself, not a copy";
  ASSERT_EQ(own.nodes.size(), given.nodes.size());
  for (std::size_t i = 0; i < own.nodes.size(); ++i) {
    EXPECT_EQ(own.nodes[i].bp.mse, given.nodes[i].bp.mse);
    EXPECT_EQ(own.nodes[i].sg_exact.mse, given.nodes[i].sg_exact.mse);
    EXPECT_EQ(own.nodes[i].sg_learned.mse, given.nodes[i].sg_learned.mse);
    EXPECT_EQ(own.nodes[i].bp.lemma1, given.nodes[i].bp.lemma1);
  }
}

TEST(DagSample, CancelThrowsCancelled) {
  const DagNetwork net = build_dag_network(labs::load_dag_spec(testing::preset_path("T2_noisy_feedback")));
  std::atomic<bool> cancel{true};
  WorkControl control;
  control.cancel = &cancel;
  DagSampleOptions options;
  options.trials = 20;
  options.control = &control;
  EXPECT_THROW(run_dag_sample_mode(net, options), Cancelled);  // in its own exact pass
  options.exact_analysis = std::make_shared<const DagExactAnalysis>(analyze_dag_exact(net));
  EXPECT_THROW(run_dag_sample_mode(net, options), Cancelled);  // in the trials
  DagExactOptions exact;
  exact.control = &control;
  EXPECT_THROW(analyze_dag_exact(net, exact), Cancelled);
}

}  // namespace
}  // namespace sglab::dag
