#include "core/expert/feedback_noise.hpp"

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
  return AveragedFeedbackSampler(c, noise, n).draw(delta, alpha, stream);
}

}  // namespace sglab::expert
