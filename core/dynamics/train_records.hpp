#pragma once
// TrainRecords: what the mixing-dynamics lab records (issue 5), an immutable
// struct of arrays for plotting, scrubbing and replay checks.
//
// One record per recorded step s (s = record_every, 2·record_every, ...; s counts
// SGD steps done, 1-based). A record describes step s's batch: the three runs'
// losses on that batch *before* the step's update, and the adaptive run's λ
// *after* the step's λ update. Node series are indexed by slot (one slot per
// non-input node, in node order; TrainLayout::node gives the global node id).
// Not-applicable or not-computed values are NaN (terminals have no λ; nodes
// whose parents are all inputs have no predictor; the exact λ* exists only on
// steps that are multiples of exact_every, and only for small enough graphs).
//
// Storage is append-only in fixed-size chunks shared with the writer: a
// snapshot costs a few pointer copies and never changes after it is taken
// (the writer only fills slots past every snapshot's size).

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sglab::dynamics {

/// The three runs trained from the same seed on the same sample stream.
enum class TrainRun { bp = 0, sg_fixed = 1, sg_adaptive = 2 };
constexpr int kTrainRunCount = 3;
const char* train_run_name(TrainRun run);  ///< "bp", "sg_fixed", "sg_adaptive"

/// Per-node series (values per recorded step and slot).
enum class NodeSeries {
  lambda_adaptive = 0,       ///< adaptive run's λ_i after this step's update (§5)
  lambda_batch,              ///< λ_batch of §5 (clamped; the old λ when degenerate)
  lambda_batch_raw,          ///< −c / (v + b²) before clamping (NaN when degenerate)
  v,                         ///< S(u, u)/B
  c,                         ///< S(w, u)/B
  b2,                        ///< max(||ū||² − v, 0)
  predictor_error_fixed,     ///< fixed run: mean_k (prediction − δ_c g̃_c)², before the predictor step
  predictor_error_adaptive,  ///< adaptive run: the same
  exact_lambda_star,         ///< exact λ*_i(n = B) at the adaptive run's parameters (see TrainLayout)
  lambda_paper,              ///< the paper's estimator (lambda_estimator.hpp) on the adaptive run's batches
  lambda_ratio,              ///< the ratio-of-averages estimator on the same batches
  lambda_bias_corrected,     ///< the ratio rule with eq 18's bias term (uses the batch's BP gradients)
};
constexpr int kNodeSeriesCount = 12;
/// The series holding `estimator`'s λ (lambda_estimator.hpp; values from 0 .. kLambdaEstimatorCount − 1).
inline NodeSeries lambda_estimator_series(int estimator) {
  return static_cast<NodeSeries>(static_cast<int>(NodeSeries::lambda_paper) + estimator);
}
const char* node_series_name(NodeSeries series);

struct TrainLayout {
  std::vector<int> node;               ///< global node id per slot
  std::vector<int> layer;              ///< per slot
  std::vector<unsigned char> mixes;    ///< 1: non-terminal (has λ); terminals do not mix
  std::vector<unsigned char> has_predictor;  ///< 1: node c predicts messages to non-input parents
  std::vector<double> fixed_lambda;    ///< the fixed run's λ per slot (NaN for terminals)
  std::vector<double> initial_lambda;  ///< the adaptive run's starting λ per slot (NaN for terminals)
  int batch_size = 0;
  std::int64_t record_every = 1;
  std::int64_t exact_every = 0;
  std::int64_t eval_every = 0;         ///< K: held-out loss every K steps (0 = never)
  int eval_size = 0;                   ///< samples of the held-out set
  int driving_estimator = 0;           ///< the estimator whose λ the adaptive run uses (LambdaEstimator)
  bool exact_available = false;        ///< the exact λ* is computed (graph small enough, exact_every > 0)
  std::string exact_note;              ///< what the exact λ* uses, or why it is absent

  int slots() const { return static_cast<int>(node.size()); }
  /// Whether step s can carry an exact λ*: the session probes exactly the
  /// multiples of exact_every (dynamics_session.cpp), so readers skip the rest.
  bool probes_at(std::int64_t step) const { return exact_available && step % exact_every == 0; }
  /// Whether step s can carry a held-out loss: the multiples of eval_every.
  bool evaluates_at(std::int64_t step) const { return eval_every > 0 && step % eval_every == 0; }
};

/// One chunk of kChunkRecords records; written once, then only read.
struct TrainRecordChunk {
  static constexpr std::size_t kChunkRecords = 256;
  explicit TrainRecordChunk(int slots);
  std::vector<std::int64_t> step;
  std::array<std::vector<double>, kTrainRunCount> loss;
  std::array<std::vector<double>, kTrainRunCount> eval_loss;  ///< held-out loss (NaN off the eval steps)
  std::array<std::vector<double>, kNodeSeriesCount> node;  ///< [record * slots + slot]
  std::vector<std::int8_t> clipped;                        ///< −1 / 0 / +1 (see AdaptiveLambdaBatch)
  std::vector<std::uint8_t> degenerate;                    ///< 1: v + b² ≈ 0, old λ kept
};

class TrainRecords {
 public:
  TrainRecords() = default;
  TrainRecords(std::shared_ptr<const TrainLayout> layout, std::vector<std::shared_ptr<const TrainRecordChunk>> chunks,
               std::size_t size, std::array<std::int64_t, kTrainRunCount> diverged_at = {}, int thinning_passes = 0)
      : layout_(std::move(layout)),
        chunks_(std::move(chunks)),
        size_(size),
        diverged_at_(diverged_at),
        thinning_passes_(thinning_passes) {}

  std::size_t size() const { return size_; }        ///< recorded steps
  bool empty() const { return size_ == 0; }
  const TrainLayout& layout() const { return *layout_; }
  int slots() const { return layout_ ? layout_->slots() : 0; }

  std::int64_t step(std::size_t r) const { return chunk(r).step[r % kChunk]; }
  double loss(TrainRun run, std::size_t r) const { return chunk(r).loss[static_cast<std::size_t>(run)][r % kChunk]; }
  /// Mean loss ½Σ(x_t − y_t)² on the held-out set after step s's update; NaN unless s % eval_every == 0.
  double eval_loss(TrainRun run, std::size_t r) const {
    return chunk(r).eval_loss[static_cast<std::size_t>(run)][r % kChunk];
  }
  double value(NodeSeries series, std::size_t r, int slot) const {
    return chunk(r).node[static_cast<std::size_t>(series)][cell(r, slot)];
  }
  std::int8_t clipped(std::size_t r, int slot) const { return chunk(r).clipped[cell(r, slot)]; }
  bool degenerate(std::size_t r, int slot) const { return chunk(r).degenerate[cell(r, slot)] != 0; }

  /// Whole series, copied out for plotting.
  std::vector<double> steps() const;
  std::vector<double> loss_series(TrainRun run) const;
  std::vector<double> node_series(NodeSeries series, int slot) const;
  /// Slot of a global node id; −1 when the node is an input or out of range.
  int slot_of_node(int node) const;
  /// The step at which `run` diverged (its loss or parameters went non-finite
  /// and it was stopped; its later losses are NaN), or 0 when it did not.
  std::int64_t diverged_at(TrainRun run) const { return diverged_at_[static_cast<std::size_t>(run)]; }
  bool any_diverged() const;
  /// Times the recorder thinned its older records to stay under its memory
  /// budget (TrainRecorder::set_max_bytes); 0 = every recorded step is here.
  int thinning_passes() const { return thinning_passes_; }

 private:
  static constexpr std::size_t kChunk = TrainRecordChunk::kChunkRecords;
  const TrainRecordChunk& chunk(std::size_t r) const { return *chunks_[r / kChunk]; }
  std::size_t cell(std::size_t r, int slot) const {
    return (r % kChunk) * static_cast<std::size_t>(slots()) + static_cast<std::size_t>(slot);
  }
  std::shared_ptr<const TrainLayout> layout_;
  std::vector<std::shared_ptr<const TrainRecordChunk>> chunks_;
  std::size_t size_ = 0;
  std::array<std::int64_t, kTrainRunCount> diverged_at_{};
  int thinning_passes_ = 0;
};

/// Bit-for-bit equality of every recorded value (NaNs compared by bits): the replay check.
bool identical_records(const TrainRecords& a, const TrainRecords& b);

/// One step's values, filled by the trainer and appended by TrainRecorder.
struct TrainStepRecord {
  std::int64_t step = 0;
  std::array<double, kTrainRunCount> loss{};
  std::array<double, kTrainRunCount> eval_loss{};
  std::array<std::vector<double>, kNodeSeriesCount> node;  ///< per slot
  std::vector<std::int8_t> clipped;
  std::vector<std::uint8_t> degenerate;
  void resize(int slots);
};

/// The writer side: appends records into chunks it shares with snapshots.
class TrainRecorder {
 public:
  explicit TrainRecorder(std::shared_ptr<const TrainLayout> layout) : layout_(std::move(layout)) {}
  void append(const TrainStepRecord& record);
  /// `run` stopped at `step` because it went non-finite (see TrainRecords::diverged_at).
  void mark_diverged(TrainRun run, std::int64_t step) { diverged_at_[static_cast<std::size_t>(run)] = step; }
  /// Memory budget of the records (issue 10, long GUI sessions): past it, the
  /// older half of the records is decimated (every other one dropped) so
  /// memory stays bounded while recent steps keep full resolution.
  void set_max_bytes(std::size_t bytes) { max_bytes_ = bytes; }
  static constexpr std::size_t kDefaultMaxBytes = std::size_t{512} << 20;
  std::size_t bytes() const;
  void clear();
  std::size_t size() const { return size_; }
  TrainRecords snapshot() const;

 private:
  std::shared_ptr<const TrainLayout> layout_;
  std::vector<std::shared_ptr<TrainRecordChunk>> chunks_;
  std::size_t size_ = 0;
  std::array<std::int64_t, kTrainRunCount> diverged_at_{};
  std::size_t max_bytes_ = kDefaultMaxBytes;
  int thinning_passes_ = 0;
  void thin();
};

}  // namespace sglab::dynamics
