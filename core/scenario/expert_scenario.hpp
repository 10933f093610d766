#pragma once
// The expert-network lab's whole config (THEORY.md §6; issue 3's knobs) and
// its JSON body inside a scenario file ("expert": {...}). The same limits
// bound the GUI widgets and the file reader.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

#include "core/config/scenario.hpp"
#include "core/expert/expert_config.hpp"

namespace sglab::scenario {

/// Ranges shared by the widgets and the file reader. d stops at 20 so that a
/// problem instance (2^d states × m² Gram entries) fits a laptop's memory.
struct ExpertLabLimits {
  static constexpr int kMinD = 2;
  static constexpr int kMaxD = 20;
  static constexpr int kMinK = 1;
  static constexpr int kMaxM = 16;
  static constexpr int kMaxN = 1000;
  static constexpr int kMinTrials = 2;
  static constexpr int kMaxTrials = 2000;
  static constexpr int kMaxBootstrap = 5000;
  static constexpr double kMaxNoise = 10.0;
  static constexpr double kMinP = 0.01;
  static constexpr double kMaxLeak = 5.0;
  static constexpr std::int64_t kMaxRandomSamples = 10000000;
  static constexpr std::uint64_t kMaxSeed = (std::uint64_t{1} << 53) - 1;  ///< exact in JSON doubles
};

struct ExpertScenario {
  expert::NoiseCase noise_case = expert::NoiseCase::kNoisy;
  int d = 8;  ///< input dimension: 2^d states
  int k = 3;  ///< coordinates each expert sees (k ≤ d)
  int m = 5;  ///< experts
  int n = 1;  ///< repeats per state (every-state) or multiplier of N (random)
  expert::NoiseParams noise;
  int trials = 20;
  std::uint64_t seed = 0;
  expert::Sampling sampling = expert::Sampling::kEveryState;
  std::int64_t random_samples = 1000;  ///< N for random sampling
  expert::Fallback fallback = expert::Fallback::kGlobalMean;
  double lambda = 1.0;  ///< mixing weight on SG (beyond the paper)
  double leak = 0.0;    ///< ε, breaks condition B (beyond the paper)
  int bootstrap_resamples = 500;

  bool operator==(const ExpertScenario& o) const;
  bool operator!=(const ExpertScenario& o) const { return !(*this == o); }
};

/// Throws sglab::Error naming the field ("expert.k") when a value is out of range.
void validate(const ExpertScenario& s, const std::string& path = "expert");

/// Reads the "expert" body strictly: unknown keys, wrong types and values
/// out of range are errors naming the key path. Missing keys take defaults.
ExpertScenario expert_scenario_from_json(const nlohmann::json& body,
                                         const std::string& path = "expert");
/// Writes every field (so a saved file documents every knob).
nlohmann::json expert_scenario_to_json(const ExpertScenario& s);
/// The scenario's "expert" body (defaults when it has none).
ExpertScenario expert_scenario_of(const config::Scenario& scenario);

}  // namespace sglab::scenario
