// Adaptive mixing weight (THEORY.md §5): the batch formula on hand-made
// batches, and its behaviour against the exact λ* of eq 18 on T2.
#include <gtest/gtest.h>

#include <Eigen/Dense>

#include <cmath>
#include <cstdio>
#include <limits>
#include <vector>
#include <string>

#include "core/labs/scenario_files.hpp"
#include "core/dag/dag_spec_json.hpp"
#include "core/dynamics/adaptive_lambda.hpp"
#include "core/dynamics/dynamics_session.hpp"
#include "core/dynamics/reference_networks.hpp"
#include "core/dynamics/train_forward.hpp"
#include "core/dag/dag_generation.hpp"
#include "core/dag/dag_network.hpp"

namespace sglab::dynamics {
namespace {

using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Direct computation of §5 with Eigen: sample covariance matrices (denominator
// B − 1) and their traces, written independently of adaptive_lambda_batch.
struct Direct {
  double v, c, b2, raw;
};
Direct direct(const Matrix& W, const Matrix& H) {
  const double B = static_cast<double>(W.rows());
  const Matrix U = H - W;
  const Eigen::RowVectorXd ubar = U.colwise().mean();
  const Matrix Uc = U.rowwise() - ubar;
  const Matrix Wc = W.rowwise() - W.colwise().mean();
  Direct d{};
  d.v = (Uc.transpose() * Uc).trace() / (B - 1.0) / B;
  d.c = (Wc.transpose() * Uc).trace() / (B - 1.0) / B;
  d.b2 = std::max(ubar.squaredNorm() - d.v, 0.0);
  d.raw = -d.c / (d.v + d.b2);
  return d;
}

TEST(DynamicsAdaptiveLambda, MatchesDirectComputationOnHandMadeBatch) {
  Matrix W(4, 2), H(4, 2);
  W << 1.0, 0.0, 2.0, 1.0, 0.0, -1.0, 1.0, 2.0;
  H << 1.3, 0.2, 1.9, 1.4, 0.9, -0.3, 1.4, 2.1;
  const Direct d = direct(W, H);
  const AdaptiveLambdaBatch got = adaptive_lambda_batch(W.data(), H.data(), 4, 2, 0.25);
  // Sums of a handful of O(1) terms: agreement to rounding (1e-14 relative).
  EXPECT_NEAR(got.v, d.v, 1e-14 * std::abs(d.v));
  EXPECT_NEAR(got.c, d.c, 1e-14 * std::abs(d.c));
  EXPECT_NEAR(got.b2, d.b2, 1e-14);
  EXPECT_NEAR(got.raw, d.raw, 1e-13);
  EXPECT_FALSE(got.degenerate);
  EXPECT_GT(d.raw, 0.0);
  EXPECT_LT(d.raw, 1.0);  // this batch is not clipped
  EXPECT_EQ(got.clipped, 0);
  EXPECT_DOUBLE_EQ(got.lambda_batch, d.raw);
  // By hand (exact fractions): ū = (0.375, 0.35), S(u,u) = 0.2391667 ⇒ v = 0.0597917,
  // S(w,u) = −0.6 ⇒ c = −0.15, b² = 0.263125 − v = 0.2033333, λ_batch = 0.15/0.263125 = 0.5700713.
  EXPECT_NEAR(d.v, 0.0597916666666667, 1e-12);
  EXPECT_NEAR(d.c, -0.15, 1e-12);
  EXPECT_NEAR(d.b2, 0.2033333333333333, 1e-12);
  EXPECT_NEAR(got.lambda_batch, 0.5700712589073634, 1e-12);
  // Momentum update λ ← m λ + (1 − m) λ_batch.
  EXPECT_DOUBLE_EQ(adaptive_lambda_update(0.25, got.lambda_batch, 0.9), 0.9 * 0.25 + 0.1 * got.lambda_batch);
  EXPECT_EQ(adaptive_lambda_update(0.25, got.lambda_batch, 1.0), 0.25);
}

TEST(DynamicsAdaptiveLambda, ClipsDegenerateAndShift) {
  Matrix W(4, 2);
  W << 1.0, 2.0, -1.0, 0.5, 2.0, -2.0, -2.0, -0.5;  // zero column means
  // h = w/2: u = −w/2, c = −S(w,w)/2B, v = S(w,w)/4B, ū = 0 ⇒ raw = 2 → clamped to 1.
  const Matrix half = 0.5 * W;
  const AdaptiveLambdaBatch up = adaptive_lambda_batch(W.data(), half.data(), 4, 2, 0.5);
  EXPECT_NEAR(up.raw, 2.0, 1e-12);
  EXPECT_EQ(up.lambda_batch, 1.0);
  EXPECT_EQ(up.clipped, 1);
  // h = 2w: u = w, c = v > 0 ⇒ raw = −1 → clamped to 0.
  const Matrix twice = 2.0 * W;
  const AdaptiveLambdaBatch down = adaptive_lambda_batch(W.data(), twice.data(), 4, 2, 0.5);
  EXPECT_NEAR(down.raw, -1.0, 1e-12);
  EXPECT_EQ(down.lambda_batch, 0.0);
  EXPECT_EQ(down.clipped, -1);
  // h = w: u ≡ 0, v + b² = 0 ⇒ keep the old λ.
  const AdaptiveLambdaBatch same = adaptive_lambda_batch(W.data(), W.data(), 4, 2, 0.37);
  EXPECT_TRUE(same.degenerate);
  EXPECT_EQ(same.lambda_batch, 0.37);
  // h = w + constant: u constant ⇒ v = c = 0, b² = ||u||² ⇒ λ_batch = 0 (pure bias, no variance gain).
  Matrix shifted = W;
  shifted.col(0).array() += 0.3;
  const AdaptiveLambdaBatch bias = adaptive_lambda_batch(W.data(), shifted.data(), 4, 2, 0.5);
  EXPECT_NEAR(bias.v, 0.0, 1e-15);
  EXPECT_NEAR(bias.b2, 0.09, 1e-14);
  EXPECT_NEAR(bias.lambda_batch, 0.0, 1e-14);
}

// T2 (A.1, B holds) with the learned linear predictor, adaptive λ started at 0
// (seed 7, B = 64, m = 0.9, exact λ*(n = B) every 100 steps with the best-linear
// predictor). Twice: parameters frozen (learning_rate 0, so λ* is a fixed target)
// and trained (learning_rate 0.05, λ* moves with the parameters). λ* is ≈ 0.9–1
// at every hidden node. The time-averaged λ over the last 1500 of 3000 steps must
// cover at least half of the initial gap |0 − λ*| (observed: 0.7–0.85 against
// λ* ≈ 0.9–1, i.e. 75–85 % of the gap). Not tighter, for three documented reasons:
// λ_batch is clamped at 1 while λ* is close to 1, so its mean sits below λ*; the
// plug-in treats the propagated part as unbiased (§5), while the exact λ* at the
// first layer includes the bias side of eq 18 (downstream nodes mix); and the
// learned predictor is not exactly the best-linear one the exact value uses.
TEST(DynamicsAdaptiveLambda, MovesTowardExactLambdaStarOnT2) {
  const dag::DagSpec spec =
      labs::load_dag_spec(std::string(SGLAB_SOURCE_DIR) + "/assets/presets/T2_noisy_feedback.json");
  for (double learning_rate : {0.0, 0.05}) {
    TrainConfig c;
    c.steps = 3000;
    c.batch_size = 64;
    c.learning_rate = learning_rate;
    c.predictor_learning_rate = 0.2;
    c.initial_lambda = 0.0;
    c.fixed_lambda = 0.0;
    c.momentum = 0.9;
    c.seed = 7;
    c.exact_every = 100;
    const TrainRecords rec = run_training(spec, c);
    ASSERT_TRUE(rec.layout().exact_available) << rec.layout().exact_note;
    int checked = 0;
    for (int slot = 0; slot < rec.slots(); ++slot) {
      if (!rec.layout().mixes[static_cast<std::size_t>(slot)]) continue;
      double lambda_sum = 0.0, star_sum = 0.0;
      int lambda_n = 0, star_n = 0;
      for (std::size_t r = rec.size() - 1500; r < rec.size(); ++r) {
        lambda_sum += rec.value(NodeSeries::lambda_adaptive, r, slot);
        ++lambda_n;
        const double star = rec.value(NodeSeries::exact_lambda_star, r, slot);
        if (!std::isnan(star)) {
          star_sum += star;
          ++star_n;
        }
      }
      ASSERT_GT(star_n, 0);
      const double mean_lambda = lambda_sum / lambda_n, mean_star = star_sum / star_n;
      const int node = rec.layout().node[static_cast<std::size_t>(slot)];
      std::printf("lr %.2f node %d: mean adaptive lambda %.4f, mean exact lambda* %.4f (seed 7)\n", learning_rate,
                  node, mean_lambda, mean_star);
      EXPECT_GT(mean_star, 0.5);  // the premise: λ* is far from the start λ = 0
      EXPECT_LE(std::abs(mean_lambda - mean_star), 0.5 * std::abs(0.0 - mean_star))
          << "lr " << learning_rate << " node " << node;
      ++checked;
    }
    EXPECT_EQ(checked, 5);  // 3 + 2 hidden nodes
  }
}

}  // namespace
}  // namespace sglab::dynamics

namespace sglab::dynamics {
namespace {

// The training forward's tanh (train_forward.hpp) against std::tanh: a few ulp
// (1e-15 relative) on a dense grid, at the ends of the exp's reduction ranges,
// tiny and huge arguments; signed zeros, infinities and NaN as std::tanh has them.
TEST(DynamicsTrainForward, TanhMatchesStdTanh) {
  double worst = 0.0;
  for (int k = -300000; k <= 300000; ++k) {
    const double x = k * 1e-4;  // [−30, 30]
    const double ref = std::tanh(x);
    const double got = train_tanh(x);
    if (ref != 0.0) worst = std::max(worst, std::abs(got - ref) / std::abs(ref));
    else EXPECT_EQ(got, 0.0);
  }
  const double half_ln2 = 0.5 * std::log(2.0);  // |2x| = ln2/2: where the reduction's k changes
  for (double x : {1e-310, 1e-300, 1e-12, 0.5 * half_ln2, std::nextafter(0.5 * half_ln2, 1.0), 0.3, 19.0, 20.5, 400.0,
                   -1e-300, -0.5 * half_ln2, -400.0})
    worst = std::max(worst, std::abs(train_tanh(x) - std::tanh(x)) / std::abs(std::tanh(x)));
  EXPECT_LT(worst, 1e-15);
  std::printf("train_tanh: worst relative error %.3g\n", worst);
  EXPECT_FALSE(std::signbit(train_tanh(0.0)));
  EXPECT_TRUE(std::signbit(train_tanh(-0.0)));
  EXPECT_EQ(train_tanh(std::numeric_limits<double>::infinity()), 1.0);
  EXPECT_EQ(train_tanh(-std::numeric_limits<double>::infinity()), -1.0);
  EXPECT_TRUE(std::isnan(train_tanh(std::numeric_limits<double>::quiet_NaN())));
}

// A value's tanh does not depend on where it sits in a call: the lock-step
// body, the single vectors and the tail give each value its one-value result.
TEST(DynamicsTrainForward, TanhOfARowEqualsTanhOfEachValue) {
  std::vector<double> values;
  for (int k = 0; k < 53; ++k) values.push_back(std::sin(1.7 * k) * (k % 7 == 0 ? 30.0 : 1.5));
  for (std::size_t count = 1; count <= values.size(); ++count) {
    std::vector<double> row(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(count));
    train_tanh_inplace(row.data(), count);
    for (std::size_t j = 0; j < count; ++j) ASSERT_EQ(row[j], train_tanh(values[j])) << "count " << count << ", value " << j;
  }
}

// The batch forward gives every sample the values a batch of one gives it
// (each sample's sums in dag_forward's order), on the sparse reference net
// with dropout on its first hidden layer, and its teachers.
TEST(DynamicsTrainForward, BatchForwardEqualsSampleBySample) {
  dag::DagSpec spec = sparse40_spec();
  spec.layers[0].q = 0.7;
  const dag::DagNetwork net = dag::build_dag_network(dag::resolve_dag_spec(spec));
  ASSERT_FALSE(net.dropout_nodes.empty());
  const auto n = static_cast<std::size_t>(net.node_count);
  const auto inputs = static_cast<std::size_t>(net.input_count);
  const std::size_t drops = net.dropout_nodes.size(), terminals = net.terminals.size();
  constexpr std::size_t kBatch = 37;  // not a multiple of the vector width
  std::vector<double> in(kBatch * inputs);
  std::vector<unsigned char> kept(std::max<std::size_t>(kBatch * drops, 1));
  for (std::size_t j = 0; j < in.size(); ++j) in[j] = (j % 2 ? 1.0 : -1.0) * std::cos(0.37 * static_cast<double>(j));
  for (std::size_t j = 0; j < kept.size(); ++j) kept[j] = static_cast<unsigned char>(j % 3 != 0);
  TrainForwardRows rows;
  train_forward(net, in.data(), kept.data(), kBatch, rows);
  ASSERT_EQ(rows.stride % 16, 0u);
  ASSERT_GE(rows.stride, kBatch);
  for (std::size_t k = 0; k < kBatch; ++k) {
    TrainForwardRows one;
    train_forward(net, in.data() + k * inputs, kept.data() + k * drops, 1, one);
    for (std::size_t i = 0; i < n; ++i) {
      ASSERT_EQ(rows.x_row(i)[k], one.x_row(i)[0]) << "sample " << k << ", node " << i;
      ASSERT_EQ(rows.delta_row(i)[k], one.delta_row(i)[0]) << "sample " << k << ", node " << i;
    }
    for (std::size_t t = 0; t < terminals; ++t) ASSERT_EQ(rows.target_row(t)[k], one.target_row(t)[0]);
  }
}

}  // namespace
}  // namespace sglab::dynamics
