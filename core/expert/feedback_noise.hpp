#pragma once
// Stochastic expert feedback, already averaged over the n repeats of a state
// (THEORY.md §6, "Stochastic feedback"). All three cases are unbiased.

#include <cmath>

#include "core/expert/expert_config.hpp"
#include "core/rng/binomial_sampler.hpp"
#include "core/rng/counter_rng.hpp"

namespace sglab::expert {

/// Variance v_rj of the averaged feedback ē_rj:
/// case 1 σ²/n; case 2 δ²(1 − p)/(n p); case 3 α² τ²/n.
double averaged_feedback_variance(NoiseCase c, const NoiseParams& noise, int n, double delta,
                                  double alpha);

/// Draws ē_rj given the clean feedback δ_rj and the expert scale α_j:
/// case 1 δ + N(0, σ²/n); case 2 δ·Binomial(n, p)/(n p); case 3 δ − α·N(0, τ²/n).
/// Built once per trial so the per-draw work is only the draw itself.
class AveragedFeedbackSampler {
 public:
  AveragedFeedbackSampler(NoiseCase c, const NoiseParams& noise, int n)
      : case_(c),
        sigma_over_root_n_(noise.sigma / std::sqrt(static_cast<double>(n))),
        tau_over_root_n_(noise.tau / std::sqrt(static_cast<double>(n))),
        inv_np_(1.0 / (static_cast<double>(n) * noise.p)),
        binomial_(static_cast<std::uint32_t>(n), noise.p) {}

  NoiseCase noise_case() const { return case_; }

  double draw(double delta, double alpha, rng::StreamReader& stream) const {
    switch (case_) {
      case NoiseCase::kNoisy:
        // The mean of n i.i.d. N(0, σ²) is N(0, σ²/n): one draw suffices.
        return delta + sigma_over_root_n_ * stream.next_normal();
      case NoiseCase::kActivation:
        // Each repeat the expert fires with probability p and its feedback is
        // rescaled by 1/p (inverted dropout): the mean is δ·Bin(n, p)/(n p).
        return delta * static_cast<double>(binomial_.draw(stream)) * inv_np_;
      case NoiseCase::kPartial:
        // The expert's output misses α_j·x for an unobserved x ~ N(0, τ²).
        return delta - alpha * tau_over_root_n_ * stream.next_normal();
    }
    return delta;
  }

  /// draw()'s feedback from its random part x (raw_noise): the same roundings.
  double from_raw(double delta, double alpha, double x) const {
    switch (case_) {
      case NoiseCase::kNoisy:
        return delta + sigma_over_root_n_ * x;
      case NoiseCase::kActivation:
        return delta * x * inv_np_;
      case NoiseCase::kPartial:
        return delta - alpha * tau_over_root_n_ * x;
    }
    return delta;
  }

  /// The random part of the next `count` draws, in stream order: the normal
  /// (noisy, partial) or the binomial count as a double (activation). A draw
  /// is then a fixed function of it (feedback_lanes.hpp): δ + (σ/√n)·x,
  /// (δ·x)·1/(np), or δ − (α_j·τ/√n)·x, each rounded as draw() rounds it.
  void raw_noise(std::size_t count, rng::StreamReader& stream, double* x) const;

  double sigma_over_root_n() const { return sigma_over_root_n_; }
  double tau_over_root_n() const { return tau_over_root_n_; }
  double inv_np() const { return inv_np_; }

 private:
  NoiseCase case_;
  double sigma_over_root_n_;
  double tau_over_root_n_;
  double inv_np_;
  rng::BinomialSampler binomial_;
};

/// One draw (convenience form of AveragedFeedbackSampler for tests and tools).
double draw_averaged_feedback(NoiseCase c, const NoiseParams& noise, int n, double delta,
                              double alpha, rng::StreamReader& stream);

}  // namespace sglab::expert
