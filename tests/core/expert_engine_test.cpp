// The expert engine's fast paths equal its reference paths bit for bit
// (issue 12): SIMD trial lanes == one trial at a time through StreamReader.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "core/expert/expert_problem.hpp"
#include "core/expert/trial_estimators.hpp"
#include "core/rng/counter_rng.hpp"

namespace sglab::expert {
namespace {

// Every case, several expert counts (the unrolled m = 3..6 and the generic
// kernel), with and without leak, batches of 1..7 trials (partial lane sets).
TEST(ExpertEngine, LaneKernelEqualsReferenceBitForBit) {
  for (const int m : {1, 2, 3, 5, 6, 7})
    for (const double leak : {0.0, 0.3})
      for (const NoiseCase c : {NoiseCase::kNoisy, NoiseCase::kActivation, NoiseCase::kPartial}) {
        const ExpertProblem problem = ExpertProblem::build({7, 3, m, leak, 31});
        ASSERT_TRUE(problem.pooled().available);
        TrialSpec spec;
        spec.noise_case = c;
        spec.n = 3;
        spec.lambda = 0.37;
        std::vector<std::uint64_t> streams;
        for (int t = 0; t < 7; ++t)
          streams.push_back(rng::make_stream(77, {static_cast<std::uint64_t>(t)}));
        for (int count = 1; count <= 7; ++count) {
          TrialScratch a, b;
          std::vector<TrialErrors> fast(7), reference(7);
          run_trial_batch(problem, spec, 31, streams.data(), count, a, fast.data());
          run_trial_batch_reference(problem, spec, 31, streams.data(), count, b, reference.data());
          for (int t = 0; t < count; ++t) {
            SCOPED_TRACE(testing::Message()
                         << "m=" << m << " leak=" << leak << " case=" << to_string(c)
                         << " count=" << count << " trial=" << t);
            EXPECT_EQ(fast[t].bp, reference[t].bp);
            EXPECT_EQ(fast[t].sg, reference[t].sg);
            EXPECT_EQ(fast[t].mix, reference[t].mix);
          }
        }
      }
}

// Many states (runs of drawn noise cross the word buffer many times).
TEST(ExpertEngine, LaneKernelEqualsReferenceAtTwelveDimensions) {
  const ExpertProblem problem = ExpertProblem::build({12, 4, 5, 0.0, 0});
  TrialSpec spec;
  const std::uint64_t streams[4] = {1, 2, 3, 4};
  TrialScratch a, b;
  TrialErrors fast[4], reference[4];
  run_trial_batch(problem, spec, 0, streams, 4, a, fast);
  run_trial_batch_reference(problem, spec, 0, streams, 4, b, reference);
  for (int t = 0; t < 4; ++t) {
    EXPECT_EQ(fast[t].bp, reference[t].bp);
    EXPECT_EQ(fast[t].sg, reference[t].sg);
    EXPECT_EQ(fast[t].mix, reference[t].mix);
  }
}

}  // namespace
}  // namespace sglab::expert
