#pragma once
// One Monte Carlo trial of the BP, SG and mixed estimators (THEORY.md §6,
// "Estimators"): squared error of each against the exact population gradient.

#include <cstdint>
#include <vector>

#include "core/expert/expert_config.hpp"
#include "core/expert/expert_problem.hpp"

namespace sglab::expert {

/// Everything a trial needs besides the problem instance.
struct TrialSpec {
  NoiseCase noise_case = NoiseCase::kNoisy;
  NoiseParams noise;
  int n = 1;  ///< repeats per state (every-state sampling) or the multiplier of N (random)
  Sampling sampling = Sampling::kEveryState;
  std::int64_t random_samples = 1000;
  Fallback fallback = Fallback::kGlobalMean;
  double lambda = 1.0;
};

struct TrialErrors {
  double bp = 0.0;   ///< ||ĝ_BP − g_true||²
  double sg = 0.0;   ///< ||ĝ_SG − g_true||²
  double mix = 0.0;  ///< ||(1 − λ) ĝ_BP + λ ĝ_SG − g_true||²
};

/// Per-state squared errors of one trial (for the state-pooling view):
/// bp[r] = ||B_r (ê_r − δ_r)||² / R², likewise sg; they sum to the trial errors.
struct StateErrors {
  std::vector<double> bp;
  std::vector<double> sg;
};

/// Reusable buffers so a worker allocates once per sweep, not per trial.
struct TrialScratch {
  std::vector<double> feedback;     ///< R × batch × m: ê_r (BP's per-state feedback estimate)
  std::vector<double> table_sum;    ///< batch × m × 2^k; SG table means once complete
  std::vector<double> table_count;  ///< batch × m × 2^k
  std::vector<double> state_count;  ///< R (random sampling)
};

/// Trials computed together in one pass over the states (the problem's
/// arrays are read once per batch, not once per trial).
constexpr int kMaxTrialBatch = 4;
/// Trials per pass on the every-state lanes path: two lane sets of
/// kMaxTrialBatch. The second set's state loop runs right after the first's on
/// each run of states, so it reads their Gram rows, keys and δ from cache. At
/// d = 20 (R = 2^20, 180 bytes per state) that halves the trials'
/// main-memory reads, which bound the state loop there.
constexpr int kMaxTrialPass = 2 * kMaxTrialBatch;

/// Runs one trial whose noise is the counter stream (seed, stream).
/// `per_state`, when given, receives each state's contribution.
TrialErrors run_trial(const ExpertProblem& problem, const TrialSpec& spec, std::uint64_t seed,
                      std::uint64_t stream, TrialScratch& scratch,
                      StateErrors* per_state = nullptr);

/// Runs `count` trials, trial b on stream streams[b], into out[0..count),
/// kMaxTrialBatch per pass over the states (eight on the every-state lanes
/// path, every_state_lanes.hpp). Each trial's numbers are exactly those of
/// run_trial on the same stream: batching changes memory traffic, not results.
void run_trial_batch(const ExpertProblem& problem, const TrialSpec& spec, std::uint64_t seed,
                     const std::uint64_t* streams, int count, TrialScratch& scratch,
                     TrialErrors* out);

/// `count` trials as run_trial_batch, and each state's errors (as run_trial's
/// per_state) added into sums.bp[r] and sums.sg[r] (sized R), trial after
/// trial: the same bits as a run_trial per stream, in order, each followed by
/// sums.bp[r] += per_state.bp[r] (and sg). Four trials per pass over the states.
void run_trial_batch_with_state_sums(const ExpertProblem& problem, const TrialSpec& spec, std::uint64_t seed,
                                     const std::uint64_t* streams, int count, TrialScratch& scratch,
                                     TrialErrors* out, StateErrors& sums);

/// run_trial on the reference path: every draw through
/// AveragedFeedbackSampler::draw, one at a time (tests pin run_trial to it).
TrialErrors run_trial_reference(const ExpertProblem& problem, const TrialSpec& spec, std::uint64_t seed,
                                std::uint64_t stream, TrialScratch& scratch, StateErrors* per_state = nullptr);

/// The same trials on the reference path: one draw at a time through
/// StreamReader, one trial at a time through the state loop. The fast path
/// (every_state_lanes.hpp) must give these numbers bit for bit; tests compare them.
void run_trial_batch_reference(const ExpertProblem& problem, const TrialSpec& spec, std::uint64_t seed,
                               const std::uint64_t* streams, int count, TrialScratch& scratch, TrialErrors* out);

}  // namespace sglab::expert
