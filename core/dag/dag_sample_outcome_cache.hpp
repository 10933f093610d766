#pragma once
// Internal to sample mode's fast path (dag_sample_fast.cpp): pass 1's values
// per outcome, shared by all trials.
//
// Pass 1 of a trial reads, per sample, BP's m_i and the exact-SG mix of every
// non-input node (and x of the features summed per sample). Those are pure
// functions of the outcome (configuration, terminal signs): backprop (eq 4)
// and SG with the exact predictor (eq 5, 16) have no other input. With
// 10^5 samples x 100 trials over 2^20 outcomes every outcome is drawn ~10
// times, so they are computed once per outcome, before the trials, with the
// block kernels pass 1 would run (the same code on the same inputs: the same
// bits), and pass 1 copies them into the block rows instead of expanding the
// configuration record and running BP and SG per sample.
//
// Pass 2 (SG with the trial's learned predictor) reads only configuration
// values from the records: δ of the non-input nodes, the terminal residuals
// and x of the per-sample features, copied here from the configuration
// table's rows, so the table's records can be released once the cache is built.
//
// Layout, one record per configuration: first the values that do not depend on
// the signs (the mix of nodes with λ_i = 1: b_i = δ_i Σ_c w_ci p_c; x of the
// per-sample features; δ; the residuals), then one part per sign pattern (m of
// every non-input node, the mix of the other nodes). Built only when it fits
// its memory budget and the trials draw at least as many samples as there are
// outcomes.
#include <cstdint>
#include <memory>
#include <vector>

#include "core/dag/dag_configuration_table.hpp"
#include "core/dag/dag_network.hpp"
#include "core/dag/dag_sample_block.hpp"
#include "core/dag/dag_sample_block_kernels.hpp"
#include "core/util/parallel_for.hpp"

namespace sglab::dag::detail {

class OutcomeCache {
 public:
  /// needed_x: per node, whether pass 1 reads its x row (the features of the
  /// nodes summed per sample; the same rows ConfigurationTable::load_rows fills).
  OutcomeCache(const DagNetwork& net, std::vector<unsigned char> needed_x);

  /// Whether building pays and fits: total_samples (all trials) at least the
  /// outcome count, the records within the memory budget.
  bool worth_building(std::uint64_t configurations, std::uint64_t total_samples) const;
  /// Every outcome of every configuration of the (non-empty) table through
  /// table.load_rows and kernels.backprop / synthetic, as pass 1 runs them.
  void build(const ConfigurationTable& table, const SampleBlockKernels& kernels, int threads,
             const WorkControl* control);
  bool empty() const { return values_ == nullptr; }

  /// Rows of the block's samples: m of m_nodes, the mix of mix_nodes and x of
  /// the needed nodes; prefetches the records of the next keys (configuration
  /// << 32 | sign bits; next_count may be 0).
  void load_rows(SampleBlock& blk, const std::vector<std::size_t>& m_nodes, const std::vector<std::size_t>& mix_nodes,
                 const std::uint64_t* next_keys, std::size_t next_count) const;
  /// Pass 2's rows: δ of the non-input nodes, the residuals and x of the
  /// needed nodes, as ConfigurationTable::load_rows(…, false) fills them;
  /// prefetches the configuration parts of the next keys.
  void load_configuration_rows(SampleBlock& blk, const std::uint64_t* next_keys, std::size_t next_count) const;

  /// Where a sample's values are: the configuration's record, the sign
  /// pattern's part, and in them m_i (pattern part) and the mix of node i.
  const double* config_record(std::uint32_t config) const { return values_.get() + std::size_t{config} * stride_; }
  const double* pattern_record(std::uint32_t config, std::uint32_t signs) const {
    return config_record(config) + config_part_ + std::size_t{signs & pattern_mask_} * pattern_part_;
  }
  std::size_t m_index(std::size_t node) const { return node - first_; }
  struct MixSlot {
    bool in_pattern;    // in the sign pattern's part, else in the configuration's
    std::size_t index;
  };
  MixSlot mix_slot(std::size_t node) const { return mix_slot_[node]; }

 private:
  void store_block(const SampleBlock& blk) const;

  void prefetch(const double* part, std::size_t values) const;
  void copy_x_rows(SampleBlock& blk, const double* const* config) const;

  std::size_t n_ = 0, first_ = 0, terminals_ = 0;
  std::size_t delta_at_ = 0, residual_at_ = 0;  // δ and the residuals in the configuration part
  std::uint32_t pattern_mask_ = 0;               // sign bits that matter: 2^noisy − 1
  std::size_t patterns_ = 1;                     // 2^noisy
  std::vector<std::size_t> config_mix_nodes_;    // λ_i = 1 non-terminals: the mix depends on the configuration only
  std::vector<std::size_t> pattern_mix_nodes_;   // the other non-input nodes
  std::vector<std::size_t> x_nodes_;             // nodes whose x row pass 1 reads
  std::vector<MixSlot> mix_slot_;                // per node (non-input nodes only)
  std::size_t config_part_ = 0, pattern_part_ = 0, stride_ = 0;
  std::unique_ptr<double[]> values_;
};

}  // namespace sglab::dag::detail
