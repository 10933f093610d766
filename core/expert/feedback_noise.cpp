#include "core/expert/feedback_noise.hpp"

#include <algorithm>
#include <cstdint>

namespace sglab::expert {

// THEORY.md §6, "Stochastic feedback": per-(r, j) variance of the n-repeat mean.
double averaged_feedback_variance(NoiseCase c, const NoiseParams& noise, int n, double delta,
                                  double alpha) {
  const double nn = static_cast<double>(n);
  switch (c) {
    case NoiseCase::kNoisy:
      return noise.sigma * noise.sigma / nn;
    case NoiseCase::kActivation:
      return delta * delta * (1.0 - noise.p) / (nn * noise.p);
    case NoiseCase::kPartial:
      return alpha * alpha * noise.tau * noise.tau / nn;
  }
  return 0.0;
}

double draw_averaged_feedback(NoiseCase c, const NoiseParams& noise, int n, double delta,
                              double alpha, rng::StreamReader& stream) {
  return AveragedFeedbackSampler(c, noise, n).draw(delta, alpha, stream);
}

void AveragedFeedbackSampler::raw_noise(std::size_t count, rng::StreamReader& stream, double* x) const {
  if (case_ != NoiseCase::kActivation) {
    stream.fill_normals(x, count);
    return;
  }
  constexpr std::size_t kPiece = 256;
  std::uint32_t words[kPiece];
  for (std::size_t first = 0; first < count; first += kPiece) {
    const std::size_t n = std::min(kPiece, count - first);
    stream.fill_words(words, n);
    binomial_.outcomes_as_double(words, n, x + first);
  }
}

}  // namespace sglab::expert
