#pragma once
// The hot path of the paper's sweep: every-state sampling with the pooled
// Gram sums (pooled_gram.hpp), kMaxTrialBatch trials at once in SIMD lanes.
//
// Lane b is trial b of the batch. Every lane performs, in the same order, the
// floating-point operations of the one-trial reference path
// (run_trial_batch_reference in trial_estimators.hpp), so each trial's
// numbers are the reference's bit for bit (tests/core/expert_engine_test).
// The speed comes from elsewhere: the noise of a run of states is drawn in a
// block per trial (wide Philox, the ziggurat's fast path in a tight loop), a
// state's Gram row, keys and clean feedback are read once for all lanes, and
// each SG table / U entry holds its lanes side by side, so one vector add
// updates the entry of every trial.

#include <cstdint>

#include "core/expert/expert_problem.hpp"
#include "core/expert/trial_estimators.hpp"

namespace sglab::expert {

/// Every-state sampling, spec.sampling == kEveryState and problem.pooled().available.
/// Trials b < count ≤ kMaxTrialPass on streams[b], two lane sets of four
/// (lane b of set q is trial 4q + b); results into out[0..count).
/// Each trial's numbers are the same whichever trials share its pass.
void run_every_state_lanes(const ExpertProblem& problem, const TrialSpec& spec, std::uint64_t seed,
                           const std::uint64_t* streams, int count, TrialScratch& scratch,
                           TrialErrors* out);

}  // namespace sglab::expert
