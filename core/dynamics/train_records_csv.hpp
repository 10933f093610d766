#pragma once
// CSV of the mixing-dynamics records (sglab-cli train, GUI export).
//
// Long format: one row per recorded step and non-input node, columns
//   step,node,layer,terminal,loss_bp,loss_sg_fixed,loss_sg_adaptive,
//   lambda_fixed,lambda_adaptive,lambda_batch,lambda_batch_raw,v,c,b2,clipped,degenerate,
//   predictor_error_fixed,predictor_error_adaptive,lambda_star_exact,diverged,
//   lambda_paper,lambda_ratio,lambda_bias_corrected,eval_loss_bp,eval_loss_sg_fixed,eval_loss_sg_adaptive
// Losses are per step (repeated on each of the step's node rows). Empty cells
// mean "not applicable / not computed" (NaN in TrainRecords): terminals have no
// λ, nodes without a non-input parent have no predictor, lambda_star_exact
// exists only every exact_every steps. clipped: −1 (λ_batch clamped up to 0),
// +1 (clamped down to 1), 0; degenerate: 1 when v + b² ≈ 0 kept the old λ.
// diverged: the runs stopped by divergence at or before the row's step, as
// "run@N" joined by ';' (the step of divergence is always recorded; empty when
// no run diverged). lambda_paper, lambda_ratio, lambda_bias_corrected: the λ estimators of
// lambda_estimator.hpp on the adaptive run's batches (lambda_adaptive equals the
// one that drives the run). eval_loss_*: loss on the held-out set every
// eval_every steps (lambda_estimator and eval_every are "train" keys). Numbers are printed with 17 significant digits (exact round trip).

#include <string>

#include "core/dynamics/train_records.hpp"

namespace sglab::dynamics {

std::string train_records_csv_header();
std::string train_records_csv(const TrainRecords& records);

}  // namespace sglab::dynamics
