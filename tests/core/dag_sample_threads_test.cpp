// Sample mode is bit-identical for every thread count (trials run in parallel,
// each reads only its own stream and writes only its own slot), on both paths:
// with the exact analysis (per-configuration tables, learned table grouped by
// configuration) and without it (generic per-sample forward pass), for both
// learned predictors.
#include <gtest/gtest.h>

#include "core/labs/scenario_files.hpp"
#include "core/dag/dag_network.hpp"
#include "core/dag/dag_sample_mode.hpp"
#include "tests/core/dag_test_support.hpp"

namespace sglab::dag {
namespace {

void expect_identical(const DagSampleEstimate& a, const DagSampleEstimate& b, const std::string& what) {
  EXPECT_EQ(a.present, b.present) << what;
  EXPECT_EQ(a.mse, b.mse) << what;
  EXPECT_EQ(a.se, b.se) << what;
  EXPECT_EQ(a.has_lemma1, b.has_lemma1) << what;
  EXPECT_EQ(a.lemma1, b.lemma1) << what;
}

DagSampleResult run(const DagSpec& spec, bool exact, int threads) {
  DagSampleOptions options;
  options.samples_per_trial = 300;
  options.trials = 12;
  options.threads = threads;
  options.exact_reference = exact;
  options.stream_offset = 5;
  return run_dag_sample_mode(build_dag_network(spec), options);
}

TEST(DagSampleThreads, BitIdenticalForEveryThreadCount) {
  std::vector<std::pair<std::string, DagSpec>> specs;
  specs.emplace_back("mixed", testing::mixed_feature_spec());
  specs.emplace_back("T3", labs::load_dag_spec(testing::preset_path("T3_stochastic_neurons")));
  for (PredictorKind kind : {PredictorKind::oracle, PredictorKind::best_linear, PredictorKind::learned_table,
                             PredictorKind::learned_linear}) {
    for (auto& [name, spec] : specs) {
      spec.predictor = kind;
      for (bool exact : {true, false}) {
        const std::string what = name + " predictor " + predictor_name(kind) + (exact ? " exact" : " generic");
        const auto one = run(spec, exact, 1);
        ASSERT_EQ(one.has_exact, exact) << what;
        for (int threads : {2, 3, 0}) {
          const auto other = run(spec, exact, threads);
          ASSERT_EQ(one.nodes.size(), other.nodes.size()) << what;
          for (std::size_t k = 0; k < one.nodes.size(); ++k) {
            const std::string where = what + " node " + std::to_string(one.nodes[k].node) + " threads " +
                                      std::to_string(threads);
            expect_identical(one.nodes[k].bp, other.nodes[k].bp, where + " BP");
            expect_identical(one.nodes[k].sg_learned, other.nodes[k].sg_learned, where + " SG learned");
            expect_identical(one.nodes[k].sg_exact, other.nodes[k].sg_exact, where + " SG exact");
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace sglab::dag
