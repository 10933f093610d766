// A bandit run's mixing contracts (THEORY.md §5, §8): λ = 0 SG is BP bit for
// bit; momentum 1 freezes λ; the adaptive λ moves otherwise; thread-independence.
#include <gtest/gtest.h>

#include <memory>

#include "core/bandit/bandit_data.hpp"
#include "core/bandit/bandit_run.hpp"
#include "core/bandit/batch_kernels.hpp"

namespace sglab::bandit {
namespace {

BanditConfig small_config() {
  BanditConfig c;
  c.data = DataSource::kSynthetic;
  c.synthetic_features = 24;
  c.synthetic_actions = 4;
  c.synthetic_train = 512;
  c.synthetic_eval = 256;
  c.n_dim = 3;
  c.layers = 3;
  c.width = 8;
  c.slots = 2;
  c.num_parents = {3};
  c.steps = 30;
  c.batch_size = 16;
  c.eval_points = 3;
  c.eval_contexts = 200;
  return c;
}

std::shared_ptr<const BanditData> data_for(const BanditConfig& c, std::uint64_t seed) {
  return std::make_shared<const BanditData>(make_synthetic_data(c.synthetic_features, c.synthetic_actions,
                                                                c.difficulty, c.synthetic_train, c.synthetic_eval, seed));
}

BanditRun run_to_end(const BanditConfig& c, Method m, double lr, int threads = 1) {
  BanditRunSpec spec{m, 7, 0.3, 3, lr};
  BanditRun run(c, spec, data_for(c, 7));
  while (!run.finished()) run.step(threads);
  return run;
}

TEST(BanditRun, EvaluationStepsAreThePapersLinspace) {
  EXPECT_EQ(evaluation_steps(1500, 20).front(), 1);
  EXPECT_EQ(evaluation_steps(1500, 20).back(), 1500);
  EXPECT_EQ(evaluation_steps(1500, 20).size(), 20u);
  EXPECT_EQ(evaluation_steps(1500, 20)[1], 79);  // floor(1 + 1499/19)
  EXPECT_EQ(evaluation_steps(3, 20).size(), 3u);
}

TEST(BanditRun, SgAtLambdaZeroIsBackpropBitForBit) {
  BanditConfig c = small_config();
  c.fixed_lambda = 0.0;
  const BanditRun bp = run_to_end(c, Method::kBackprop, 1e-2);
  const BanditRun sg = run_to_end(c, Method::kSgFixed, 1e-2);
  ASSERT_EQ(bp.policy_params().size(), sg.policy_params().size());
  EXPECT_TRUE((bp.policy_params().array() == sg.policy_params().array()).all());
  ASSERT_EQ(bp.records().size(), sg.records().size());
  for (std::size_t i = 0; i < bp.records().size(); ++i) {
    EXPECT_EQ(bp.records()[i].eval_reward, sg.records()[i].eval_reward);
    EXPECT_EQ(bp.records()[i].true_grad_norm, sg.records()[i].true_grad_norm);
  }
  // and λ > 0 does change the policy (the comparison above can fail)
  c.fixed_lambda = 0.5;
  const BanditRun mixed = run_to_end(c, Method::kSgFixed, 1e-2);
  EXPECT_FALSE((bp.policy_params().array() == mixed.policy_params().array()).all());
}

TEST(BanditRun, MomentumOneFreezesLambda) {
  BanditConfig c = small_config();
  c.initial_lambda = 0.3;
  c.momentum = 1.0;
  const BanditRun frozen = run_to_end(c, Method::kSgAdaptive, 5e-3);
  for (const auto& layer : frozen.lambdas())
    for (double v : layer) EXPECT_EQ(v, 0.3);
  c.momentum = 0.9;
  const BanditRun moving = run_to_end(c, Method::kSgAdaptive, 5e-3);
  int moved = 0;
  for (const auto& layer : moving.lambdas())
    for (double v : layer) {
      EXPECT_GE(v, 0.0);
      EXPECT_LE(v, 1.0);
      moved += v != 0.3 ? 1 : 0;
    }
  EXPECT_GT(moved, 0);
}

TEST(BanditRun, SameNumbersForAnyThreadCount) {
  const BanditConfig c = small_config();
  for (Method m : {Method::kSgAdaptive, Method::kMlp}) {
    const BanditRun one = run_to_end(c, m, 5e-3, 1);
    const BanditRun two = run_to_end(c, m, 5e-3, 2);
    EXPECT_TRUE((one.policy_params().array() == two.policy_params().array()).all()) << method_name(m);
    ASSERT_EQ(one.records().size(), two.records().size());
    for (std::size_t i = 0; i < one.records().size(); ++i)
      EXPECT_EQ(one.records()[i].eval_reward, two.records()[i].eval_reward);
  }
}

// The AVX2 + FMA kernels and the baseline build (std::fma per lane) give the
// same bytes (batch_kernels.hpp); on a CPU without AVX2 + FMA both runs take
// the baseline path and the test compares it with itself.
TEST(BanditRun, SameNumbersFromBothKernelBuilds) {
  const BanditConfig c = small_config();
  const BanditRun fast = run_to_end(c, Method::kSgAdaptive, 5e-3);
  force_generic_batch_kernels(true);
  EXPECT_STREQ(batch_kernels_isa(), "generic");
  const BanditRun baseline = run_to_end(c, Method::kSgAdaptive, 5e-3);
  force_generic_batch_kernels(false);
  EXPECT_TRUE((fast.policy_params().array() == baseline.policy_params().array()).all());
  EXPECT_EQ(fast.lambdas(), baseline.lambdas());
  ASSERT_EQ(fast.records().size(), baseline.records().size());
  for (std::size_t i = 0; i < fast.records().size(); ++i) {
    EXPECT_EQ(fast.records()[i].eval_reward, baseline.records()[i].eval_reward);
    EXPECT_EQ(fast.records()[i].true_grad_norm, baseline.records()[i].true_grad_norm);
    EXPECT_EQ(fast.records()[i].synthetic_grad_norm, baseline.records()[i].synthetic_grad_norm);
  }
}

TEST(BanditRun, LearnsAnEasySyntheticTask) {
  BanditConfig c = small_config();
  c.difficulty = 0.0;
  c.steps = 400;
  c.batch_size = 32;
  c.eval_points = 2;
  c.eval_contexts = 1000;
  const BanditRun run = run_to_end(c, Method::kBackprop, 1e-2);
  // 4 actions: chance is 0.25; a clean linear teacher is learnable well past it.
  EXPECT_LT(run.records().front().eval_reward, 0.45);
  EXPECT_GT(run.records().back().eval_reward, 0.6);
}

}  // namespace
}  // namespace sglab::bandit
