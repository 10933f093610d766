// Sample mode's two paths (THEORY.md §7): with the exact analysis it runs the
// fast per-configuration path (dag_sample_fast.hpp), without it the generic
// per-sample path. Both read the same samples from the same trial streams and
// compute every per-sample value (x, δ, m, a, b, predictions) with the same
// operations; the fast path only adds them up in another order (samples sorted
// by configuration, and summed per feature group before the multiplication by
// f_i, dag_sample_fast.hpp). So the two agree to rounding, not bit for bit:
// the stated tolerance is 1e-9 relative (the sums have at most 2·10^5 terms of
// one sign pattern each, so reordering moves them by ~1e-12 relative; 1e-9
// leaves room for the squared error ||ĝ − μ||² cancelling a few digits).
// BP and SG with the learned predictor (table and least squares), on every
// preset and a graph with every feature, on one and on several threads. With
// one sample per trial there is nothing to reorder: bit for bit.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

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

double worst_relative = 0.0;

void expect_close(double fast, double generic, std::uint64_t n, const std::string& what) {
  if (n == 1) {
    EXPECT_EQ(fast, generic) << what << ": one sample per trial, nothing reordered";
    return;
  }
  const double scale = std::max(std::abs(fast), std::abs(generic));
  const double relative = scale > 0.0 ? std::abs(fast - generic) / scale : 0.0;
  worst_relative = std::max(worst_relative, relative);
  EXPECT_LE(relative, 1e-9) << what << ": fast " << fast << ", generic " << generic;
}

TEST(DagSamplePaths, FastAndGenericPathsAgreeToRounding) {
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
          expect_close(fast.nodes[k].bp.mse, generic.nodes[k].bp.mse, n, where + " BP mse");
          expect_close(fast.nodes[k].bp.se, generic.nodes[k].bp.se, n, where + " BP se");
          ASSERT_TRUE(fast.nodes[k].sg_learned.present && generic.nodes[k].sg_learned.present) << where;
          expect_close(fast.nodes[k].sg_learned.mse, generic.nodes[k].sg_learned.mse, n, where + " SG learned mse");
          expect_close(fast.nodes[k].sg_learned.se, generic.nodes[k].sg_learned.se, n, where + " SG learned se");
          EXPECT_TRUE(fast.nodes[k].sg_exact.present) << where;
          EXPECT_FALSE(generic.nodes[k].sg_exact.present) << where << ": the generic path has no exact predictor";
        }
      }
    }
  }
  std::printf("[ info ] largest relative difference fast vs generic: %.3g\n", worst_relative);
}

}  // namespace
}  // namespace sglab::dag
