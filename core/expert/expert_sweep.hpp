#pragma once
// The paper's sweep (Figure 2a) over (case, d, k, n): Monte Carlo trials,
// paired-bootstrap ratio intervals and the closed forms, cell by cell.

#include <functional>
#include <string>
#include <vector>

#include "core/expert/closed_form.hpp"
#include "core/expert/expert_config.hpp"
#include "core/stats/paired_bootstrap.hpp"
#include "core/util/parallel_for.hpp"

namespace sglab::expert {

struct CellResult {
  NoiseCase noise_case = NoiseCase::kNoisy;
  int d = 0, k = 0, m = 0, n = 0;
  std::int64_t total_samples = 0;  ///< R·n (every state) or N·n (random)
  int trials = 0;
  double mse_bp = 0, mse_sg = 0, mse_mix = 0;
  double se_bp = 0, se_sg = 0, se_mix = 0;
  stats::RatioInterval ratio;  ///< mean(err_BP) / mean(err_SG), paired bootstrap
  bool has_theory = false;     ///< closed forms exist for every-state sampling only
  ClosedForm theory;
  double theory_crossover_n = 0.0;
  std::vector<double> err_bp, err_sg, err_mix;  ///< per trial
};

struct SweepResult {
  SweepConfig config;
  std::vector<CellResult> cells;  ///< ordered by k, d, case, n
};

/// Runs the sweep. `on_line` receives one progress line per (k, d) as it
/// completes (from the calling thread). Validates the config first. Throws
/// sglab::Cancelled when `control` cancels.
SweepResult run_sweep(const SweepConfig& config, const WorkControl* control = nullptr,
                      const std::function<void(const std::string&)>& on_line = {});

}  // namespace sglab::expert
