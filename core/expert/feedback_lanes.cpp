#include "core/expert/feedback_lanes.hpp"

#include <cstring>

#include "core/expert/expert_config.hpp"
#include "core/util/simd_clones.hpp"

namespace sglab::expert {

namespace {

// Four doubles, one per trial (as in every_state_lanes.cpp): element-wise IEEE
// arithmetic, no fused multiply-add (-ffp-contract=off), so both clones give
// the scalar path's bytes.
typedef double Lanes __attribute__((vector_size(32)));

__attribute__((always_inline)) inline Lanes load(const double* p) {
  Lanes v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
__attribute__((always_inline)) inline void store(double* p, Lanes v) { std::memcpy(p, &v, sizeof v); }

// Draws i .. i + 3 of the four trials, as lanes: row r holds draw i + r.
__attribute__((always_inline)) inline void transpose4(const double* const x[kFeedbackLanes],
                                                      std::size_t i, Lanes row[4]) {
  const Lanes a = load(x[0] + i), b = load(x[1] + i), c = load(x[2] + i), d = load(x[3] + i);
  const Lanes ab_lo = __builtin_shufflevector(a, b, 0, 4, 2, 6);  // a0 b0 a2 b2
  const Lanes ab_hi = __builtin_shufflevector(a, b, 1, 5, 3, 7);  // a1 b1 a3 b3
  const Lanes cd_lo = __builtin_shufflevector(c, d, 0, 4, 2, 6);
  const Lanes cd_hi = __builtin_shufflevector(c, d, 1, 5, 3, 7);
  row[0] = __builtin_shufflevector(ab_lo, cd_lo, 0, 1, 4, 5);
  row[1] = __builtin_shufflevector(ab_hi, cd_hi, 0, 1, 4, 5);
  row[2] = __builtin_shufflevector(ab_lo, cd_lo, 2, 3, 6, 7);
  row[3] = __builtin_shufflevector(ab_hi, cd_hi, 2, 3, 6, 7);
}

__attribute__((always_inline)) inline Lanes gather4(const double* const x[kFeedbackLanes], std::size_t i) {
  return Lanes{x[0][i], x[1][i], x[2][i], x[3][i]};
}

// One formula per case; `factor` holds its noise-free factor per draw slot
// (per expert for partial, the same for every slot otherwise).
enum class Form { kAdd, kScale, kSubtract };

template <Form kForm>
__attribute__((always_inline)) inline Lanes feedback(double delta, double factor, Lanes x) {
  if constexpr (kForm == Form::kAdd) return delta + factor * x;
  else if constexpr (kForm == Form::kScale) return (delta * x) * factor;
  else return delta - factor * x;
}

// `factor` holds the noise-free factor of each draw. The four trials'
// pointers are copied to locals: the stores to `out` could alias the array.
template <Form kForm>
__attribute__((always_inline)) inline void feedback_loop(const double* delta, const double* factor,
                                                         std::size_t count,
                                                         const double* const x[kFeedbackLanes],
                                                         double* out) {
  const double* const trials[kFeedbackLanes] = {x[0], x[1], x[2], x[3]};
  std::size_t i = 0;
  Lanes row[4];
  for (; i + 4 <= count; i += 4) {
    transpose4(trials, i, row);
    for (std::size_t r = 0; r < 4; ++r)
      store(out + (i + r) * kFeedbackLanes, feedback<kForm>(delta[i + r], factor[i + r], row[r]));
  }
  for (; i < count; ++i)
    store(out + i * kFeedbackLanes, feedback<kForm>(delta[i], factor[i], gather4(trials, i)));
}

SGLAB_SIMD_CLONES void feedback_add(const double* delta, const double* factor, std::size_t count,
                                    const double* const x[kFeedbackLanes], double* out) {
  feedback_loop<Form::kAdd>(delta, factor, count, x, out);
}
SGLAB_SIMD_CLONES void feedback_scale(const double* delta, const double* factor, std::size_t count,
                                      const double* const x[kFeedbackLanes], double* out) {
  feedback_loop<Form::kScale>(delta, factor, count, x, out);
}
SGLAB_SIMD_CLONES void feedback_subtract(const double* delta, const double* factor, std::size_t count,
                                         const double* const x[kFeedbackLanes], double* out) {
  feedback_loop<Form::kSubtract>(delta, factor, count, x, out);
}

}  // namespace

std::vector<double> feedback_factors(const AveragedFeedbackSampler& sampler, const double* alpha, int m,
                                     std::size_t count) {
  double by_expert[ExpertLimits::kMaxExperts];
  for (int j = 0; j < m; ++j)
    switch (sampler.noise_case()) {
      case NoiseCase::kNoisy: by_expert[j] = sampler.sigma_over_root_n(); break;
      case NoiseCase::kActivation: by_expert[j] = sampler.inv_np(); break;
      // draw() rounds α_j·(τ/√n) first, then multiplies by the noise.
      case NoiseCase::kPartial: by_expert[j] = alpha[j] * sampler.tau_over_root_n(); break;
    }
  std::vector<double> factor(count);
  for (std::size_t i = 0; i < count; ++i) factor[i] = by_expert[i % static_cast<std::size_t>(m)];
  return factor;
}

void feedback_lanes(NoiseCase c, const double* delta, const double* factor, std::size_t count,
                    const double* const x[kFeedbackLanes], double* out) {
  switch (c) {
    case NoiseCase::kNoisy: feedback_add(delta, factor, count, x, out); return;
    case NoiseCase::kActivation: feedback_scale(delta, factor, count, x, out); return;
    case NoiseCase::kPartial: feedback_subtract(delta, factor, count, x, out); return;
  }
}

}  // namespace sglab::expert
