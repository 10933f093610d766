#include "core/expert/every_state_lanes.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "core/expert/feedback_lanes.hpp"
#include "core/expert/feedback_noise.hpp"
#include "core/rng/counter_rng.hpp"
#include "core/util/simd_clones.hpp"

namespace sglab::expert {

namespace {

// Four doubles, one per trial; element-wise IEEE arithmetic (GCC vector
// extension: two SSE2 registers in the baseline build, one AVX register in
// the AVX2 clone). No fused multiply-add in either, so both give the same bytes.
typedef double Lanes __attribute__((vector_size(32)));
constexpr std::size_t kLanes = 4;
static_assert(kMaxTrialBatch == static_cast<int>(kLanes) && kFeedbackLanes == kLanes,
              "one SIMD lane per trial of a batch");
constexpr std::size_t kLaneSets = 2;
static_assert(kMaxTrialPass == static_cast<int>(kLaneSets * kLanes), "a pass is two lane sets");

inline Lanes load(const double* p) {
  Lanes v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store(double* p, Lanes v) {
  std::memcpy(p, &v, sizeof v);
}

// One run of states [first, first + states): their drawn feedback (lane-interleaved,
// e[((i·m) + j)·4 + b]) and the per-trial tables it updates.
struct StateRun {
  const ExpertProblem* problem;
  std::size_t first, states;
  const double* e;
  double* table;  ///< m·K entries × 4 lanes: Σ ē over the states of each (expert, key)
  double* u;      ///< m·K entries × 4 lanes: Σ (Q_r η_r)_j over the same states
  bool leak;
};

// The state loop of run_fused_every_state (see its derivation in
// trial_estimators.cpp), lanes = trials; the operation order per lane is the
// reference's. kM > 0 fixes m at compile time; kLeak whether β enters. The
// run's fields are copied to locals: the table stores could alias them, and
// the compiler reloaded each one per expert.
template <int kM, bool kLeak>
__attribute__((always_inline)) inline void state_run(const StateRun& c, Lanes& bp,
                                                     Lanes& eta_q_beta) {
  const ExpertProblem& p = *c.problem;
  const int m = kM > 0 ? kM : p.m();
  const std::size_t K = p.keys_per_expert(), first = c.first, states = c.states;
  const std::size_t packed = p.packed_size();
  const double* class_mean = p.pooled().class_mean.data();
  const std::uint32_t* keys = p.key_row(first);
  const double* deltas = p.clean_feedback_row(first);
  const double* grams = p.gram_packed(first);
  const double* drawn = c.e;
  double* const table = c.table;
  double* const u = c.u;
  Lanes eta[ExpertLimits::kMaxExperts], q_eta[ExpertLimits::kMaxExperts];
  double beta[ExpertLimits::kMaxExperts] = {};
  std::size_t at[ExpertLimits::kMaxExperts];
  for (std::size_t i = 0; i < states; ++i) {
    const std::uint32_t* key = keys + i * static_cast<std::size_t>(m);
    const double* delta = deltas + i * static_cast<std::size_t>(m);
    const double* e = drawn + i * static_cast<std::size_t>(m) * kLanes;
    for (int j = 0; j < m; ++j) {
      const std::size_t slot = static_cast<std::size_t>(j) * K + key[j];
      at[j] = slot * kLanes;
      if (kLeak) beta[j] = class_mean[slot] - delta[j];
      const Lanes ej = load(e + static_cast<std::size_t>(j) * kLanes);
      store(table + at[j], load(table + at[j]) + ej);
      eta[j] = ej - delta[j];
      q_eta[j] = Lanes{};
    }
    const double* q = grams + i * packed;
    for (int a = 0; a < m; ++a) {
      q_eta[a] += *q++ * eta[a];
      for (int b = a + 1; b < m; ++b) {
        const double qab = *q++;
        q_eta[a] += qab * eta[b];
        q_eta[b] += qab * eta[a];
      }
    }
    Lanes quad = {}, with_beta = {};
    for (int j = 0; j < m; ++j) {
      quad += eta[j] * q_eta[j];
      store(u + at[j], load(u + at[j]) + q_eta[j]);
      if (kLeak) with_beta += q_eta[j] * beta[j];
    }
    bp += quad;
    // Without leak with_beta is +0 and the sum stays +0: not added, so the
    // accumulator is not carried through memory from state to state.
    if (kLeak) eta_q_beta += with_beta;
  }
}

#define SGLAB_STATE_RUN(NAME, M)                                                   \
  SGLAB_SIMD_CLONES void NAME(const StateRun& c, double* bp, double* eta_q_beta) { \
    Lanes b = load(bp), e = load(eta_q_beta);                                      \
    if (c.leak)                                                                    \
      state_run<M, true>(c, b, e);                                                 \
    else                                                                           \
      state_run<M, false>(c, b, e);                                                \
    store(bp, b);                                                                  \
    store(eta_q_beta, e);                                                          \
  }
SGLAB_STATE_RUN(state_run_m3, 3)
SGLAB_STATE_RUN(state_run_m4, 4)
SGLAB_STATE_RUN(state_run_m5, 5)
SGLAB_STATE_RUN(state_run_m6, 6)
SGLAB_STATE_RUN(state_run_any, 0)
#undef SGLAB_STATE_RUN

using StateRunFn = void (*)(const StateRun&, double*, double*);
StateRunFn state_run_for(int m) {
  switch (m) {
    case 3:
      return state_run_m3;
    case 4:
      return state_run_m4;
    case 5:
      return state_run_m5;
    case 6:
      return state_run_m6;
    default:
      return state_run_any;
  }
}

// SG error and BP·SG cross term of every trial from its tables, as in the
// reference's final loop: err_SG = dᵀWd + 2 Σ d·V + Σ βᵀQβ, cross = Σ d·U +
// Σ ηᵀQβ. Lane b performs add_pooled_quadratic_form's operations on trial b's
// deviations in its order, so the four trials cost one pass over W.
SGLAB_SIMD_CLONES void finish_lanes(const ExpertProblem& problem, const double* table, const double* u,
                                    const double* eta_q_beta, std::vector<double>& dev, double* sg_out,
                                    double* cross_out) {
  const PooledGram& pooled = problem.pooled();
  const int m = problem.m();
  const std::size_t K = problem.keys_per_expert(), entries = static_cast<std::size_t>(m) * K;
  const double inv_g = 1.0 / static_cast<double>(problem.class_size());
  const bool leak = pooled.has_leak_bias;
  dev.resize(entries * kLanes);
  for (std::size_t i = 0; i < entries; ++i)
    store(&dev[i * kLanes], load(table + i * kLanes) * inv_g - pooled.class_mean[i]);
  const double bias = pooled.bias_total;
  Lanes sg = {bias, bias, bias, bias}, cross = load(eta_q_beta);
  for (std::size_t i = 0; i < entries; ++i) {
    const Lanes d = load(&dev[i * kLanes]);
    cross += d * load(u + i * kLanes);
    if (leak) sg += 2.0 * d * pooled.v[i];
  }
  const double* w = pooled.w.data();
  for (int a = 0; a < m; ++a)
    for (int c = a; c < m; ++c, w += K * K) {
      const double* da = &dev[static_cast<std::size_t>(a) * K * kLanes];
      const double* dc = &dev[static_cast<std::size_t>(c) * K * kLanes];
      Lanes pair = {};
      for (std::size_t ka = 0; ka < K; ++ka) {
        Lanes row = {};
        for (std::size_t kc = 0; kc < K; ++kc) row += w[ka * K + kc] * load(dc + kc * kLanes);
        pair += load(da + ka * kLanes) * row;
      }
      sg += (a == c ? 1.0 : 2.0) * pair;
    }
  store(sg_out, sg);
  store(cross_out, cross);
}

}  // namespace

void run_every_state_lanes(const ExpertProblem& problem, const TrialSpec& spec, std::uint64_t seed,
                           const std::uint64_t* streams, int count, TrialScratch& s,
                           TrialErrors* out) {
  const std::size_t R = problem.states();
  const int m = problem.m();
  const auto ms = static_cast<std::size_t>(m);
  const std::size_t entries = ms * problem.keys_per_expert();
  const auto trials = static_cast<std::size_t>(count);
  const std::size_t sets = (trials + kLanes - 1) / kLanes;
  // Per lane set: its SG tables and its U, side by side.
  s.table_sum.assign(sets * entries * kLanes, 0.0);
  s.table_count.assign(sets * entries * kLanes, 0.0);  // holds U here
  // Noise of a run of states, drawn per trial in one block (≈256 draws).
  const std::size_t run = std::max<std::size_t>(1, 256 / ms);
  s.feedback.resize(run * ms * kLanes);
  s.state_count.resize(run * ms * trials);  // the block's raw noise, trial by trial
  // Lane b of set q is trial 4q + b; lanes past the last trial repeat the
  // set's first trial's noise: finite, and never read out.
  const double* noise_of[kLaneSets][kLanes];
  for (std::size_t q = 0; q < sets; ++q)
    for (std::size_t b = 0; b < kLanes; ++b) {
      const std::size_t t = q * kLanes + b < trials ? q * kLanes + b : q * kLanes;
      noise_of[q][b] = s.state_count.data() + t * run * ms;
    }
  const AveragedFeedbackSampler sampler(spec.noise_case, spec.noise, spec.n);
  std::array<rng::StreamReader, kMaxTrialPass> noise = {
      rng::StreamReader(seed, streams[0]),
      rng::StreamReader(seed, count > 1 ? streams[1] : 0),
      rng::StreamReader(seed, count > 2 ? streams[2] : 0),
      rng::StreamReader(seed, count > 3 ? streams[3] : 0),
      rng::StreamReader(seed, count > 4 ? streams[4] : 0),
      rng::StreamReader(seed, count > 5 ? streams[5] : 0),
      rng::StreamReader(seed, count > 6 ? streams[6] : 0),
      rng::StreamReader(seed, count > 7 ? streams[7] : 0)};
  const StateRunFn kernel = state_run_for(m);
  const std::vector<double> factor = feedback_factors(sampler, problem.alphas(), m, run * ms);
  alignas(32) double bp[kLaneSets][kLanes] = {}, eta_q_beta[kLaneSets][kLanes] = {};
  StateRun c[kLaneSets];
  for (std::size_t q = 0; q < sets; ++q)
    c[q] = StateRun{&problem,
                    0,
                    0,
                    s.feedback.data(),
                    s.table_sum.data() + q * entries * kLanes,
                    s.table_count.data() + q * entries * kLanes,
                    problem.pooled().has_leak_bias};
  for (std::size_t first = 0; first < R; first += run) {
    const std::size_t states = std::min(run, R - first);
    for (std::size_t t = 0; t < trials; ++t)
      sampler.raw_noise(states * ms, noise[t], s.state_count.data() + t * run * ms);
    // The second set reads the run's Gram rows, keys and δ from cache: one
    // pass over the per-state arrays serves eight trials.
    for (std::size_t q = 0; q < sets; ++q) {
      c[q].first = first;
      c[q].states = states;
      feedback_lanes(spec.noise_case, problem.clean_feedback_row(first), factor.data(), states * ms,
                     noise_of[q], s.feedback.data());
      kernel(c[q], bp[q], eta_q_beta[q]);
    }
  }
  const double inv_r2 = 1.0 / (static_cast<double>(R) * static_cast<double>(R));
  std::vector<double> dev;
  for (std::size_t q = 0; q < sets; ++q) {
    alignas(32) double sg_of[kLanes], cross_of[kLanes];
    finish_lanes(problem, c[q].table, c[q].u, eta_q_beta[q], dev, sg_of, cross_of);
    for (std::size_t b = 0; b < kLanes && q * kLanes + b < trials; ++b) {
      const double sg = sg_of[b], cross = cross_of[b], bpb = bp[q][b];
      const double lam = spec.lambda;
      TrialErrors& o = out[q * kLanes + b];
      o.bp = bpb * inv_r2;
      o.sg = sg * inv_r2;
      o.mix = ((1 - lam) * (1 - lam) * bpb + lam * lam * sg + 2 * lam * (1 - lam) * cross) * inv_r2;
    }
  }
}

}  // namespace sglab::expert
