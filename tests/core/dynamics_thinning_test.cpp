// Long sessions (issue 10): records past the memory budget are thinned, older
// steps decimated, recent steps kept whole, memory bounded.
#include <gtest/gtest.h>

#include <string>

#include "core/dynamics/dynamics_session.hpp"
#include "core/labs/scenario_files.hpp"

namespace sglab::dynamics {
namespace {

TEST(DynamicsThinning, RecordsStayUnderBudgetAndKeepRecentSteps) {
  TrainConfig c;
  c.steps = 3000;
  c.batch_size = 8;
  c.seed = 4;
  DynamicsSession session(labs::load_dag_spec(std::string(SGLAB_SOURCE_DIR) + "/assets/presets/T2_noisy_feedback.json"),
                          c);
  const std::size_t budget = 200 * 1024;  // a few chunks
  session.set_record_budget(budget);
  session.step(3000);
  const TrainRecords records = session.snapshot();
  EXPECT_GT(records.thinning_passes(), 0);
  EXPECT_LT(records.size(), 3000u);
  // Steps strictly increase, the last step is the last one trained, and the most
  // recent records are consecutive steps.
  for (std::size_t r = 1; r < records.size(); ++r) ASSERT_LT(records.step(r - 1), records.step(r));
  EXPECT_EQ(records.step(records.size() - 1), 3000);
  EXPECT_EQ(records.step(records.size() - 2), 2999);
  EXPECT_EQ(records.step(0), 1);
}

TEST(DynamicsThinning, NoThinningUnderTheDefaultBudget) {
  TrainConfig c;
  c.steps = 500;
  c.batch_size = 8;
  DynamicsSession session(labs::load_dag_spec(std::string(SGLAB_SOURCE_DIR) + "/assets/presets/T2_noisy_feedback.json"),
                          c);
  session.step(500);
  EXPECT_EQ(session.snapshot().thinning_passes(), 0);
  EXPECT_EQ(session.snapshot().size(), 500u);
}

}  // namespace
}  // namespace sglab::dynamics
