#include "core/expert/trial_estimators.hpp"

#include <algorithm>
#include <array>

#include "core/expert/every_state_lanes.hpp"
#include "core/expert/feedback_noise.hpp"
#include "core/rng/counter_rng.hpp"
#include "core/util/simd_clones.hpp"

namespace sglab::expert {

namespace {

// Every state visited n times (the paper's sampling): ê_r = ē_r, and each SG
// table entry sums the G states of its class. Each trial reads its own stream
// in state order, its noise drawn in blocks (raw_noise) and turned into
// feedback with draw()'s roundings; each table entry sums in state order.
void collect_every_state(const ExpertProblem& problem, const TrialSpec& spec,
                         std::array<rng::StreamReader, kMaxTrialBatch>& noise, int count,
                         TrialScratch& s) {
  const std::size_t R = problem.states();
  const auto ms = static_cast<std::size_t>(problem.m());
  const std::size_t keys = problem.keys_per_expert();
  const auto batch = static_cast<std::size_t>(count);
  const AveragedFeedbackSampler sampler(spec.noise_case, spec.noise, spec.n);
  const std::size_t run = std::max<std::size_t>(1, 256 / ms);
  std::vector<double> x(run * ms);
  for (std::size_t b = 0; b < batch; ++b) {
    double* table_sum = &s.table_sum[b * ms * keys];
    for (std::size_t first = 0; first < R; first += run) {
      const std::size_t states = std::min(run, R - first);
      sampler.raw_noise(states * ms, noise[b], x.data());
      for (std::size_t i = 0; i < states; ++i) {
        const std::size_t r = first + i;
        const double* delta = problem.clean_feedback_row(r);
        const std::uint32_t* key = problem.key_row(r);
        double* feedback = &s.feedback[(r * batch + b) * ms];
        for (std::size_t j = 0; j < ms; ++j) {
          const double e = sampler.from_raw(delta[j], problem.alpha(static_cast<int>(j)), x[i * ms + j]);
          feedback[j] = e;
          table_sum[j * keys + key[j]] += e;
        }
      }
    }
  }
  const double G = static_cast<double>(problem.class_size());
  std::fill(s.table_count.begin(), s.table_count.end(), G);
}

// The same, one draw at a time through draw() (the reference path), trials
// interleaved state by state.
void collect_every_state_one_draw_at_a_time(const ExpertProblem& problem, const TrialSpec& spec,
                                            std::array<rng::StreamReader, kMaxTrialBatch>& noise, int count,
                                            TrialScratch& s) {
  const std::size_t R = problem.states();
  const auto ms = static_cast<std::size_t>(problem.m());
  const std::size_t keys = problem.keys_per_expert();
  const auto batch = static_cast<std::size_t>(count);
  const AveragedFeedbackSampler sampler(spec.noise_case, spec.noise, spec.n);
  for (std::size_t r = 0; r < R; ++r) {
    for (std::size_t b = 0; b < batch; ++b) {
      double* feedback = &s.feedback[(r * batch + b) * ms];
      double* table_sum = &s.table_sum[b * ms * keys];
      for (std::size_t j = 0; j < ms; ++j) {
        const int jj = static_cast<int>(j);
        const double e = sampler.draw(problem.clean_feedback(r, jj), problem.alpha(jj), noise[b]);
        feedback[j] = e;
        table_sum[j * keys + problem.key(r, jj)] += e;
      }
    }
  }
  const double G = static_cast<double>(problem.class_size());
  std::fill(s.table_count.begin(), s.table_count.end(), G);
}

// Random sampling (beyond the paper): N·n states uniformly with replacement,
// one feedback sample each. BP averages the samples of each state and has
// nothing (ê_r = 0, its full error) for a state never drawn.
void collect_random(const ExpertProblem& problem, const TrialSpec& spec, rng::StreamReader& noise,
                    int b, int count, TrialScratch& s) {
  const std::size_t R = problem.states();
  const auto ms = static_cast<std::size_t>(problem.m());
  const std::size_t keys = problem.keys_per_expert();
  const auto batch = static_cast<std::size_t>(count), bs = static_cast<std::size_t>(b);
  double* table_sum = &s.table_sum[bs * ms * keys];
  double* table_count = &s.table_count[bs * ms * keys];
  s.state_count.assign(R, 0.0);
  const std::int64_t draws = spec.random_samples * spec.n;
  const AveragedFeedbackSampler sampler(spec.noise_case, spec.noise, 1);
  for (std::int64_t t = 0; t < draws; ++t) {
    const std::size_t r = noise.next_below(static_cast<std::uint32_t>(R));
    s.state_count[r] += 1.0;
    double* feedback = &s.feedback[(r * batch + bs) * ms];
    for (std::size_t j = 0; j < ms; ++j) {
      const int jj = static_cast<int>(j);
      const double e = sampler.draw(problem.clean_feedback(r, jj), problem.alpha(jj), noise);
      feedback[j] += e;
      table_sum[j * keys + problem.key(r, jj)] += e;
      table_count[j * keys + problem.key(r, jj)] += 1.0;
    }
  }
  for (std::size_t r = 0; r < R; ++r)
    if (s.state_count[r] > 0)
      for (std::size_t j = 0; j < ms; ++j) s.feedback[(r * batch + bs) * ms + j] /= s.state_count[r];
}

// SG tables: the mean feedback per (expert, key); unseen keys take the
// fallback (the expert's global mean over all samples, or zero).
void finish_tables(const ExpertProblem& problem, Fallback fallback_rule, int count, TrialScratch& s) {
  const auto ms = static_cast<std::size_t>(problem.m());
  const std::size_t keys = problem.keys_per_expert();
  for (std::size_t j = 0; j < ms * static_cast<std::size_t>(count); ++j) {
    double* sum = &s.table_sum[j * keys];
    const double* cnt = &s.table_count[j * keys];
    double total = 0.0, seen = 0.0;
    for (std::size_t key = 0; key < keys; ++key) {
      total += sum[key];
      seen += cnt[key];
    }
    const double fallback = (fallback_rule == Fallback::kGlobalMean && seen > 0) ? total / seen : 0.0;
    for (std::size_t key = 0; key < keys; ++key) sum[key] = cnt[key] > 0 ? sum[key] / cnt[key] : fallback;
  }
}

// One state's Δ_BPᵀQΔ_BP, Δ_SGᵀQΔ_SG and Δ_BPᵀQΔ_SG over the packed symmetric
// Q (diagonal once, off-diagonal twice), in one fixed order; V is a double or
// a vector of lanes (one trial each), so the lane kernel below gives the
// scalar loop's bits.
template <class V>
__attribute__((always_inline)) inline void state_quadratic_forms(const double* q, int m, const V* dbp, const V* dsg,
                                                                 V& eb, V& es, V& ebs) {
  V eb_d{}, es_d{}, ebs_d{}, eb_o{}, es_o{}, ebs_o{};
  for (int a = 0; a < m; ++a) {
    const double qaa = *q++;
    eb_d += qaa * dbp[a] * dbp[a];
    es_d += qaa * dsg[a] * dsg[a];
    ebs_d += qaa * dbp[a] * dsg[a];
    for (int c = a + 1; c < m; ++c) {
      const double qac = *q++;
      eb_o += qac * dbp[a] * dbp[c];
      es_o += qac * dsg[a] * dsg[c];
      ebs_o += qac * (dbp[a] * dsg[c] + dbp[c] * dsg[a]);
    }
  }
  eb = eb_d + 2 * eb_o;
  es = es_d + 2 * es_o;
  ebs = ebs_d + ebs_o;
}

// Error of block r is B_r Δ_r with Δ_r the feedback error, so its squared
// norm is Δ_rᵀ Q_r Δ_r; the population gradient divides each block by R
// (THEORY.md §6). The mixture's error is expanded bilinearly:
// (1−λ)²·Δ_BPᵀQΔ_BP + λ²·Δ_SGᵀQΔ_SG + 2λ(1−λ)·Δ_BPᵀQΔ_SG.
// kM > 0 fixes the expert count at compile time; 0 reads it at run time.
template <int kM>
void accumulate_errors(const ExpertProblem& problem, const TrialScratch& s, int count,
                       double lambda, TrialErrors* out, StateErrors* per_state) {
  const std::size_t R = problem.states();
  const int m = kM > 0 ? kM : problem.m();
  const auto ms = static_cast<std::size_t>(m);
  const auto batch = static_cast<std::size_t>(count);
  const std::size_t keys = problem.keys_per_expert();
  const double inv_r2 = 1.0 / (static_cast<double>(R) * static_cast<double>(R));
  double truth[ExpertLimits::kMaxExperts];
  std::size_t slot[ExpertLimits::kMaxExperts];
  double dbp[ExpertLimits::kMaxExperts], dsg[ExpertLimits::kMaxExperts];
  double sum_bp[kMaxTrialBatch] = {}, sum_sg[kMaxTrialBatch] = {}, sum_cross[kMaxTrialBatch] = {};
  for (std::size_t r = 0; r < R; ++r) {
    for (int j = 0; j < m; ++j) {
      truth[j] = problem.clean_feedback(r, j);
      slot[j] = static_cast<std::size_t>(j) * keys + problem.key(r, j);
    }
    const double* q_packed = problem.gram_packed(r);
    for (std::size_t b = 0; b < batch; ++b) {
      const double* feedback = &s.feedback[(r * batch + b) * ms];
      const double* table = &s.table_sum[b * ms * keys];
      for (int j = 0; j < m; ++j) {
        dbp[j] = feedback[j] - truth[j];
        dsg[j] = table[slot[j]] - truth[j];
      }
      double eb, es, ebs;
      state_quadratic_forms(q_packed, m, dbp, dsg, eb, es, ebs);
      sum_bp[b] += eb;
      sum_sg[b] += es;
      sum_cross[b] += ebs;
      if (per_state != nullptr) {
        per_state->bp[r] = eb * inv_r2;
        per_state->sg[r] = es * inv_r2;
      }
    }
  }
  for (std::size_t b = 0; b < batch; ++b) {
    out[b].bp = sum_bp[b] * inv_r2;
    out[b].sg = sum_sg[b] * inv_r2;
    out[b].mix = ((1 - lambda) * (1 - lambda) * sum_bp[b] + lambda * lambda * sum_sg[b] +
                  2 * lambda * (1 - lambda) * sum_cross[b]) *
                 inv_r2;
  }
}

// accumulate_errors for up to four trials side by side (one per lane, each
// lane performing the scalar loop's operations in its order, so the same
// bits), adding each state's errors /R² into `sums`, trial after trial: what
// run_trial's per-state errors summed over those trials in order would give.
typedef double ErrorLanes __attribute__((vector_size(32)));
template <int kM>
__attribute__((always_inline)) inline void accumulate_errors_lanes(const ExpertProblem& problem,
                                                                   const TrialScratch& s, int count, double lambda,
                                                                   TrialErrors* out, StateErrors& sums) {
  constexpr std::size_t kLanes = kMaxTrialBatch;
  static_assert(sizeof(ErrorLanes) == kLanes * sizeof(double), "one lane per trial of a batch");
  const std::size_t R = problem.states();
  const int m = kM > 0 ? kM : problem.m();
  const auto ms = static_cast<std::size_t>(m);
  const auto batch = static_cast<std::size_t>(count);
  const std::size_t keys = problem.keys_per_expert();
  const double inv_r2 = 1.0 / (static_cast<double>(R) * static_cast<double>(R));
  ErrorLanes dbp[ExpertLimits::kMaxExperts], dsg[ExpertLimits::kMaxExperts];
  ErrorLanes sum_bp = {}, sum_sg = {}, sum_cross = {};
  // Trial b's SG tables; spare lanes repeat trial 0 (finite, never read out).
  const double* table[kLanes];
  for (std::size_t b = 0; b < kLanes; ++b) table[b] = &s.table_sum[(b < batch ? b : 0) * ms * keys];
  for (std::size_t r = 0; r < R; ++r) {
    const double* feedback[kLanes];
    for (std::size_t b = 0; b < kLanes; ++b) feedback[b] = &s.feedback[(r * batch + (b < batch ? b : 0)) * ms];
    for (int j = 0; j < m; ++j) {
      const auto js = static_cast<std::size_t>(j);
      const double truth = problem.clean_feedback(r, j);
      const std::size_t slot = js * keys + problem.key(r, j);
      dbp[j] = ErrorLanes{feedback[0][js], feedback[1][js], feedback[2][js], feedback[3][js]} - truth;
      dsg[j] = ErrorLanes{table[0][slot], table[1][slot], table[2][slot], table[3][slot]} - truth;
    }
    ErrorLanes eb, es, ebs;
    state_quadratic_forms(problem.gram_packed(r), m, dbp, dsg, eb, es, ebs);
    sum_bp += eb;
    sum_sg += es;
    sum_cross += ebs;
    for (std::size_t b = 0; b < batch; ++b) {
      sums.bp[r] += eb[b] * inv_r2;
      sums.sg[r] += es[b] * inv_r2;
    }
  }
  for (std::size_t b = 0; b < batch; ++b) {
    out[b].bp = sum_bp[b] * inv_r2;
    out[b].sg = sum_sg[b] * inv_r2;
    out[b].mix = ((1 - lambda) * (1 - lambda) * sum_bp[b] + lambda * lambda * sum_sg[b] +
                  2 * lambda * (1 - lambda) * sum_cross[b]) *
                 inv_r2;
  }
}

// Instances compiled for baseline x86-64 and for AVX2 (simd_clones.hpp).
#define SGLAB_ACCUMULATE_LANES(NAME, M)                                                                   \
  SGLAB_SIMD_CLONES void NAME(const ExpertProblem& problem, const TrialScratch& s, int count, double lambda, \
                              TrialErrors* out, StateErrors& sums) {                                      \
    accumulate_errors_lanes<M>(problem, s, count, lambda, out, sums);                                     \
  }
SGLAB_ACCUMULATE_LANES(accumulate_lanes_m3, 3)
SGLAB_ACCUMULATE_LANES(accumulate_lanes_m4, 4)
SGLAB_ACCUMULATE_LANES(accumulate_lanes_m5, 5)
SGLAB_ACCUMULATE_LANES(accumulate_lanes_m6, 6)
SGLAB_ACCUMULATE_LANES(accumulate_lanes_any, 0)
#undef SGLAB_ACCUMULATE_LANES

// Every-state sampling in one pass over the states, with no per-state
// buffer (see pooled_gram.hpp). With η_r = ē_r − δ_r the BP feedback error,
// d the SG tables' deviation from the class means and β_r the leak bias:
//   err_BP    = Σ_r η_rᵀ Q_r η_r
//   err_SG    = dᵀWd + 2 Σ_b Σ_key d_b[key] V_b[key] + Σ_r β_rᵀQ_rβ_r
//   err_cross = Σ_r η_rᵀ Q_r (d(r) + β_r)
//             = Σ_b Σ_key d_b[key] U_b[key] + Σ_r η_rᵀ Q_r β_r,
//     U_b[key] = Σ_{r: key_rb = key} (Q_r η_r)_b, accumulated in the same pass.
// All divided by R² (THEORY.md §6). Equal to the two-pass path up to rounding.
template <int kM>
void run_fused_every_state(const ExpertProblem& problem, const TrialSpec& spec,
                           std::array<rng::StreamReader, kMaxTrialBatch>& noise, int count,
                           TrialScratch& s, TrialErrors* out) {
  const std::size_t R = problem.states();
  const int m = kM > 0 ? kM : problem.m();
  const auto ms = static_cast<std::size_t>(m);
  const std::size_t K = problem.keys_per_expert();
  const auto batch = static_cast<std::size_t>(count);
  const PooledGram& pooled = problem.pooled();
  const bool leak = pooled.has_leak_bias;
  // Per trial: table sums (m × K) and U (m × K).
  s.table_sum.assign(batch * ms * K, 0.0);
  s.table_count.assign(batch * ms * K, 0.0);  // holds U here
  const AveragedFeedbackSampler sampler(spec.noise_case, spec.noise, spec.n);
  double bp[kMaxTrialBatch] = {}, eta_q_beta[kMaxTrialBatch] = {};
  double eta[ExpertLimits::kMaxExperts], q_eta[ExpertLimits::kMaxExperts];
  double beta[ExpertLimits::kMaxExperts];
  std::size_t slot[ExpertLimits::kMaxExperts];
  for (std::size_t r = 0; r < R; ++r) {
    const double* q_packed = problem.gram_packed(r);
    for (int j = 0; j < m; ++j) {
      slot[j] = static_cast<std::size_t>(j) * K + problem.key(r, j);
      if (leak) beta[j] = pooled.class_mean[slot[j]] - problem.clean_feedback(r, j);
    }
    for (std::size_t b = 0; b < batch; ++b) {
      double* table = &s.table_sum[b * ms * K];
      double* u = &s.table_count[b * ms * K];
      for (int j = 0; j < m; ++j) {
        const double delta = problem.clean_feedback(r, j);
        const double e = sampler.draw(delta, problem.alpha(j), noise[b]);
        table[slot[j]] += e;
        eta[j] = e - delta;
      }
      // q_eta = Q_r η_r from the packed upper triangle.
      for (int j = 0; j < m; ++j) q_eta[j] = 0.0;
      const double* q = q_packed;
      for (int a = 0; a < m; ++a) {
        q_eta[a] += *q++ * eta[a];
        for (int c = a + 1; c < m; ++c) {
          const double qac = *q++;
          q_eta[a] += qac * eta[c];
          q_eta[c] += qac * eta[a];
        }
      }
      double quad = 0.0, with_beta = 0.0;
      for (int j = 0; j < m; ++j) {
        quad += eta[j] * q_eta[j];
        u[slot[j]] += q_eta[j];
        if (leak) with_beta += q_eta[j] * beta[j];
      }
      bp[b] += quad;
      eta_q_beta[b] += with_beta;
    }
  }
  const double inv_r2 = 1.0 / (static_cast<double>(R) * static_cast<double>(R));
  const double inv_g = 1.0 / static_cast<double>(problem.class_size());
  std::vector<double> dev(ms * K);
  for (std::size_t b = 0; b < batch; ++b) {
    const double* table = &s.table_sum[b * ms * K];
    const double* u = &s.table_count[b * ms * K];
    for (std::size_t i = 0; i < ms * K; ++i) dev[i] = table[i] * inv_g - pooled.class_mean[i];
    double sg = pooled.bias_total, cross = eta_q_beta[b];
    for (std::size_t i = 0; i < ms * K; ++i) {
      cross += dev[i] * u[i];
      if (leak) sg += 2.0 * dev[i] * pooled.v[i];
    }
    sg = add_pooled_quadratic_form(pooled, dev.data(), m, K, sg);
    const double lam = spec.lambda;
    out[b].bp = bp[b] * inv_r2;
    out[b].sg = sg * inv_r2;
    out[b].mix = ((1 - lam) * (1 - lam) * bp[b] + lam * lam * sg + 2 * lam * (1 - lam) * cross) * inv_r2;
  }
}

void run_batch(const ExpertProblem& problem, const TrialSpec& spec, std::uint64_t seed,
               const std::uint64_t* streams, int count, TrialScratch& s, TrialErrors* out,
               StateErrors* per_state, bool reference = false, StateErrors* state_sums = nullptr) {
  const std::size_t R = problem.states();
  const auto ms = static_cast<std::size_t>(problem.m());
  const std::size_t keys = problem.keys_per_expert();
  const auto batch = static_cast<std::size_t>(count);
  std::array<rng::StreamReader, kMaxTrialBatch> noise = {
      rng::StreamReader(seed, streams[0]), rng::StreamReader(seed, count > 1 ? streams[1] : 0),
      rng::StreamReader(seed, count > 2 ? streams[2] : 0),
      rng::StreamReader(seed, count > 3 ? streams[3] : 0)};
  if (spec.sampling == Sampling::kEveryState && problem.pooled().available && per_state == nullptr &&
      state_sums == nullptr) {
    if (!reference) {
      run_every_state_lanes(problem, spec, seed, streams, count, s, out);
      return;
    }
    switch (problem.m()) {
      case 3: run_fused_every_state<3>(problem, spec, noise, count, s, out); return;
      case 4: run_fused_every_state<4>(problem, spec, noise, count, s, out); return;
      case 5: run_fused_every_state<5>(problem, spec, noise, count, s, out); return;
      case 6: run_fused_every_state<6>(problem, spec, noise, count, s, out); return;
      default: run_fused_every_state<0>(problem, spec, noise, count, s, out); return;
    }
  }
  s.feedback.assign(R * batch * ms, 0.0);
  s.table_sum.assign(batch * ms * keys, 0.0);
  s.table_count.assign(batch * ms * keys, 0.0);
  if (spec.sampling == Sampling::kRandom) {
    for (int b = 0; b < count; ++b) collect_random(problem, spec, noise[static_cast<std::size_t>(b)], b, count, s);
  } else if (reference) {
    collect_every_state_one_draw_at_a_time(problem, spec, noise, count, s);
  } else {
    collect_every_state(problem, spec, noise, count, s);
  }
  finish_tables(problem, spec.fallback, count, s);
  if (per_state != nullptr) {
    per_state->bp.assign(R, 0.0);
    per_state->sg.assign(R, 0.0);
  }
  if (state_sums != nullptr) {
    switch (problem.m()) {
      case 3: accumulate_lanes_m3(problem, s, count, spec.lambda, out, *state_sums); return;
      case 4: accumulate_lanes_m4(problem, s, count, spec.lambda, out, *state_sums); return;
      case 5: accumulate_lanes_m5(problem, s, count, spec.lambda, out, *state_sums); return;
      case 6: accumulate_lanes_m6(problem, s, count, spec.lambda, out, *state_sums); return;
      default: accumulate_lanes_any(problem, s, count, spec.lambda, out, *state_sums); return;
    }
  }
  switch (problem.m()) {  // unrolled kernels for common expert counts
    case 1: accumulate_errors<1>(problem, s, count, spec.lambda, out, per_state); break;
    case 2: accumulate_errors<2>(problem, s, count, spec.lambda, out, per_state); break;
    case 3: accumulate_errors<3>(problem, s, count, spec.lambda, out, per_state); break;
    case 4: accumulate_errors<4>(problem, s, count, spec.lambda, out, per_state); break;
    case 5: accumulate_errors<5>(problem, s, count, spec.lambda, out, per_state); break;
    case 6: accumulate_errors<6>(problem, s, count, spec.lambda, out, per_state); break;
    case 8: accumulate_errors<8>(problem, s, count, spec.lambda, out, per_state); break;
    default: accumulate_errors<0>(problem, s, count, spec.lambda, out, per_state); break;
  }
}

}  // namespace

TrialErrors run_trial(const ExpertProblem& problem, const TrialSpec& spec, std::uint64_t seed,
                      std::uint64_t stream, TrialScratch& scratch, StateErrors* per_state) {
  TrialErrors out;
  run_batch(problem, spec, seed, &stream, 1, scratch, &out, per_state);
  return out;
}

void run_trial_batch(const ExpertProblem& problem, const TrialSpec& spec, std::uint64_t seed,
                     const std::uint64_t* streams, int count, TrialScratch& scratch,
                     TrialErrors* out) {
  // The lanes path takes up to eight trials per pass over the states.
  const bool lanes = spec.sampling == Sampling::kEveryState && problem.pooled().available;
  const int per_pass = lanes ? kMaxTrialPass : kMaxTrialBatch;
  for (int first = 0; first < count; first += per_pass) {
    const int now = std::min(per_pass, count - first);
    if (lanes)
      run_every_state_lanes(problem, spec, seed, streams + first, now, scratch, out + first);
    else
      run_batch(problem, spec, seed, streams + first, now, scratch, out + first, nullptr);
  }
}

void run_trial_batch_with_state_sums(const ExpertProblem& problem, const TrialSpec& spec, std::uint64_t seed,
                                     const std::uint64_t* streams, int count, TrialScratch& scratch,
                                     TrialErrors* out, StateErrors& sums) {
  for (int first = 0; first < count; first += kMaxTrialBatch) {
    const int now = std::min(kMaxTrialBatch, count - first);
    run_batch(problem, spec, seed, streams + first, now, scratch, out + first, nullptr, false, &sums);
  }
}

TrialErrors run_trial_reference(const ExpertProblem& problem, const TrialSpec& spec, std::uint64_t seed,
                                std::uint64_t stream, TrialScratch& scratch, StateErrors* per_state) {
  TrialErrors out;
  run_batch(problem, spec, seed, &stream, 1, scratch, &out, per_state, true);
  return out;
}

void run_trial_batch_reference(const ExpertProblem& problem, const TrialSpec& spec, std::uint64_t seed,
                               const std::uint64_t* streams, int count, TrialScratch& scratch, TrialErrors* out) {
  for (int first = 0; first < count; first += kMaxTrialBatch) {
    const int now = std::min(kMaxTrialBatch, count - first);
    run_batch(problem, spec, seed, streams + first, now, scratch, out + first, nullptr, true);
  }
}

}  // namespace sglab::expert
