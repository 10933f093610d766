#include "core/expert/expert_config.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/expert/expert_problem.hpp"
#include "core/util/error.hpp"

namespace sglab::expert {

const char* to_string(NoiseCase c) {
  switch (c) {
    case NoiseCase::kNoisy: return "noisy";
    case NoiseCase::kActivation: return "activation";
    case NoiseCase::kPartial: return "partial";
  }
  return "?";
}

const char* to_string(Fallback f) { return f == Fallback::kZero ? "zero" : "global_mean"; }

const char* to_string(Sampling s) { return s == Sampling::kRandom ? "random" : "every"; }

NoiseCase parse_noise_case(const std::string& s, const std::string& what) {
  if (s == "noisy") return NoiseCase::kNoisy;
  if (s == "activation") return NoiseCase::kActivation;
  if (s == "partial") return NoiseCase::kPartial;
  throw Error(what + ": unknown case \"" + s + "\" (allowed: noisy, activation, partial)");
}

Fallback parse_fallback(const std::string& s, const std::string& what) {
  if (s == "global_mean") return Fallback::kGlobalMean;
  if (s == "zero") return Fallback::kZero;
  throw Error(what + ": unknown fallback \"" + s + "\" (allowed: global_mean, zero)");
}

Sampling parse_sampling(const std::string& s, const std::string& what) {
  if (s == "every") return Sampling::kEveryState;
  if (s == "random") return Sampling::kRandom;
  throw Error(what + ": unknown sampling \"" + s + "\" (allowed: every, random)");
}

namespace {

template <typename T>
std::string range_text(T lo, T hi) {
  std::ostringstream s;
  s << "[" << lo << ", " << hi << "]";
  return s.str();
}

void require(bool ok, const std::string& flag, const std::string& message) {
  if (!ok) throw Error(flag + ": " + message);
}

void require_finite(double x, const std::string& flag) {
  require(std::isfinite(x), flag, "must be a finite number");
}

}  // namespace

void validate(const SweepConfig& c) {
  using L = ExpertLimits;
  require(!c.dims.empty(), "--dims", "needs at least one dimension");
  require(!c.ks.empty(), "--ks", "needs at least one k");
  require(!c.sample_sizes.empty(), "--sample-sizes", "needs at least one n");
  require(!c.cases.empty(), "--cases", "needs at least one case");
  for (int d : c.dims)
    require(d >= L::kMinDim && d <= L::kMaxDim, "--dims",
            "d = " + std::to_string(d) + " is out of range " + range_text(L::kMinDim, L::kMaxDim));
  for (int k : c.ks) require(k >= 1, "--ks", "k = " + std::to_string(k) + " must be at least 1");
  // Every k must fit every d: an expert projects onto k of the d coordinates.
  const int min_d = *std::min_element(c.dims.begin(), c.dims.end());
  for (int k : c.ks)
    require(k <= min_d, "--ks",
            "k = " + std::to_string(k) + " exceeds d = " + std::to_string(min_d) +
                " (need 1 <= k <= d for every d in --dims)");
  for (int n : c.sample_sizes)
    require(n >= 1 && n <= L::kMaxRepeats, "--sample-sizes",
            "n = " + std::to_string(n) + " is out of range " + range_text(1, L::kMaxRepeats));
  require(c.m >= 1 && c.m <= L::kMaxExperts, "--m",
          "m = " + std::to_string(c.m) + " is out of range " + range_text(1, L::kMaxExperts));
  require_finite(c.noise.sigma, "--sigma");
  require(c.noise.sigma >= 0, "--sigma", "must be >= 0");
  require_finite(c.noise.p, "--p");
  require(c.noise.p > 0 && c.noise.p <= 1, "--p", "must be in (0, 1]");
  require_finite(c.noise.tau, "--tau");
  require(c.noise.tau >= 0, "--tau", "must be >= 0");
  require(c.trials >= L::kMinTrials && c.trials <= L::kMaxTrials, "--trials",
          std::to_string(c.trials) + " is out of range " + range_text(L::kMinTrials, L::kMaxTrials));
  require(c.bootstrap_resamples >= 0 && c.bootstrap_resamples <= L::kMaxBootstrap,
          "--ratio-bootstrap",
          std::to_string(c.bootstrap_resamples) + " is out of range " +
              range_text(0, L::kMaxBootstrap));
  require_finite(c.lambda, "--lambda");
  require(c.lambda >= 0 && c.lambda <= 1, "--lambda", "must be in [0, 1]");
  require_finite(c.leak, "--leak");
  require(c.leak >= 0, "--leak", "must be >= 0");
  if (c.leak > 0)
    for (int k : c.ks)
      for (int d : c.dims)
        require(k < d, "--leak",
                "a leak needs a coordinate outside the expert's view, so k < d (got k = d = " +
                    std::to_string(d) + ")");
  require(c.random_samples >= 1 && c.random_samples <= L::kMaxRandomSamples, "--samples",
          std::to_string(c.random_samples) + " is out of range " +
              range_text<std::int64_t>(1, L::kMaxRandomSamples));
  require(c.threads >= 0 && c.threads <= 256, "--threads", "must be in [0, 256] (0 = all cores)");
  require_finite(c.max_memory_gb, "--max-memory-gb");
  require(c.max_memory_gb > 0, "--max-memory-gb", "must be > 0");
  const double need = estimate_sweep_memory_bytes(c);
  if (need > c.max_memory_gb * 1e9) {
    std::ostringstream s;
    s << "this run needs about " << need / 1e9 << " GB, above the ceiling of " << c.max_memory_gb
      << " GB (lower --dims or raise --max-memory-gb)";
    throw Error("--dims: " + s.str());
  }
}

double estimate_sweep_memory_bytes(const SweepConfig& c) {
  if (c.dims.empty() || c.ks.empty()) return 0.0;
  const int d = *std::max_element(c.dims.begin(), c.dims.end());
  const int k = *std::max_element(c.ks.begin(), c.ks.end());
  const double states = std::ldexp(1.0, d);
  const double m = c.m;
  const double problem = ExpertProblem::memory_bytes({d, std::min(k, d), c.m, c.leak, c.seed});
  // Per worker: the R × m feedback buffer, R state counts, and SG tables.
  const int workers = resolve_thread_count(c.threads);
  const double per_worker = states * (m + 1.0) * 8.0 + m * std::ldexp(1.0, std::min(k, d)) * 16.0;
  return problem + workers * per_worker;
}

}  // namespace sglab::expert
