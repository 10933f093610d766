#pragma once
// Knobs of the finite-partition expert network (THEORY.md §6).

#include <cstdint>
#include <string>
#include <vector>

namespace sglab::expert {

/// The three sources of feedback noise of §5 / Appendix F.
enum class NoiseCase {
  kNoisy,       ///< case 1, A.1: noisy terminal feedback, N(0, σ²) per repeat
  kActivation,  ///< case 2, A.2: stochastic expert activation, Bernoulli(p) / p per repeat
  kPartial,     ///< case 3, A.3: partial observation, −α_j·N(0, τ²) per repeat
};

/// What an SG table entry holds for a key that no sample reached.
enum class Fallback { kGlobalMean, kZero };

/// How samples are drawn: every state n times (the paper), or n·N states
/// uniformly with replacement (this project's extension; Monte Carlo only).
enum class Sampling { kEveryState, kRandom };

const char* to_string(NoiseCase c);
const char* to_string(Fallback f);
const char* to_string(Sampling s);
/// Parse the names above ("noisy", "activation", "partial", "global_mean",
/// "zero", "every", "random"); throw sglab::Error naming `what` otherwise.
NoiseCase parse_noise_case(const std::string& s, const std::string& what = "case");
Fallback parse_fallback(const std::string& s, const std::string& what = "fallback");
Sampling parse_sampling(const std::string& s, const std::string& what = "sampling");

/// Noise scales of the three cases (paper default 0.5 each).
struct NoiseParams {
  double sigma = 0.5;  ///< case 1 std of one repeat's feedback noise (σ ≥ 0)
  double p = 0.5;      ///< case 2 activation probability, p ∈ (0, 1]
  double tau = 0.5;    ///< case 3 std of the unobserved input (τ ≥ 0)
};

/// The one source of the expert network's limits: the sweep's validation, the
/// CLI's flag checks, the lab's scenario body and its widgets all read these.
struct ExpertLimits {
  // Any run (sglab-cli expert-sweep):
  static constexpr int kMinDim = 1;
  static constexpr int kMaxDim = 24;
  static constexpr int kMaxExperts = 64;
  static constexpr int kMaxRepeats = 100000;
  static constexpr int kMinTrials = 2;  ///< a standard error needs two trials
  static constexpr int kMaxTrials = 100000;
  static constexpr int kMaxBootstrap = 100000;
  static constexpr std::int64_t kMaxRandomSamples = 100000000;
  static constexpr std::uint64_t kMaxSeed = ~std::uint64_t{0};  ///< every 64-bit seed (read exactly from JSON)
  static constexpr double kMaxNoise = 10.0;  ///< σ and τ of the lab's body and sliders
  static constexpr double kMinP = 0.01;      ///< the lab's p: below it, almost no expert fires
  static constexpr double kMaxLeak = 5.0;    ///< the lab's ε

  // The expert lab (its scenario body and its widgets) is narrower on purpose:
  // every knob move re-runs the lab's whole pipeline (four sweeps around the
  // chosen cell) while the user drags, so a problem instance (2^d states × m²
  // Gram entries) must build in well under a second on a laptop, and the
  // state-pooling view must still show its states. d = 1 has no k < d to compare.
  static constexpr int kMinDimInteractive = 2;
  static constexpr int kMaxDimInteractive = 20;
  static constexpr int kMaxExpertsInteractive = 16;
  static constexpr int kMaxRepeatsInteractive = 1000;
  static constexpr int kMaxTrialsInteractive = 2000;
  static constexpr int kMaxBootstrapInteractive = 5000;
  static constexpr std::int64_t kMaxRandomSamplesInteractive = 10000000;
};

/// A sweep over (case, d, k, n): the paper's experiment (Figure 2a) with this
/// project's extra knobs. Defaults are the paper's.
struct SweepConfig {
  std::vector<int> dims = {4, 5, 6, 7, 8, 9, 10, 11, 12};
  std::vector<int> ks = {2, 3, 4};
  std::vector<int> sample_sizes = {1, 2, 3, 4};  ///< n: repeats per state
  std::vector<NoiseCase> cases = {NoiseCase::kNoisy, NoiseCase::kActivation, NoiseCase::kPartial};
  int m = 5;  ///< experts
  NoiseParams noise;
  int trials = 20;
  std::uint64_t seed = 0;
  Fallback fallback = Fallback::kGlobalMean;
  int bootstrap_resamples = 500;
  double lambda = 1.0;  ///< mixing weight of the reported mixture (1 − λ)·BP + λ·SG
  double leak = 0.0;    ///< ε: breaks condition B (beyond the paper)
  Sampling sampling = Sampling::kEveryState;
  std::int64_t random_samples = 1000;  ///< N for Sampling::kRandom (draws per unit of n)
  int threads = 0;                     ///< 0 = all cores; never changes results
  double max_memory_gb = 8.0;          ///< refuse runs whose estimate exceeds this
};

/// Throws sglab::Error with a message naming the offending flag and its
/// allowed range (flag names as on the CLI, e.g. "--ks").
void validate(const SweepConfig& config);

/// Peak memory estimate (bytes) of run_sweep for this config: the largest
/// problem instance plus per-thread trial buffers.
double estimate_sweep_memory_bytes(const SweepConfig& config);

}  // namespace sglab::expert
