#pragma once
// Internal to sample mode's fast path (dag_sample_fast.cpp): the learned table
// predictor (THEORY.md §7, learned). It averages m_c over the samples of a
// trial with the same observation o_c; samples are grouped by the exact
// analysis's observation group of o_c (the same rounded parent values the
// hashed table would key on), looked up per configuration: no hashing per sample.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/dag/dag_exact_predictor.hpp"
#include "core/dag/dag_network.hpp"
#include "core/dag/dag_sample_block.hpp"

namespace sglab::dag::detail {

class ObservationGroups {
 public:
  ObservationGroups(const DagNetwork& net, const DagExactPredictor& predictor, std::uint64_t configs);

  /// Pass 1: Σ m_c and the count per group, for every non-input node of the block.
  void accumulate(const SampleBlock& blk) const;
  /// Pass 2: blk.prediction = the group mean of m_c for every non-input node.
  void predict(SampleBlock& blk) const;
  /// Zeroes the groups this trial touched (keys: configuration << 32 | signs).
  void reset(const std::vector<std::uint64_t>& keys) const;

 private:
  // Numbered across nodes: group_base_[c] + group of the exact analysis.
  std::uint32_t group(std::uint64_t config, std::size_t c) const {
    if (!group_table_.empty()) return group_table_[static_cast<std::size_t>(config) * (n_ - first_) + (c - first_)];
    return group_base_[c] + predictor_.group_of_configuration[c][config];
  }
  // Sum of m_c at 2 id, count at 2 id + 1 (one cache line per look-up), per thread; zero between trials.
  std::vector<double>& thread_sums() const;

  const DagExactPredictor& predictor_;
  std::size_t n_ = 0, first_ = 0, total_ = 0;
  std::vector<std::uint32_t> group_base_;
  std::vector<std::uint32_t> group_table_;  // per configuration and non-input node, if it fits
};

}  // namespace sglab::dag::detail
