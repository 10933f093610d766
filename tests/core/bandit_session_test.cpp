// BanditSession: chunked stepping, cancellation, snapshots, and results that
// do not depend on threads or on how many runs are stepped together.
#include <gtest/gtest.h>

#include <atomic>

#include "core/bandit/bandit_csv.hpp"
#include "core/bandit/bandit_session.hpp"

namespace sglab::bandit {
namespace {

BanditConfig tiny() {
  BanditConfig c;
  c.data = DataSource::kSynthetic;
  c.synthetic_features = 16;
  c.synthetic_actions = 3;
  c.synthetic_train = 256;
  c.synthetic_eval = 128;
  c.n_dim = 2;
  c.layers = 2;
  c.width = 5;
  c.slots = 2;
  c.num_parents = {2};
  c.mlp_width = 6;
  c.steps = 20;
  c.batch_size = 8;
  c.eval_points = 4;
  c.eval_contexts = 64;
  c.seeds = 2;
  c.p_flip = {0.0, 0.3};
  c.methods = {Method::kBackprop, Method::kSgAdaptive, Method::kMlp};
  return c;
}

std::string run_all(const BanditConfig& c, int threads, std::size_t active) {
  BanditSession s(c, threads, active);
  while (!s.finished()) s.advance(7);
  return bandit_records_csv(*s.snapshot(), c.layers) + bandit_summary_csv(*s.snapshot(), c.layers);
}

TEST(BanditSession, PlansEveryRunInOutputOrder) {
  BanditConfig c = tiny();
  c.num_parents = {2, 3};
  const auto plan = plan_bandit_runs(c);
  // 2 p × (2 parents × 2 SparseNet methods + 1 MLP) × 2 seeds
  EXPECT_EQ(plan.size(), 2u * (2 * 2 + 1) * 2);
  EXPECT_EQ(plan.front().method, Method::kBackprop);
  EXPECT_EQ(plan.front().policy_lr, c.policy_lr_bp);
}

TEST(BanditSession, ResultsDoNotDependOnThreadsOrGrouping) {
  const BanditConfig c = tiny();
  const std::string reference = run_all(c, 1, 1);
  EXPECT_EQ(run_all(c, 2, 0), reference);
  EXPECT_EQ(run_all(c, 2, 3), reference);
}

TEST(BanditSession, CancelStopsAndSnapshotsAreImmutable) {
  const BanditConfig c = tiny();
  BanditSession s(c, 1, 0);
  const auto before = s.snapshot();
  EXPECT_EQ(before->steps_done, 0);
  s.advance(5);
  const auto after = s.snapshot();
  EXPECT_EQ(before->steps_done, 0);  // the old snapshot did not change
  EXPECT_EQ(after->steps_done, 5 * static_cast<std::int64_t>(s.plan().size()));
  std::atomic<bool> cancel{true};
  WorkControl control;
  control.cancel = &cancel;
  EXPECT_FALSE(s.advance(5, &control));
  EXPECT_EQ(s.snapshot()->steps_done, after->steps_done);
  EXPECT_FALSE(s.finished());
}

}  // namespace
}  // namespace sglab::bandit
