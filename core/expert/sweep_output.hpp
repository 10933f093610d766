#pragma once
// summary.csv and config.json of a sweep (the paper code's columns first).

#include <nlohmann/json.hpp>

#include <vector>

#include "core/config/output_files.hpp"

#include <string>

#include "core/expert/expert_sweep.hpp"

namespace sglab::expert {

/// The paper's 15 columns, in order, then this project's extras:
/// mse_mix, se_mix, lambda, theory_mse_bp, theory_mse_sg, theory_mse_mix,
/// theory_ratio, theory_lambda_star, theory_crossover_n (empty when no closed form).
std::string summary_csv(const SweepResult& result);

/// Every setting of the sweep, for config.json.
nlohmann::json sweep_config_json(const SweepConfig& config);

/// The set a sweep writes into `outdir`: summary.csv, then config.json (renamed
/// last), which records the summary's FNV-1a checksum so a reader can tell a
/// summary.csv that does not belong to it. expert-sweep and merge both write it.
std::vector<config::OutputFile> sweep_output_files(const std::string& outdir, const SweepResult& result,
                                                   const SweepConfig& config);

}  // namespace sglab::expert
