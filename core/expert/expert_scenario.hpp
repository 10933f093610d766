#pragma once
// The expert-network lab's whole config (THEORY.md §6; issue 3's knobs) and
// its JSON body inside a scenario file ("expert": {...}). Its ranges are
// ExpertLimits' interactive ones (expert_config.hpp): the file reader, the
// validation and the lab's widgets all read them.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

#include "core/config/scenario.hpp"
#include "core/expert/expert_config.hpp"

namespace sglab::expert {

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
/// The sweep of the lab's one cell (d, k, n, case) with every other knob of
/// `s`: what `sglab-cli expert-sweep --scenario F` runs, and the settings the
/// lab's own job runs its cells with (core/jobs/expert_lab_job.cpp).
SweepConfig sweep_config_of(const ExpertScenario& s);

/// The scenario's "expert" body (defaults when it has none).
ExpertScenario expert_scenario_of(const config::Scenario& scenario);

}  // namespace sglab::expert
