// Sample mode's outcome cache (core/dag/dag_sample_outcome_cache.hpp) computes
// pass 1's per-outcome values (BP's m, the exact-SG mix, the per-sample
// features) once per outcome with pass 1's own kernels; the trials then read
// them instead of running those kernels per sample. Same values, same order of
// additions: the results must be the same bits with and without it, for both
// learned predictors, with λ = 1 nodes (mix per configuration) and λ < 1 nodes
// (mix per sign pattern), on one and on several threads. The trial counts are
// chosen so that the cache is built (the trials draw at least one sample per
// outcome).
#include <gtest/gtest.h>

#include "core/labs/scenario_files.hpp"
#include "core/dag/dag_network.hpp"
#include "core/dag/dag_outcome_space.hpp"
#include "core/dag/dag_sample_mode.hpp"
#include "tests/core/dag_test_support.hpp"

namespace sglab::dag {
namespace {

void expect_identical(const DagSampleEstimate& a, const DagSampleEstimate& b, const std::string& what) {
  EXPECT_EQ(a.present, b.present) << what;
  EXPECT_EQ(a.mse, b.mse) << what;
  EXPECT_EQ(a.se, b.se) << what;
  EXPECT_EQ(a.lemma1, b.lemma1) << what;
}

TEST(DagSampleOutcomeCache, SameBitsWithAndWithoutTheCache) {
  std::vector<std::pair<std::string, DagSpec>> specs;
  specs.emplace_back("mixed", testing::mixed_feature_spec());
  for (const char* name : {"T1_dense_deterministic", "T2_noisy_feedback", "T3_stochastic_neurons",
                           "T4_imperfect_predictor", "T5_sparse"})
    specs.emplace_back(name, labs::load_dag_spec(testing::preset_path(name)));
  for (auto& [name, spec] : specs) {
    for (PredictorKind kind : {PredictorKind::oracle, PredictorKind::best_linear}) {
      spec.predictor = kind;  // sample mode learns a table (oracle) or least squares (best linear)
      const DagNetwork net = build_dag_network(spec);
      const std::uint64_t outcomes = dag_outcome_space(net).outcome_count();
      DagSampleOptions options;
      options.samples_per_trial = 97;  // not a multiple of the 64-sample blocks
      options.trials = static_cast<int>((outcomes + options.samples_per_trial - 1) / options.samples_per_trial) + 3;
      ASSERT_LE(options.trials, 2000) << name << ": " << outcomes << " outcomes, too many for this test";
      options.stream_offset = 11;
      for (int threads : {1, 2}) {
        options.threads = threads;
        options.outcome_cache = true;
        const DagSampleResult cached = run_dag_sample_mode(net, options);
        options.outcome_cache = false;
        const DagSampleResult per_sample = run_dag_sample_mode(net, options);
        ASSERT_TRUE(cached.has_exact) << name;
        ASSERT_EQ(cached.nodes.size(), per_sample.nodes.size()) << name;
        for (std::size_t k = 0; k < cached.nodes.size(); ++k) {
          const std::string where = name + " " + predictor_name(kind) + " threads " + std::to_string(threads) +
                                    " node " + std::to_string(cached.nodes[k].node);
          expect_identical(cached.nodes[k].bp, per_sample.nodes[k].bp, where + " BP");
          expect_identical(cached.nodes[k].sg_exact, per_sample.nodes[k].sg_exact, where + " SG exact");
          expect_identical(cached.nodes[k].sg_learned, per_sample.nodes[k].sg_learned, where + " SG learned");
        }
      }
    }
  }
}

}  // namespace
}  // namespace sglab::dag
