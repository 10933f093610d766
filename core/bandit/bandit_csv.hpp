#pragma once
// CSV of a bandit experiment: one row per run and evaluation point, and a
// summary over seeds (mean ± standard error). NaN (not applicable) is an empty cell.

#include <string>
#include <vector>

#include "core/bandit/bandit_session.hpp"
#include "core/config/output_files.hpp"

namespace sglab::bandit {

/// method,seed,p_flip,num_parents,policy_lr,step,samples_seen,eval_reward,
/// lambda_l0..,true_grad_norm_l0..,synthetic_grad_norm_l0..
std::string bandit_records_csv(const BanditSnapshot& snapshot, int layers);

/// method,p_flip,num_parents,policy_lr,step,samples_seen,seeds,eval_reward_mean,eval_reward_se,
/// lambda_mean_l0..  (SE over seeds, denominator K − 1; empty with one seed)
std::string bandit_summary_csv(const BanditSnapshot& snapshot, int layers);

/// The experiment's files in `outdir`: evals.csv, summary.csv and config.json
/// (a scenario file that reruns the experiment, written last, recording the
/// CSVs' checksums so a reader can tell a mismatched set). `bandit` and `merge`
/// both write these.
std::vector<config::OutputFile> bandit_output_files(const std::string& outdir, const BanditConfig& config,
                                                    const BanditSnapshot& snapshot);

}  // namespace sglab::bandit
