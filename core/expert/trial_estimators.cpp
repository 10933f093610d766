#include "core/expert/trial_estimators.hpp"

#include <algorithm>

#include "core/expert/feedback_noise.hpp"
#include "core/rng/counter_rng.hpp"

namespace sglab::expert {

namespace {

// Fills scratch.feedback with BP's per-state feedback estimate ê_r and the SG
// tables' sums and counts per (expert, key).
void collect_every_state(const ExpertProblem& problem, const TrialSpec& spec, rng::StreamReader& noise,
                         TrialScratch& s) {
  const std::size_t R = problem.states();
  const int m = problem.m();
  const std::size_t keys = problem.keys_per_expert();
  for (std::size_t r = 0; r < R; ++r) {
    for (int j = 0; j < m; ++j) {
      const std::size_t idx = r * static_cast<std::size_t>(m) + static_cast<std::size_t>(j);
      const double e = draw_averaged_feedback(spec.noise_case, spec.noise, spec.n,
                                              problem.clean_feedback(r, j), problem.alpha(j), noise);
      s.feedback[idx] = e;
      const std::size_t slot = static_cast<std::size_t>(j) * keys + problem.key(r, j);
      s.table_sum[slot] += e;
      s.table_count[slot] += 1.0;
    }
  }
}

// Random sampling (beyond the paper): N·n states uniformly with replacement,
// one feedback sample each. BP averages the samples of each state and has
// nothing (ê_r = 0, its full error) for a state never drawn.
void collect_random(const ExpertProblem& problem, const TrialSpec& spec, rng::StreamReader& noise,
                    TrialScratch& s) {
  const std::size_t R = problem.states();
  const int m = problem.m();
  const std::size_t keys = problem.keys_per_expert();
  std::fill(s.feedback.begin(), s.feedback.end(), 0.0);
  const std::int64_t draws = spec.random_samples * spec.n;
  for (std::int64_t t = 0; t < draws; ++t) {
    const std::size_t r = noise.next_below(static_cast<std::uint32_t>(R));
    s.state_count[r] += 1.0;
    for (int j = 0; j < m; ++j) {
      const double e = draw_averaged_feedback(spec.noise_case, spec.noise, 1,
                                              problem.clean_feedback(r, j), problem.alpha(j), noise);
      s.feedback[r * static_cast<std::size_t>(m) + static_cast<std::size_t>(j)] += e;
      const std::size_t slot = static_cast<std::size_t>(j) * keys + problem.key(r, j);
      s.table_sum[slot] += e;
      s.table_count[slot] += 1.0;
    }
  }
  for (std::size_t r = 0; r < R; ++r)
    if (s.state_count[r] > 0)
      for (int j = 0; j < m; ++j) s.feedback[r * static_cast<std::size_t>(m) + static_cast<std::size_t>(j)] /= s.state_count[r];
}

}  // namespace

TrialErrors run_trial(const ExpertProblem& problem, const TrialSpec& spec, std::uint64_t seed,
                      std::uint64_t stream, TrialScratch& s, StateErrors* per_state) {
  const std::size_t R = problem.states();
  const int m = problem.m();
  const auto ms = static_cast<std::size_t>(m);
  const std::size_t keys = problem.keys_per_expert();
  s.feedback.assign(R * ms, 0.0);
  s.table_sum.assign(ms * keys, 0.0);
  s.table_count.assign(ms * keys, 0.0);
  rng::StreamReader noise(seed, stream);
  if (spec.sampling == Sampling::kRandom) {
    s.state_count.assign(R, 0.0);
    collect_random(problem, spec, noise, s);
  } else {
    collect_every_state(problem, spec, noise, s);
  }

  // SG tables: the mean feedback per (expert, key); unseen keys take the
  // fallback (the expert's global mean over all samples, or zero).
  for (int j = 0; j < m; ++j) {
    double total = 0.0, count = 0.0;
    for (std::size_t key = 0; key < keys; ++key) {
      total += s.table_sum[static_cast<std::size_t>(j) * keys + key];
      count += s.table_count[static_cast<std::size_t>(j) * keys + key];
    }
    const double fallback =
        (spec.fallback == Fallback::kGlobalMean && count > 0) ? total / count : 0.0;
    for (std::size_t key = 0; key < keys; ++key) {
      const std::size_t slot = static_cast<std::size_t>(j) * keys + key;
      s.table_sum[slot] = s.table_count[slot] > 0 ? s.table_sum[slot] / s.table_count[slot] : fallback;
    }
  }
  const std::vector<double>& table = s.table_sum;  // now holds the means

  if (per_state != nullptr) {
    per_state->bp.assign(R, 0.0);
    per_state->sg.assign(R, 0.0);
  }
  // Error of block r is B_r Δ_r with Δ_r the feedback error, so its squared
  // norm is Δ_rᵀ Q_r Δ_r; the population gradient divides each block by R.
  const double inv_r2 = 1.0 / (static_cast<double>(R) * static_cast<double>(R));
  const double lam = spec.lambda;
  TrialErrors out;
  double dbp[64], dsg[64], dmix[64];
  for (std::size_t r = 0; r < R; ++r) {
    for (int j = 0; j < m; ++j) {
      const auto js = static_cast<std::size_t>(j);
      const double truth = problem.clean_feedback(r, j);
      dbp[j] = s.feedback[r * ms + js] - truth;
      dsg[j] = table[js * keys + problem.key(r, j)] - truth;
      dmix[j] = (1.0 - lam) * dbp[j] + lam * dsg[j];
    }
    const double eb = problem.quadratic_form(r, dbp);
    const double es = problem.quadratic_form(r, dsg);
    out.bp += eb;
    out.sg += es;
    out.mix += problem.quadratic_form(r, dmix);
    if (per_state != nullptr) {
      per_state->bp[r] = eb * inv_r2;
      per_state->sg[r] = es * inv_r2;
    }
  }
  out.bp *= inv_r2;
  out.sg *= inv_r2;
  out.mix *= inv_r2;
  return out;
}

}  // namespace sglab::expert
