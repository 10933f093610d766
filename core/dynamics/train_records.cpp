#include "core/dynamics/train_records.hpp"

#include <cstdint>
#include <cstring>

namespace sglab::dynamics {

const char* train_run_name(TrainRun run) {
  switch (run) {
    case TrainRun::bp: return "bp";
    case TrainRun::sg_fixed: return "sg_fixed";
    case TrainRun::sg_adaptive: return "sg_adaptive";
  }
  return "?";
}

const char* node_series_name(NodeSeries series) {
  switch (series) {
    case NodeSeries::lambda_adaptive: return "lambda_adaptive";
    case NodeSeries::lambda_batch: return "lambda_batch";
    case NodeSeries::lambda_batch_raw: return "lambda_batch_raw";
    case NodeSeries::v: return "v";
    case NodeSeries::c: return "c";
    case NodeSeries::b2: return "b2";
    case NodeSeries::predictor_error_fixed: return "predictor_error_fixed";
    case NodeSeries::predictor_error_adaptive: return "predictor_error_adaptive";
    case NodeSeries::exact_lambda_star: return "lambda_star_exact";
    case NodeSeries::lambda_paper: return "lambda_paper";
    case NodeSeries::lambda_ratio: return "lambda_ratio";
    case NodeSeries::lambda_bias_corrected: return "lambda_bias_corrected";
  }
  return "?";
}

TrainRecordChunk::TrainRecordChunk(int slots) {
  const std::size_t cells = kChunkRecords * static_cast<std::size_t>(slots);
  step.assign(kChunkRecords, 0);
  for (auto& l : loss) l.assign(kChunkRecords, 0.0);
  for (auto& l : eval_loss) l.assign(kChunkRecords, 0.0);
  for (auto& n : node) n.assign(cells, 0.0);
  clipped.assign(cells, 0);
  degenerate.assign(cells, 0);
}

std::vector<double> TrainRecords::steps() const {
  std::vector<double> out(size_);
  for (std::size_t r = 0; r < size_; ++r) out[r] = static_cast<double>(step(r));
  return out;
}

std::vector<double> TrainRecords::loss_series(TrainRun run) const {
  std::vector<double> out(size_);
  for (std::size_t r = 0; r < size_; ++r) out[r] = loss(run, r);
  return out;
}

std::vector<double> TrainRecords::node_series(NodeSeries series, int slot) const {
  std::vector<double> out(size_);
  for (std::size_t r = 0; r < size_; ++r) out[r] = value(series, r, slot);
  return out;
}

int TrainRecords::slot_of_node(int node) const {
  if (!layout_) return -1;
  for (int s = 0; s < layout_->slots(); ++s)
    if (layout_->node[static_cast<std::size_t>(s)] == node) return s;
  return -1;
}

namespace {
bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }
}  // namespace

bool TrainRecords::any_diverged() const {
  for (std::int64_t step : diverged_at_)
    if (step != 0) return true;
  return false;
}

bool identical_records(const TrainRecords& a, const TrainRecords& b) {
  if (a.size() != b.size() || a.slots() != b.slots()) return false;
  for (int run = 0; run < kTrainRunCount; ++run)
    if (a.diverged_at(static_cast<TrainRun>(run)) != b.diverged_at(static_cast<TrainRun>(run))) return false;
  for (std::size_t r = 0; r < a.size(); ++r) {
    if (a.step(r) != b.step(r)) return false;
    for (int run = 0; run < kTrainRunCount; ++run)
      if (!same_bits(a.loss(static_cast<TrainRun>(run), r), b.loss(static_cast<TrainRun>(run), r)) ||
          !same_bits(a.eval_loss(static_cast<TrainRun>(run), r), b.eval_loss(static_cast<TrainRun>(run), r)))
        return false;
    for (int s = 0; s < a.slots(); ++s) {
      for (int f = 0; f < kNodeSeriesCount; ++f)
        if (!same_bits(a.value(static_cast<NodeSeries>(f), r, s), b.value(static_cast<NodeSeries>(f), r, s)))
          return false;
      if (a.clipped(r, s) != b.clipped(r, s) || a.degenerate(r, s) != b.degenerate(r, s)) return false;
    }
  }
  return true;
}

void TrainStepRecord::resize(int slots) {
  const auto n = static_cast<std::size_t>(slots);
  for (auto& series : node) series.assign(n, 0.0);
  clipped.assign(n, 0);
  degenerate.assign(n, 0);
}

void TrainRecorder::append(const TrainStepRecord& record) {
  constexpr std::size_t kChunk = TrainRecordChunk::kChunkRecords;
  const int slots = layout_->slots();
  if (size_ % kChunk == 0) chunks_.push_back(std::make_shared<TrainRecordChunk>(slots));
  TrainRecordChunk& chunk = *chunks_.back();
  const std::size_t r = size_ % kChunk;
  const std::size_t base = r * static_cast<std::size_t>(slots);
  chunk.step[r] = record.step;
  for (int run = 0; run < kTrainRunCount; ++run) {
    chunk.loss[static_cast<std::size_t>(run)][r] = record.loss[static_cast<std::size_t>(run)];
    chunk.eval_loss[static_cast<std::size_t>(run)][r] = record.eval_loss[static_cast<std::size_t>(run)];
  }
  for (int f = 0; f < kNodeSeriesCount; ++f)
    for (int s = 0; s < slots; ++s)
      chunk.node[static_cast<std::size_t>(f)][base + static_cast<std::size_t>(s)] =
          record.node[static_cast<std::size_t>(f)][static_cast<std::size_t>(s)];
  for (int s = 0; s < slots; ++s) {
    chunk.clipped[base + static_cast<std::size_t>(s)] = record.clipped[static_cast<std::size_t>(s)];
    chunk.degenerate[base + static_cast<std::size_t>(s)] = record.degenerate[static_cast<std::size_t>(s)];
  }
  ++size_;
  if (bytes() > max_bytes_ && size_ >= 4) thin();
}

std::size_t TrainRecorder::bytes() const {
  const auto slots = static_cast<std::size_t>(layout_->slots());
  const std::size_t per_record = sizeof(std::int64_t) + 2 * kTrainRunCount * sizeof(double) +
                                 slots * (kNodeSeriesCount * sizeof(double) + 2);
  return chunks_.size() * TrainRecordChunk::kChunkRecords * per_record;
}

// Keeps every record of the newer half and every other record of the older
// half, copied into fresh chunks: snapshots already taken keep the old chunks.
void TrainRecorder::thin() {
  const TrainRecords all = snapshot();
  const std::size_t keep_from = size_ / 2;
  const int slots = layout_->slots();
  chunks_.clear();
  size_ = 0;
  TrainStepRecord record;
  record.resize(slots);
  for (std::size_t r = 0; r < all.size(); ++r) {
    if (r < keep_from && r % 2 == 1) continue;
    record.step = all.step(r);
    for (int run = 0; run < kTrainRunCount; ++run) {
      record.loss[static_cast<std::size_t>(run)] = all.loss(static_cast<TrainRun>(run), r);
      record.eval_loss[static_cast<std::size_t>(run)] = all.eval_loss(static_cast<TrainRun>(run), r);
    }
    for (int f = 0; f < kNodeSeriesCount; ++f)
      for (int s = 0; s < slots; ++s)
        record.node[static_cast<std::size_t>(f)][static_cast<std::size_t>(s)] = all.value(static_cast<NodeSeries>(f), r, s);
    for (int s = 0; s < slots; ++s) {
      record.clipped[static_cast<std::size_t>(s)] = all.clipped(r, s);
      record.degenerate[static_cast<std::size_t>(s)] = all.degenerate(r, s) ? 1 : 0;
    }
    const std::size_t before = max_bytes_;
    max_bytes_ = SIZE_MAX;  // no nested thinning while copying
    append(record);
    max_bytes_ = before;
  }
  ++thinning_passes_;
}

void TrainRecorder::clear() {
  chunks_.clear();
  size_ = 0;
  diverged_at_ = {};
  thinning_passes_ = 0;
}

TrainRecords TrainRecorder::snapshot() const {
  std::vector<std::shared_ptr<const TrainRecordChunk>> chunks(chunks_.begin(), chunks_.end());
  return TrainRecords(layout_, std::move(chunks), size_, diverged_at_, thinning_passes_);
}

}  // namespace sglab::dynamics
