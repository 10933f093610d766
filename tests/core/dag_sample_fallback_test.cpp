// Sample mode's fallbacks that no other test reaches (THEORY.md §7, sample mode).
//
// Inside the fast path (dag_sample_fast.cpp, Impl's constructor):
//   - ConfigurationTable::build returns false: some configuration's features
//     f_i = [x_pa(i), 1] (eq 6) are not bit for bit those of its feature group
//     (dag_sample_feature_groups.hpp). Then every node is summed per sample and
//     the table is rebuilt with h of every node a direct node reads.
//   - build frees the table: a record's expansion (h -> x, δ) does not give the
//     x or δ it was built from bit for bit. Then every configuration is
//     computed from scratch (dag_forward) when a sample needs it, every node
//     summed per sample (the same load path as a table over the memory budget,
//     1 GB, which a test cannot reach cheaply: 2^22 configurations × 15 nodes).
//   - the feature-group cap (2^20 groups over all nodes): later nodes are summed
//     per sample.
// In the generic path (dag_sample_mode.cpp, SampleRunner): pass 2 draws the
// samples again when pass 1's values do not fit in 256 MiB. (Its other budget,
// the group ids of the learned table, needs 2^26 sample-nodes per trial: not
// tested, too slow for a unit test.)
//
// dag_forward makes f_i a function of its feature bits exactly
// (dag_feature_bits.hpp), so neither of the first two arises from a real
// network: both are forced through the per-configuration values the fast path
// is handed (the exact analysis's x and δ; FastSampleRunner reads them only
// while it is constructed). The feature mismatch uses a change that is
// bit-visible but numerically nothing: the +0 of x_3 = x_0 + x_1 (x_0 = −x_1)
// becomes −0 in the configurations outside its child's feature group
// representative. The expansion mismatch moves x of a dropout node by 0.25,
// which the expansion (h recomputed from the parents, as dag_forward does)
// cannot reproduce; the fallback then never reads the moved values again.
//
// Both fallbacks sum every node per sample over the same sorted samples, so
// they must agree bit for bit with each other; with the ordinary fast path
// (feature groups summed first) and with the generic path they agree to
// rounding (tests/core/dag_sample_paths_test.cpp). Each case first checks, on
// the table and the feature groups themselves, that its values reach its branch.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "core/dag/dag_configuration_table.hpp"
#include "core/dag/dag_exact_analysis.hpp"
#include "core/dag/dag_generation.hpp"
#include "core/dag/dag_network.hpp"
#include "core/dag/dag_sample_fast.hpp"
#include "core/dag/dag_sample_feature_groups.hpp"
#include "core/dag/dag_sample_mode.hpp"
#include "core/stats/summary_stats.hpp"
#include "tests/core/dag_test_support.hpp"

namespace sglab::dag {
namespace {

using detail::ConfigurationTable;
using detail::FastSampleRunner;
using detail::FeatureGroupPlan;
using detail::FeatureLayout;
using detail::TrialMeans;

constexpr std::uint64_t kSamples = 12;  // 2^bits ≤ 12: nodes 3..6 (≤ 2 feature bits) grouped; 7, 8 (4 bits) not
constexpr int kTrials = 24;
constexpr std::uint64_t kStreamOffset = 5;

DagNodeSpec node(std::vector<int> parents, std::vector<double> weights, double bias, double q = 1.0) {
  DagNodeSpec n;
  n.parents = std::move(parents);
  n.weights = std::move(weights);
  n.bias = bias;
  n.q = q;
  return n;
}

DagLayerSpec layer(Activation activation, std::vector<DagNodeSpec> nodes) {
  DagLayerSpec l;
  l.width = static_cast<int>(nodes.size());
  l.activation = activation;
  l.nodes = std::move(nodes);
  return l;
}

// Inputs 0..2; configuration bits: inputs 0..2, then the mask of node 4 (bit 3).
//   3 = x0 + x1 (identity, bias 0: exactly +0 when x0 = −x1)   4 = ξ (0.8 x2 + 0.3) / q
//   5 = tanh(0.7 x3 − 0.2)   6 = tanh(−0.9 x4 + 0.1)           feature bits {0,1} and {2,3}
//   terminals 7 <- (5, 6), 8 <- (4, 5)                            feature bits {0,1,2,3}
// With 12 samples per trial nodes 3 to 6 (at most 2 feature bits) are summed
// per feature group and the terminals per sample, so x3 is read by no node
// summed per sample: the first build keeps δ3 in its records, the fallback
// must rebuild them with h3.
DagSpec fallback_spec(PredictorKind predictor) {
  DagSpec spec;
  spec.inputs = 3;
  spec.seed = 29;
  spec.predictor = predictor;
  spec.layers = {layer(Activation::identity, {node({0, 1}, {1.0, 1.0}, 0.0), node({2}, {0.8}, 0.3, 0.5)}),
                 layer(Activation::tanh, {node({3}, {0.7}, -0.2), node({4}, {-0.9}, 0.1)}),
                 layer(Activation::identity, {node({5, 6}, {0.6, -0.4}, 0.05), node({4, 5}, {0.5, 0.8}, -0.1)})};
  spec.layers[1].nodes[0].lambda = 0.5;
  spec.terminals.resize(2);
  spec.terminals[0].sigma = 0.3;
  spec.terminals[0].teacher.reads = {5, 6};
  spec.terminals[0].teacher.weights = {0.9, -0.7};
  spec.terminals[1].sigma = 0.0;
  spec.terminals[1].teacher.reads = {4, 5};
  spec.terminals[1].teacher.weights = {-0.6, 0.8};
  return resolve_dag_spec(spec);
}

DagConfigurationValues copy_values(const DagConfigurationValues& from, const DagNetwork& net) {
  const std::size_t size = static_cast<std::size_t>(net.node_count) * static_cast<std::size_t>(from.configurations);
  DagConfigurationValues to;
  to.configurations = from.configurations;
  to.x.reset(new double[size]);
  to.delta.reset(new double[size]);
  std::copy(from.x.get(), from.x.get() + size, to.x.get());
  std::copy(from.delta.get(), from.delta.get() + size, to.delta.get());
  return to;
}

struct Fixture {
  explicit Fixture(PredictorKind predictor) : net(build_dag_network(fallback_spec(predictor))), layout(net) {
    DagExactOptions exact;  // as run_dag_sample_mode asks for it
    exact.threads = 1;
    exact.with_bgap = false;
    exact.full_moments = false;
    exact.keep_configuration_values = true;
    analysis = analyze_dag_exact(net, exact);
    options.samples_per_trial = kSamples;
    options.trials = kTrials;
    options.threads = 1;
    options.stream_offset = kStreamOffset;
  }
  double& x(DagConfigurationValues& v, int i, std::uint64_t config) const {
    return v.x[static_cast<std::size_t>(i) * v.configurations + config];
  }
  std::vector<TrialMeans> run(const DagConfigurationValues* values) const {
    const FastSampleRunner runner(net, options, *analysis.predictor, layout, values);
    std::vector<TrialMeans> out;
    for (int t = 0; t < kTrials; ++t) out.push_back(runner.run_trial(static_cast<std::uint64_t>(t)));
    return out;
  }

  DagNetwork net;
  FeatureLayout layout;
  DagExactAnalysis analysis;
  DagSampleOptions options;
};

// The first steps of FastSampleRunner's constructor, to see where the given values lead.
struct FirstBuild {
  bool grouped_3_to_6 = false, x3_read_per_sample = true, build_ok = false, table_kept = false;
};

FirstBuild first_build(const Fixture& f, const DagConfigurationValues& values) {
  ConfigurationTable table(f.net, *f.analysis.predictor);
  FeatureGroupPlan groups(f.net, f.layout);
  FirstBuild out;
  if (!table.fits()) return out;
  groups.plan(table, &values, kSamples);
  std::vector<unsigned char> needed(static_cast<std::size_t>(f.net.node_count), 0);
  for (const std::size_t i : groups.direct_nodes())
    for (std::size_t r = f.layout.offsets[i]; r < f.layout.offsets[i + 1]; ++r)
      if (f.layout.feature[r] < f.net.node_count) needed[static_cast<std::size_t>(f.layout.feature[r])] = 1;
  std::vector<std::size_t> grouped;
  for (const auto& fg : groups.grouped()) grouped.push_back(fg.node);
  out.grouped_3_to_6 = grouped == std::vector<std::size_t>{3, 4, 5, 6};
  out.x3_read_per_sample = needed[3] != 0;
  table.set_needed_x(needed);
  out.build_ok = table.build(groups, &values, 1, nullptr);
  out.table_kept = !table.empty();
  return out;
}

// Compares every trial mean of BP, SG learned and SG exact with `same`; reports
// how many differ and the first of them (not one failure per value).
template <typename Same>
void expect_all(const std::vector<TrialMeans>& a, const std::vector<TrialMeans>& b, const std::string& what,
                Same same) {
  ASSERT_EQ(a.size(), b.size());
  std::size_t compared = 0, differing = 0;
  std::string first;
  for (std::size_t t = 0; t < a.size(); ++t)
    for (auto part : {&TrialMeans::bp, &TrialMeans::sg_learned, &TrialMeans::sg_exact}) {
      const std::vector<double>& va = a[t].*part;
      const std::vector<double>& vb = b[t].*part;
      ASSERT_EQ(va.size(), vb.size()) << what;
      ASSERT_FALSE(va.empty()) << what << ": BP, SG learned and SG exact are all estimated";
      for (std::size_t r = 0; r < va.size(); ++r, ++compared) {
        if (same(va[r], vb[r])) continue;
        if (differing++ == 0) {
          char text[160];
          std::snprintf(text, sizeof text, "trial %zu slot %zu: %.17g vs %.17g", t, r, va[r], vb[r]);
          first = text;
        }
      }
    }
  EXPECT_EQ(differing, 0u) << what << ": " << differing << " of " << compared << " trial means differ, first "
                           << first;
}

void expect_bit_identical(const std::vector<TrialMeans>& a, const std::vector<TrialMeans>& b, const std::string& what) {
  // −0 == +0: the forced feature mismatch changes nothing else.
  expect_all(a, b, what, [](double x, double y) { return x == y; });
}

// Trial means are averages of 12 terms below 10 in magnitude (over every outcome
// of this network |m_i f_i| ≤ 4.9 and the synthetic terms ≤ 8.5); another
// summation order moves them by at most 12 ε 10 ≈ 3e-14, so 1e-12 absolute is
// rounding and nothing else.
void expect_rounding_close(const std::vector<TrialMeans>& a, const std::vector<TrialMeans>& b, const std::string& what) {
  expect_all(a, b, what, [](double x, double y) { return std::abs(x - y) <= 1e-12; });
}

// The measured MSE of every node as run_dag_sample_mode's summary computes it,
// beside the generic path's (same samples, same exact μ): 1e-9 relative, the
// tolerance of tests/core/dag_sample_paths_test.cpp.
void expect_generic_mse(const Fixture& f, const std::vector<TrialMeans>& trials, const std::string& what) {
  DagSampleOptions generic = f.options;
  generic.generic_path = true;
  const DagSampleResult reference = run_dag_sample_mode(f.net, generic);
  for (const DagNodeSample& node : reference.nodes) {
    const auto& mu = f.analysis.nodes[static_cast<std::size_t>(node.node - f.net.input_count)].mu;
    const std::size_t offset = f.layout.offsets[static_cast<std::size_t>(node.node)];
    for (auto [part, estimate] : {std::pair{&TrialMeans::bp, node.bp}, std::pair{&TrialMeans::sg_learned, node.sg_learned}}) {
      stats::RunningMoments errors;
      for (const TrialMeans& t : trials) {
        double e = 0.0;
        for (Eigen::Index r = 0; r < mu.size(); ++r) {
          const double d = (t.*part)[offset + static_cast<std::size_t>(r)] - mu[r];
          e += d * d;
        }
        errors.add(e);
      }
      const double scale = std::max(std::abs(errors.mean()), std::abs(estimate.mse));
      EXPECT_LE(std::abs(errors.mean() - estimate.mse), 1e-9 * scale)
          << what << " node " << node.node << ": fallback " << errors.mean() << ", generic " << estimate.mse;
    }
  }
}

class DagSampleFallback : public ::testing::TestWithParam<PredictorKind> {};

TEST_P(DagSampleFallback, FeatureMismatchAndFreedTableGiveTheDirectResults) {
  const Fixture f(GetParam());
  std::printf("[ seed ] spec seed 29, stream offset %llu, n = %llu, trials = %d, learning %s\n",
              static_cast<unsigned long long>(kStreamOffset), static_cast<unsigned long long>(kSamples), kTrials,
              predictor_name(learned_predictor_kind(GetParam())));
  ASSERT_TRUE(f.analysis.configuration_values);
  const DagConfigurationValues& exact_values = *f.analysis.configuration_values;

  // The ordinary fast path: feature groups, a table, nothing falls back.
  const FirstBuild plain = first_build(f, exact_values);
  ASSERT_TRUE(plain.grouped_3_to_6) << "nodes 3 to 6 are summed per feature group, the terminals per sample";
  ASSERT_FALSE(plain.x3_read_per_sample) << "so the first build's records hold δ3, not h3";
  EXPECT_TRUE(plain.build_ok && plain.table_kept);

  // Feature mismatch: x3 = +0 -> −0 wherever x2 = +1 (outside node 5's feature bits {0, 1}).
  DagConfigurationValues signed_zero = copy_values(exact_values, f.net);
  int flipped = 0;
  for (std::uint64_t c = 0; c < signed_zero.configurations; ++c) {
    double& x3 = f.x(signed_zero, 3, c);
    if (x3 == 0.0 && ((c >> 2) & 1u)) {
      ASSERT_FALSE(std::signbit(x3)) << "x0 + x1 rounds to +0";
      x3 = -0.0;
      ++flipped;
    }
  }
  ASSERT_EQ(flipped, 4) << "x0 = −x1 (2 of 4) × x2 = +1 × both masks";
  const FirstBuild mismatch = first_build(f, signed_zero);
  EXPECT_FALSE(mismatch.build_ok) << "node 5's features differ from its group's in their sign bit";
  EXPECT_TRUE(mismatch.table_kept) << "the records themselves expand exactly";

  // Expansion mismatch: x4 moved by 0.25 wherever node 4 is kept (its mask bit 3).
  DagConfigurationValues moved = copy_values(exact_values, f.net);
  for (std::uint64_t c = 0; c < moved.configurations; ++c)
    if ((c >> 3) & 1u) f.x(moved, 4, c) += 0.25;
  const FirstBuild freed = first_build(f, moved);
  EXPECT_TRUE(freed.build_ok) << "x4 moves with its own bits only: the feature groups still agree";
  EXPECT_FALSE(freed.table_kept) << "h4 recomputed from x2 does not give the moved x4";

  const std::vector<TrialMeans> grouped = f.run(&exact_values);
  const std::vector<TrialMeans> rebuilt = f.run(&signed_zero);
  const std::vector<TrialMeans> from_scratch = f.run(&moved);
  expect_bit_identical(rebuilt, from_scratch, "rebuilt table (feature mismatch) vs no table (expansion mismatch)");
  expect_rounding_close(rebuilt, grouped, "rebuilt table vs the ordinary fast path");
  expect_rounding_close(from_scratch, grouped, "no table vs the ordinary fast path");
  expect_generic_mse(f, rebuilt, "rebuilt table vs the generic path");
  expect_generic_mse(f, from_scratch, "no table vs the generic path");
}

INSTANTIATE_TEST_SUITE_P(LearnedTableAndLeastSquares, DagSampleFallback,
                         ::testing::Values(PredictorKind::oracle, PredictorKind::best_linear),
                         [](const ::testing::TestParamInfo<PredictorKind>& info) {
                           return info.param == PredictorKind::oracle ? std::string("Table") : std::string("LeastSquares");
                         });

// Runs sample mode on the fast and on the generic path and holds every node's
// √MSE (BP, SG learned) to the rounding bound 2√k·n·ε·M, M = 16 (the largest
// |m_i f_i| and synthetic terms over every outcome stay below it; measured per
// test): the two paths sum the same terms in different orders.
void expect_fast_equals_generic_to_rounding(const DagNetwork& net, DagSampleOptions options, const char* label) {
  const DagSampleResult fast = run_dag_sample_mode(net, options);
  options.generic_path = true;
  const DagSampleResult generic = run_dag_sample_mode(net, options);
  ASSERT_EQ(fast.nodes.size(), generic.nodes.size());
  const double rounding = 2.0 * static_cast<double>(options.samples_per_trial) * 0x1p-52 * 16.0;
  double worst = 0.0;
  for (std::size_t k = 0; k < fast.nodes.size(); ++k) {
    const std::string where = "node " + std::to_string(fast.nodes[k].node);
    ASSERT_TRUE(generic.nodes[k].sg_learned.present) << where;
    const double bound = std::sqrt(static_cast<double>(net.parent_count(fast.nodes[k].node) + 1)) * rounding;
    for (auto [f, g, what] : {std::tuple{fast.nodes[k].bp.mse, generic.nodes[k].bp.mse, " BP"},
                              std::tuple{fast.nodes[k].sg_learned.mse, generic.nodes[k].sg_learned.mse, " SG learned"}}) {
      const double distance = std::abs(std::sqrt(f) - std::sqrt(g));
      worst = std::max(worst, distance / bound);
      EXPECT_LE(distance, bound) << where << what << ": MSE fast " << f << ", generic " << g;
    }
  }
  std::printf("[ info ] largest |sqrt MSE fast - sqrt MSE generic| / rounding bound (%s): %.3g\n", label, worst);
}

// The generic path keeps pass 1's x, δ, g and m of every sample for pass 2 when
// they fit in 256 MiB (dag_sample_mode.cpp, SampleRunner); above that pass 2
// draws the samples again from the trial's stream and recomputes them. 2^20
// samples × 9 nodes × 4 values × 8 bytes = 302 MB: the redraw. The result is
// held to the fast path's at the same n (the same samples, summed in another
// order). At 2^20 samples ĝ − μ is ~1e-4 of ĝ, so the MSE cancels digits and
// the relative tolerance of dag_sample_paths_test.cpp (1e-9) does not apply;
// instead: a mean of n terms of magnitude ≤ M has a rounding error ≤ n ε M
// (recursive summation, worst case) on either path, so per trial
// ||ĝ_fast − ĝ_generic|| ≤ 2 √k n ε M, and (Minkowski over the trials)
// |√MSE_fast − √MSE_generic| is within the same bound. M = 16 bounds every
// term here (over every outcome |m_i f_i| ≤ 4.9, the synthetic terms ≤ 8.5).
// Other samples in pass 2 would move √MSE by its own size (~1e-4), 10^4 times more.
TEST(DagSampleGenericFallback, PassTwoRedrawsWhenPassOneValuesDoNotFit) {
  const DagNetwork net = build_dag_network(fallback_spec(PredictorKind::oracle));
  DagSampleOptions options;
  options.samples_per_trial = std::uint64_t{1} << 20;
  options.trials = 2;
  options.threads = 2;
  options.stream_offset = kStreamOffset;
  ASSERT_GT(options.samples_per_trial * static_cast<std::uint64_t>(net.node_count) * 4 * sizeof(double),
            std::uint64_t{256} << 20)
      << "pass 1's values do not fit the generic path's budget";
  std::printf("[ seed ] spec seed 29, stream offset %llu, n = %llu, trials = %d\n",
              static_cast<unsigned long long>(kStreamOffset),
              static_cast<unsigned long long>(options.samples_per_trial), options.trials);
  expect_fast_equals_generic_to_rounding(net, options, "pass 2 redrawn");
}

// At most 2^20 feature groups over all nodes (dag_sample_feature_groups.cpp,
// per-thread sums of 40 bytes each): nodes past the cap, in node order, are
// summed per sample although their own 2^bits would be grouped. 16 inputs feed
// node 16; nodes 17..32 read it alone (16 feature bits each, as node 16); the
// terminal reads them all. With 2^16 samples: nodes 16..31 fill the 2^20 groups,
// node 32 and the terminal are summed per sample. Held to the generic path
// within the rounding bound of the test above (M = 16 again: over every
// outcome |m_i f_i| ≤ 13.8, the synthetic terms ≤ 5.7). Identity nodes: this
// test is about the sums, and tanh would double its time.
TEST(DagSampleGroupCap, NodesPastTheFeatureGroupCapAreSummedPerSample) {
  DagSpec spec;
  spec.inputs = 16;
  spec.seed = 31;
  spec.layers = {testing::layer(1, Activation::identity), testing::layer(16, Activation::identity, 1),
                 testing::layer(1, Activation::identity)};
  const DagNetwork net = build_dag_network(resolve_dag_spec(spec));
  DagSampleOptions options;
  options.samples_per_trial = std::uint64_t{1} << 16;
  options.trials = 2;
  options.threads = 2;
  options.stream_offset = kStreamOffset;

  DagExactOptions exact;  // as run_dag_sample_mode asks for it; given to both paths below
  exact.with_bgap = false;
  exact.full_moments = false;
  options.exact_analysis = std::make_shared<const DagExactAnalysis>(analyze_dag_exact(net, exact));
  const FeatureLayout layout(net);
  ConfigurationTable table(net, *options.exact_analysis->predictor);
  FeatureGroupPlan groups(net, layout);
  ASSERT_TRUE(table.fits());
  groups.plan(table, nullptr, options.samples_per_trial);
  ASSERT_EQ(groups.sum_count(), std::size_t{1} << 20) << "the cap is reached";
  ASSERT_EQ(groups.grouped().size(), 16u) << "nodes 16..31";
  EXPECT_EQ(groups.grouped().back().node, 31u);
  EXPECT_EQ(groups.direct_nodes(), (std::vector<std::size_t>{32, 33})) << "node 32 past the cap, the terminal";

  std::printf("[ seed ] spec seed 31, stream offset %llu, n = %llu, trials = %d\n",
              static_cast<unsigned long long>(kStreamOffset),
              static_cast<unsigned long long>(options.samples_per_trial), options.trials);
  expect_fast_equals_generic_to_rounding(net, options, "group cap");
}

}  // namespace
}  // namespace sglab::dag
