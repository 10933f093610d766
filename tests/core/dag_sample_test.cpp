// Sample mode: the measured MSE agrees with Lemma 1's exact value (THEORY.md §2)
// within 5 standard errors, for BP and for SG with the exact predictor; results
// do not depend on the thread count. Seeds are fixed and printed.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <memory>

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
    const DagSpec spec = load_dag_scenario(testing::preset_path(c.preset));
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

TEST(DagSample, LearnedLinearAndTableBothRun) {
  for (PredictorKind kind : {PredictorKind::learned_table, PredictorKind::learned_linear}) {
    DagSpec spec = load_dag_scenario(testing::preset_path("T2_noisy_feedback"));
    spec.predictor = kind;
    DagSampleOptions options;
    options.samples_per_trial = 200;
    options.trials = 20;
    const auto result = run_dag_sample_mode(build_dag_network(spec), options);
    EXPECT_EQ(result.learned_kind, kind);
    for (const auto& node : result.nodes) {
      EXPECT_TRUE(std::isfinite(node.sg_learned.mse));
      EXPECT_GE(node.sg_learned.mse, 0.0);
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
  const DagNetwork net = build_dag_network(load_dag_scenario(testing::preset_path("T4_imperfect_predictor")));
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
  const DagNetwork net = build_dag_network(load_dag_scenario(testing::preset_path("T2_noisy_feedback")));
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
