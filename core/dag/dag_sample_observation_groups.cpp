#include "core/dag/dag_sample_observation_groups.hpp"

#include <algorithm>

namespace sglab::dag::detail {

namespace {
// The per-configuration group table is not built above this size.
constexpr double kGroupTableBudgetBytes = 1.0e9;
}  // namespace

ObservationGroups::ObservationGroups(const DagNetwork& net, const DagExactPredictor& predictor,
                                     std::uint64_t configs)
    : predictor_(predictor) {
  n_ = static_cast<std::size_t>(net.node_count);
  first_ = static_cast<std::size_t>(net.input_count);
  group_base_.assign(n_, 0);
  for (std::size_t c = first_; c < n_; ++c) {
    group_base_[c] = static_cast<std::uint32_t>(total_);
    total_ += predictor.group_mean[c].size();
  }
  const std::size_t k = n_ - first_;
  if (static_cast<double>(configs) * static_cast<double>(k) * 4.0 > kGroupTableBudgetBytes) return;
  group_table_.resize(static_cast<std::size_t>(configs) * k);
  for (std::size_t c = first_; c < n_; ++c) {
    const auto& group_of = predictor.group_of_configuration[c];
    for (std::uint64_t cfg = 0; cfg < configs; ++cfg)
      group_table_[static_cast<std::size_t>(cfg) * k + (c - first_)] = group_base_[c] + group_of[cfg];
  }
}

std::vector<double>& ObservationGroups::thread_sums() const {
  thread_local std::vector<double> values;
  if (values.size() < 2 * total_) values.assign(2 * total_, 0.0);
  return values;
}

void ObservationGroups::accumulate(const SampleBlock& blk) const {
  std::vector<double>& acc = thread_sums();
  for (std::size_t s = 0; s < blk.count; ++s)
    for (std::size_t c = first_; c < n_; ++c) {
      const std::uint32_t id = group(blk.config[s], c);
      acc[2 * std::size_t{id}] += block_row(blk.m, c)[s];
      acc[2 * std::size_t{id} + 1] += 1.0;
    }
}

void ObservationGroups::predict(SampleBlock& blk) const {
  const std::vector<double>& acc = thread_sums();
  for (std::size_t s = 0; s < blk.count; ++s)
    for (std::size_t c = first_; c < n_; ++c) {
      const std::uint32_t id = group(blk.config[s], c);
      block_row(blk.prediction, c)[s] = acc[2 * std::size_t{id}] / acc[2 * std::size_t{id} + 1];
    }
}

// Cheaper than clearing every group when there are many.
void ObservationGroups::reset(const std::vector<std::uint64_t>& keys) const {
  std::vector<double>& acc = thread_sums();
  if (total_ <= keys.size() * (n_ - first_)) {
    std::fill(acc.begin(), acc.end(), 0.0);
    return;
  }
  for (const std::uint64_t key : keys)
    for (std::size_t c = first_; c < n_; ++c) {
      const std::uint32_t id = group(key >> 32, c);
      acc[2 * std::size_t{id}] = 0.0;
      acc[2 * std::size_t{id} + 1] = 0.0;
    }
}

}  // namespace sglab::dag::detail
