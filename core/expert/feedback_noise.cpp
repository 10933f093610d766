#include "core/expert/feedback_noise.hpp"

#include <cmath>

namespace sglab::expert {

// THEORY.md §6, "Stochastic feedback": per-(r, j) variance of the n-repeat mean.
double averaged_feedback_variance(NoiseCase c, const NoiseParams& noise, int n, double delta,
                                  double alpha) {
  const double nn = static_cast<double>(n);
  switch (c) {
    case NoiseCase::kNoisy: return noise.sigma * noise.sigma / nn;
    case NoiseCase::kActivation: return delta * delta * (1.0 - noise.p) / (nn * noise.p);
    case NoiseCase::kPartial: return alpha * alpha * noise.tau * noise.tau / nn;
  }
  return 0.0;
}

double draw_averaged_feedback(NoiseCase c, const NoiseParams& noise, int n, double delta,
                              double alpha, rng::StreamReader& stream) {
  const double nn = static_cast<double>(n);
  switch (c) {
    case NoiseCase::kNoisy:
      // Mean of n i.i.d. N(0, σ²) is N(0, σ²/n): one draw suffices.
      return delta + noise.sigma / std::sqrt(nn) * stream.next_normal();
    case NoiseCase::kActivation: {
      // Each repeat the expert fires with probability p and its feedback is
      // rescaled by 1/p (inverted dropout); the mean of n repeats is δ·Bin(n,p)/(np).
      const auto fired =
          stream.next_binomial(static_cast<std::uint32_t>(n), rng::bernoulli_threshold(noise.p));
      return delta * static_cast<double>(fired) / (nn * noise.p);
    }
    case NoiseCase::kPartial:
      // The expert's output misses α_j·x for an unobserved x ~ N(0, τ²).
      return delta - alpha * noise.tau / std::sqrt(nn) * stream.next_normal();
  }
  return delta;
}

}  // namespace sglab::expert
