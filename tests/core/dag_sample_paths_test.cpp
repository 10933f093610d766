// Sample mode's two paths (THEORY.md §7): with the exact analysis it runs the
// fast per-configuration path (dag_sample_fast.hpp), without it the generic
// per-sample path. The fast path claims to perform every floating-point
// operation that reaches a result in the generic path's order, so the two
// must agree bit for bit on the same trial streams: BP and SG with the learned
// predictor (table and least squares), on every preset and a graph with every
// feature, on one and on several threads.
#include <gtest/gtest.h>

#include "core/labs/scenario_files.hpp"
#include "core/dag/dag_network.hpp"
#include "core/dag/dag_sample_mode.hpp"
#include "tests/core/dag_test_support.hpp"

namespace sglab::dag {
namespace {

DagSampleResult run(const DagNetwork& net, bool generic, std::uint64_t n, int threads) {
  DagSampleOptions options;
  options.samples_per_trial = n;
  options.trials = 16;
  options.threads = threads;
  options.stream_offset = 3;
  options.generic_path = generic;
  return run_dag_sample_mode(net, options);
}

TEST(DagSamplePaths, FastAndGenericPathsAgreeBitForBit) {
  std::vector<std::pair<std::string, DagSpec>> specs;
  specs.emplace_back("mixed", testing::mixed_feature_spec());
  for (const char* name : {"T1_dense_deterministic", "T2_noisy_feedback", "T3_stochastic_neurons",
                           "T4_imperfect_predictor", "T5_sparse"})
    specs.emplace_back(name, labs::load_dag_spec(testing::preset_path(name)));
  for (auto& [name, spec] : specs) {
    for (PredictorKind kind : {PredictorKind::oracle, PredictorKind::best_linear}) {
      spec.predictor = kind;  // sample mode learns a table (oracle) or least squares (best linear)
      const DagNetwork net = build_dag_network(spec);
      for (std::uint64_t n : {std::uint64_t{1}, std::uint64_t{7}, std::uint64_t{200}}) {
        const std::string what = name + " learning " + predictor_name(learned_predictor_kind(kind)) + " n " +
                                 std::to_string(n);
        const DagSampleResult fast = run(net, false, n, 2);
        const DagSampleResult generic = run(net, true, n, 1);
        ASSERT_TRUE(fast.has_exact && generic.has_exact) << what << ": μ is exact on both";
        ASSERT_EQ(fast.nodes.size(), generic.nodes.size()) << what;
        for (std::size_t k = 0; k < fast.nodes.size(); ++k) {
          const std::string where = what + " node " + std::to_string(fast.nodes[k].node);
          EXPECT_EQ(fast.nodes[k].bp.mse, generic.nodes[k].bp.mse) << where << " BP";
          EXPECT_EQ(fast.nodes[k].bp.se, generic.nodes[k].bp.se) << where << " BP";
          ASSERT_TRUE(fast.nodes[k].sg_learned.present && generic.nodes[k].sg_learned.present) << where;
          EXPECT_EQ(fast.nodes[k].sg_learned.mse, generic.nodes[k].sg_learned.mse) << where << " SG learned";
          EXPECT_EQ(fast.nodes[k].sg_learned.se, generic.nodes[k].sg_learned.se) << where << " SG learned";
          EXPECT_TRUE(fast.nodes[k].sg_exact.present) << where;
          EXPECT_FALSE(generic.nodes[k].sg_exact.present) << where << ": the generic path has no exact predictor";
        }
      }
    }
  }
}

}  // namespace
}  // namespace sglab::dag
