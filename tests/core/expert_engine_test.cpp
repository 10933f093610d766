// The expert engine's fast paths equal its reference paths bit for bit
// (issue 12): SIMD trial lanes == one trial at a time through StreamReader.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "core/expert/expert_problem.hpp"
#include "core/expert/feedback_lanes.hpp"
#include "core/expert/feedback_noise.hpp"
#include "core/expert/trial_estimators.hpp"
#include "core/rng/counter_rng.hpp"

namespace sglab::expert {
namespace {

// Every case, several expert counts (the unrolled m = 3..6 and the generic
// kernel), with and without leak, 1..11 trials: passes of one and two lane
// sets (kMaxTrialPass = 8), partial sets, and a second pass after a full one.
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
        for (int t = 0; t < 11; ++t)
          streams.push_back(rng::make_stream(77, {static_cast<std::uint64_t>(t)}));
        for (int count = 1; count <= 11; ++count) {
          TrialScratch a, b;
          std::vector<TrialErrors> fast(11), reference(11);
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

std::uint64_t bits(double x) {
  std::uint64_t b = 0;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

// run_trial_batch (the lane kernels, one pass of two lane sets) against
// run_trial_batch_reference on eight trials of streams `first`..`first + 7`,
// bit for bit.
void expect_lanes_equal_reference(const ExpertProblem& problem, const TrialSpec& spec, std::uint64_t seed,
                                  std::uint64_t first, const std::string& what) {
  std::uint64_t streams[8];
  for (std::uint64_t t = 0; t < 8; ++t) streams[t] = first + t;
  TrialScratch a, b;
  TrialErrors fast[8], reference[8];
  run_trial_batch(problem, spec, seed, streams, 8, a, fast);
  run_trial_batch_reference(problem, spec, seed, streams, 8, b, reference);
  for (int t = 0; t < 8; ++t) {
    EXPECT_EQ(bits(fast[t].bp), bits(reference[t].bp)) << what << " trial " << t;
    EXPECT_EQ(bits(fast[t].sg), bits(reference[t].sg)) << what << " trial " << t;
    EXPECT_EQ(bits(fast[t].mix), bits(reference[t].mix)) << what << " trial " << t;
  }
}

// Many states (runs of drawn noise cross the word buffer many times).
TEST(ExpertEngine, LaneKernelEqualsReferenceAtTwelveDimensions) {
  expect_lanes_equal_reference(ExpertProblem::build({12, 4, 5, 0.0, 0}), TrialSpec{}, 0, 1, "d 12");
}


// The lane feedback (raw noise, then feedback_lanes) equals
// AveragedFeedbackSampler::draw one draw at a time, bit for bit (signed zeros
// included): every case, n = 1 and 3, several m, lengths with a tail, and
// partial lane sets (missing trials repeat trial 0's noise).
TEST(ExpertEngine, FeedbackLanesEqualOneDrawAtATime) {
  for (const NoiseCase c : {NoiseCase::kNoisy, NoiseCase::kActivation, NoiseCase::kPartial})
    for (const int n : {1, 3})
      for (const int m : {1, 3, 5, 7}) {
        const ExpertProblem problem = ExpertProblem::build({6, 2, m, 0.0, 4});
        NoiseParams noise;
        noise.sigma = 0.7;
        noise.p = 0.3;
        noise.tau = 1.3;
        const AveragedFeedbackSampler sampler(c, noise, n);
        for (const std::size_t states : {std::size_t{1}, std::size_t{5}, std::size_t{37}})
          for (std::size_t trials = 1; trials <= kFeedbackLanes; ++trials) {
            const std::size_t count = states * static_cast<std::size_t>(m);
            std::vector<std::vector<double>> raw(trials, std::vector<double>(count));
            const double* x[kFeedbackLanes];
            for (std::size_t b = 0; b < kFeedbackLanes; ++b) {
              if (b < trials) {
                rng::StreamReader reader(8, rng::make_stream(3, {b}));
                sampler.raw_noise(count, reader, raw[b].data());
              }
              x[b] = raw[b < trials ? b : 0].data();
            }
            std::vector<double> lanes(count * kFeedbackLanes);
            const std::vector<double> factor = feedback_factors(sampler, problem.alphas(), m, count);
            feedback_lanes(c, problem.clean_feedback_row(0), factor.data(), count, x, lanes.data());
            for (std::size_t b = 0; b < trials; ++b) {
              rng::StreamReader reader(8, rng::make_stream(3, {b}));
              for (std::size_t i = 0; i < count; ++i) {
                const int j = static_cast<int>(i % static_cast<std::size_t>(m));
                const double want = sampler.draw(problem.clean_feedback(i / static_cast<std::size_t>(m), j),
                                                 problem.alpha(j), reader);
                ASSERT_EQ(bits(lanes[i * kFeedbackLanes + b]), bits(want))
                    << "case " << to_string(c) << " n " << n << " m " << m << " trial " << b << " draw " << i;
              }
            }
          }
      }
}

// n = 1 (the activation case's one-compare outcomes) through the whole lane path.
TEST(ExpertEngine, LaneKernelEqualsReferenceAtOneRepeat) {
  const ExpertProblem problem = ExpertProblem::build({9, 3, 5, 0.0, 12});
  for (const NoiseCase c : {NoiseCase::kNoisy, NoiseCase::kActivation, NoiseCase::kPartial}) {
    TrialSpec spec;
    spec.noise_case = c;
    spec.n = 1;
    expect_lanes_equal_reference(problem, spec, 3, 5, to_string(c));
  }
}

// The lab's per-state detail path (run_trial with per-state errors; the noise
// in blocks, then draw()'s roundings) equals the reference path (draw() one
// at a time) bit for bit: every case, n = 1 and 3, several m (1 = generic
// one-expert kernel), with and without leak, and k = 13 (no pooled sums).
TEST(ExpertEngine, PerStateDetailEqualsOneDrawAtATime) {
  const auto same = [](double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; };
  for (const int m : {1, 3, 5, 7})
    for (const double leak : {0.0, 0.3})
      for (const int k : {3, 13}) {
        const ExpertProblem problem = ExpertProblem::build({k == 13 ? 14 : 8, k, m, leak, 41});
        for (const NoiseCase c : {NoiseCase::kNoisy, NoiseCase::kActivation, NoiseCase::kPartial})
          for (const int n : {1, 3}) {
            TrialSpec spec;
            spec.noise_case = c;
            spec.n = n;
            spec.lambda = 0.37;
            const std::uint64_t stream = rng::make_stream(78, {static_cast<std::uint64_t>(m), static_cast<std::uint64_t>(n)});
            TrialScratch a, b;
            StateErrors fast, reference;
            const TrialErrors e = run_trial(problem, spec, 5, stream, a, &fast);
            const TrialErrors r = run_trial_reference(problem, spec, 5, stream, b, &reference);
            const std::string where = std::string(to_string(c)) + " m=" + std::to_string(m) + " k=" + std::to_string(k) +
                                      " n=" + std::to_string(n) + " leak=" + std::to_string(leak);
            ASSERT_TRUE(same(e.bp, r.bp) && same(e.sg, r.sg) && same(e.mix, r.mix)) << where;
            ASSERT_EQ(fast.bp.size(), problem.states());
            for (std::size_t s = 0; s < problem.states(); ++s)
              ASSERT_TRUE(same(fast.bp[s], reference.bp[s]) && same(fast.sg[s], reference.sg[s])) << where << " state " << s;
          }
      }
}

// The lab's batched detail path (four trials per pass, per-state errors
// summed in trial order) equals run_trial one trial at a time, its per-state
// errors added in the same order, bit for bit: every case, m = 1, 3, 5, 7
// (unrolled and generic lanes), leak, random sampling, 1..6 trials.
TEST(ExpertEngine, StateSumsOfABatchEqualOneTrialAtATime) {
  const auto same = [](double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; };
  for (const int m : {1, 3, 5, 7})
    for (const double leak : {0.0, 0.3}) {
      const ExpertProblem problem = ExpertProblem::build({8, 3, m, leak, 43});
      for (const NoiseCase c : {NoiseCase::kNoisy, NoiseCase::kActivation, NoiseCase::kPartial})
        for (const Sampling sampling : {Sampling::kEveryState, Sampling::kRandom})
          for (int count = 1; count <= 6; count += (count < 4 ? 1 : 2)) {
            TrialSpec spec;
            spec.noise_case = c;
            spec.n = 2;
            spec.lambda = 0.5;
            spec.sampling = sampling;
            spec.random_samples = 300;
            std::vector<std::uint64_t> streams;
            for (int t = 0; t < count; ++t)
              streams.push_back(rng::make_stream(79, {static_cast<std::uint64_t>(t), static_cast<std::uint64_t>(m)}));
            TrialScratch a, b;
            StateErrors batched, one_by_one, per_state;
            batched.bp.assign(problem.states(), 0.0);
            batched.sg.assign(problem.states(), 0.0);
            one_by_one = batched;
            std::vector<TrialErrors> out(static_cast<std::size_t>(count));
            run_trial_batch_with_state_sums(problem, spec, 9, streams.data(), count, a, out.data(), batched);
            const std::string where = std::string(to_string(c)) + " m=" + std::to_string(m) +
                                      " leak=" + std::to_string(leak) + " count=" + std::to_string(count) +
                                      (sampling == Sampling::kRandom ? " random" : " every");
            for (int t = 0; t < count; ++t) {
              const TrialErrors e = run_trial(problem, spec, 9, streams[static_cast<std::size_t>(t)], b, &per_state);
              const TrialErrors& got = out[static_cast<std::size_t>(t)];
              ASSERT_TRUE(same(got.bp, e.bp) && same(got.sg, e.sg) && same(got.mix, e.mix)) << where << " trial " << t;
              for (std::size_t r = 0; r < problem.states(); ++r) {
                one_by_one.bp[r] += per_state.bp[r];
                one_by_one.sg[r] += per_state.sg[r];
              }
            }
            for (std::size_t r = 0; r < problem.states(); ++r)
              ASSERT_TRUE(same(batched.bp[r], one_by_one.bp[r]) && same(batched.sg[r], one_by_one.sg[r]))
                  << where << " state " << r;
          }
    }
}

}  // namespace
}  // namespace sglab::expert
