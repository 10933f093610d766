#include "core/dynamics/train_records_csv.hpp"

#include <cmath>
#include <cstdio>

namespace sglab::dynamics {

namespace {

void put_number(std::string& out, double v) {
  out += ',';
  if (std::isnan(v)) return;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", v);
  out += buffer;
}

// Runs stopped by divergence at or before `step`, as "run@s" joined by ';'.
std::string diverged_cell(const TrainRecords& records, std::int64_t step) {
  std::string cell;
  for (int run = 0; run < kTrainRunCount; ++run) {
    const std::int64_t at = records.diverged_at(static_cast<TrainRun>(run));
    if (at == 0 || at > step) continue;
    if (!cell.empty()) cell += ';';
    cell += std::string(train_run_name(static_cast<TrainRun>(run))) + "@" + std::to_string(at);
  }
  return cell;
}

}  // namespace

std::string train_records_csv_header() {
  return "step,node,layer,terminal,loss_bp,loss_sg_fixed,loss_sg_adaptive,lambda_fixed,lambda_adaptive,"
         "lambda_batch,lambda_batch_raw,v,c,b2,clipped,degenerate,predictor_error_fixed,"
         "predictor_error_adaptive,lambda_star_exact,diverged,lambda_paper,lambda_ratio,lambda_bias_corrected,eval_loss_bp,eval_loss_sg_fixed,"
         "eval_loss_sg_adaptive\n";
}

std::string train_records_csv(const TrainRecords& records) {
  std::string out = train_records_csv_header();
  if (records.empty()) return out;
  const TrainLayout& layout = records.layout();
  out.reserve(records.size() * static_cast<std::size_t>(layout.slots()) * 200);
  for (std::size_t r = 0; r < records.size(); ++r) {
    for (int slot = 0; slot < layout.slots(); ++slot) {
      const auto ss = static_cast<std::size_t>(slot);
      out += std::to_string(records.step(r));
      out += ',' + std::to_string(layout.node[ss]) + ',' + std::to_string(layout.layer[ss]) + ',' +
             (layout.mixes[ss] ? "0" : "1");
      for (int run = 0; run < kTrainRunCount; ++run) put_number(out, records.loss(static_cast<TrainRun>(run), r));
      put_number(out, layout.fixed_lambda[ss]);
      for (NodeSeries f : {NodeSeries::lambda_adaptive, NodeSeries::lambda_batch, NodeSeries::lambda_batch_raw,
                           NodeSeries::v, NodeSeries::c, NodeSeries::b2})
        put_number(out, records.value(f, r, slot));
      out += ',';
      if (layout.mixes[ss]) out += std::to_string(static_cast<int>(records.clipped(r, slot)));
      out += ',';
      if (layout.mixes[ss]) out += records.degenerate(r, slot) ? "1" : "0";
      for (NodeSeries f : {NodeSeries::predictor_error_fixed, NodeSeries::predictor_error_adaptive,
                           NodeSeries::exact_lambda_star})
        put_number(out, records.value(f, r, slot));
      out += ',';
      if (records.any_diverged()) out += diverged_cell(records, records.step(r));
      for (NodeSeries f : {NodeSeries::lambda_paper, NodeSeries::lambda_ratio, NodeSeries::lambda_bias_corrected}) put_number(out, records.value(f, r, slot));
      for (int run = 0; run < kTrainRunCount; ++run) put_number(out, records.eval_loss(static_cast<TrainRun>(run), r));
      out += '\n';
    }
  }
  return out;
}

}  // namespace sglab::dynamics
