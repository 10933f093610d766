#pragma once
// Internal to sample mode's fast path (dag_sample_fast.cpp): feature groups.
// f_i = [x_pa(i), 1] (eq 6) is a function of a few configuration bits
// (dag_feature_bits.hpp). For a node with at most log2(n) (and 16) such bits,
// the sums Σ_s scalar_s f_i(s) are taken per group first (one addition per
// sample) and multiplied by the group's f_i at the end of the trial
// (dag_sample_sums.hpp); the other nodes ("direct") are summed per sample.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/dag/dag_exact_analysis.hpp"
#include "core/dag/dag_network.hpp"
#include "core/dag/dag_sample_block.hpp"
#include "core/dag/dag_sample_fast.hpp"

namespace sglab::dag::detail {

class ConfigurationTable;

struct FeatureGroup {
  std::size_t node = 0, k = 0, count = 0;    // k = |f_i|, count = 2^bits
  std::uint64_t mask = 0;                    // configuration bits f_i depends on
  std::size_t first_byte = 0, end_byte = 0;  // the bytes of the configuration index holding them
  std::size_t first_sum = 0;                 // its groups in the per-thread sums
  std::size_t first_feature = 0;             // f_i of group g at features(first_feature + g k)
};

class FeatureGroupPlan {
 public:
  FeatureGroupPlan(const DagNetwork& net, const FeatureLayout& layout);

  /// Groups the nodes whose f_i depends on at most log2(samples_per_trial) (and
  /// 16) configuration bits; f_i of every group from table.compute() of the
  /// configuration with those bits and zeros elsewhere (from the exact
  /// analysis's values of that configuration when given).
  void plan(const ConfigurationTable& table, const DagConfigurationValues* values, std::uint64_t samples_per_trial);
  /// No groups: every non-input node summed per sample.
  void plan_direct_only();

  /// Whether every grouped node's f_i, read from the node values x of
  /// configuration config, is its group's bit for bit. Also records the
  /// configuration's group ids in the id table (configurations × grouped
  /// nodes, 16 bits each, allocated by plan() when it fits its budget):
  /// block_ids then reads them instead of assembling each id from byte
  /// look-ups (~3 instead of ~15 instructions per node and sample, both passes).
  /// Distinct configurations may be checked concurrently.
  bool check(std::uint64_t config, const double* x);
  /// The feature group of every grouped node for every sample of the block.
  void block_ids(SampleBlock& blk) const;
  /// Brings the id rows of the next block's configurations into the cache
  /// (keys: configuration << 32 | sign bits), so block_ids does not wait on
  /// a miss per sample (the table has one row per configuration, read at random).
  void prefetch_ids(const std::uint64_t* next_keys, std::size_t next_count) const;

  const std::vector<FeatureGroup>& grouped() const { return grouped_; }
  const std::vector<std::size_t>& direct_nodes() const { return direct_nodes_; }
  std::size_t sum_count() const { return sum_count_; }
  const double* features(const FeatureGroup& fg, std::size_t g) const {
    return &features_[fg.first_feature + g * fg.k];
  }

 private:
  void group_ids(std::uint64_t config, std::uint32_t* ids) const;

  const DagNetwork& net_;
  const FeatureLayout& layout_;
  std::vector<FeatureGroup> grouped_;
  std::vector<std::size_t> direct_nodes_;  // non-input nodes summed per sample
  std::vector<double> features_;
  std::vector<std::uint32_t> lut_;  // [(j · bytes + byte) · 256 + value]: bits of node j's group id
  std::vector<std::uint16_t> id_table_;  // [configuration · grouped + j]: group of node j, or empty
  std::size_t configuration_bytes_ = 0, sum_count_ = 0;
};

}  // namespace sglab::dag::detail
