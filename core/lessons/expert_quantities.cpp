// The expert network's quantities (THEORY.md §6): the scenario's one cell
// (case, d, k, n) run by the same sweep code as `sglab-cli expert-sweep
// --scenario F`, so a lesson quotes the CLI's numbers.
#include <cmath>
#include <limits>

#include "core/expert/expert_scenario.hpp"
#include "core/expert/expert_sweep.hpp"
#include "core/lessons/lab_quantities.hpp"

namespace sglab::lessons {

QuantityValues expert_quantities(const config::Scenario& scenario, int threads, const WorkControl* control) {
  const expert::ExpertScenario s = expert::expert_scenario_of(scenario);
  expert::SweepConfig config = expert::sweep_config_of(s);
  config.threads = threads;
  const expert::SweepResult sweep = expert::run_sweep(config, control);
  const expert::CellResult& cell = sweep.cells.front();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const bool random = s.sampling == expert::Sampling::kRandom;
  const double draws = static_cast<double>(cell.total_samples);

  QuantityValues q;
  q["d"] = s.d;
  q["k"] = s.k;
  q["n"] = s.n;
  q["m"] = s.m;
  q["two_pow_d_minus_k"] = std::ldexp(1.0, s.d - s.k);
  q["mse_bp"] = cell.mse_bp;
  q["mse_sg"] = cell.mse_sg;
  q["mse_mix"] = cell.mse_mix;
  q["ratio"] = cell.ratio.ratio;
  q["ratio_ci_low"] = cell.ratio.ci_low;
  q["ratio_ci_high"] = cell.ratio.ci_high;
  q["theory_mse_bp"] = cell.has_theory ? cell.theory.mse_bp : nan;
  q["theory_mse_sg"] = cell.has_theory ? cell.theory.mse_sg() : nan;
  q["theory_sg_bias2"] = cell.has_theory ? cell.theory.sg_bias2 : nan;
  q["theory_ratio"] = cell.has_theory ? cell.theory.ratio() : nan;
  q["lambda_star"] = cell.has_theory ? cell.theory.lambda_star() : nan;
  q["crossover_n"] = cell.has_theory ? cell.theory_crossover_n : nan;
  q["lambda"] = s.lambda;
  q["leak"] = s.leak;
  q["samples"] = draws;
  // Uniform draws with replacement: a given state is missed with probability
  // (1 − 1/2^d)^draws, a given key of an expert with (1 − 1/2^k)^draws.
  q["unseen_states"] = random ? std::pow(1.0 - std::ldexp(1.0, -s.d), draws) : 0.0;
  q["unseen_keys"] = random ? std::pow(1.0 - std::ldexp(1.0, -s.k), draws) : 0.0;
  return q;
}

}  // namespace sglab::lessons
