#pragma once
// The exact analysis' tables of one block of configurations
// (dag_exact_analysis.cpp): sizes, layout and allocation.

#include <cstddef>
#include <cstdint>
#include <memory>

#include "core/dag/dag_exact_accumulator.hpp"
#include "core/dag/rounded_key_index.hpp"

namespace sglab::dag::exact_detail {

// Tables of one block of configurations, node-major (dag_block_kernels.hpp)
// so that each node's accumulation reads contiguous memory. x, δ and the
// probabilities span the whole configuration space when they fit the cache
// budget (the offset selects the current block; later passes skip the forward
// pass; pass 3 reads the per-configuration means of a and b kept by pass 2
// instead of evaluating SG again), else one block. Everything per outcome (g, m, g̃, a, b) and the value
// keys and predictions are per block, recomputed in each pass: no memory per
// outcome of the whole space.
struct ExactBlock {
  std::uint64_t first = 0, count = 0;
  std::size_t config_capacity = 0, config_offset = 0;  // x, δ, probability
  std::size_t local_capacity = 0;                      // configurations of a block
  std::size_t outcome_capacity = 0;                    // outcomes of a block
  // Uninitialised storage: every slot read is written first.
  std::unique_ptr<double[]> x, delta, probability, prediction, g, m, g_tilde, a, b;
  // Means of a and b over the terminal signs of each configuration (x̄_c of
  // CenteredSums), rows for the non-input nodes only, laid out like x.
  // Without full_moments only the mix's mean (1 − λ) ā_c + λ b̄_c is read:
  // it is kept in config_mean_a and config_mean_b is not allocated.
  // config_mean_a may share δ's storage (mean_a_in_delta): δ of a block is
  // last read by pass 2's evaluation of that block, before its means are
  // written (pass 3 does not read δ, or recomputes it first without the
  // cache). Every fresh page costs here (the VM zeroes it: ~1 ms per MB).
  double* config_mean_a = nullptr;
  std::unique_ptr<double[]> config_mean_a_storage, config_mean_b;
  int first_mean_a_node = 0, first_mean_b_node = 0;  // node of each table's first row
  // Pass 1: per non-input node, the grouping keys of each configuration of the
  // block (observation key o_i; joint key (o_i, x_A(i)) when Bgap is asked).
  std::unique_ptr<KeyFingerprint[]> observation_key, joint_key;

  std::size_t cfg(std::size_t node, std::uint64_t c) const {
    return node * config_capacity + config_offset + static_cast<std::size_t>(c);
  }
  std::size_t local(std::size_t node, std::uint64_t c) const {
    return node * local_capacity + static_cast<std::size_t>(c);
  }
  std::size_t out(std::size_t node, std::uint64_t o) const {
    return node * outcome_capacity + static_cast<std::size_t>(o);
  }
  double prob(std::uint64_t c) const { return probability[config_offset + static_cast<std::size_t>(c)]; }
  std::size_t mean_a(int node, std::uint64_t c) const { return mean(node - first_mean_a_node, c); }
  std::size_t mean_b(int node, std::uint64_t c) const { return mean(node - first_mean_b_node, c); }
  std::size_t mean(int row, std::uint64_t c) const {
    return static_cast<std::size_t>(row) * config_capacity + config_offset +
           static_cast<std::size_t>(c);
  }

  void allocate(std::size_t configs, std::size_t block_configs, std::size_t signs, std::size_t nodes,
                int input_count, bool full_moments, bool mean_a_in_delta) {
    const std::size_t mean_rows = nodes - static_cast<std::size_t>(input_count);
    config_capacity = configs;
    local_capacity = block_configs;
    outcome_capacity = block_configs * signs;
    x.reset(new_table(configs * nodes));
    delta.reset(new_table(configs * nodes));
    if (mean_a_in_delta) {
      config_mean_a = delta.get();  // rows indexed by node, like δ
      first_mean_a_node = 0;
    } else {
      config_mean_a_storage.reset(new_table(configs * mean_rows));
      config_mean_a = config_mean_a_storage.get();
      first_mean_a_node = input_count;
    }
    first_mean_b_node = input_count;
    if (full_moments) config_mean_b.reset(new_table(configs * mean_rows));
    probability.reset(new double[configs]);
    prediction.reset(new double[block_configs * nodes]);
    for (auto* table : {&g, &m, &g_tilde, &a, &b}) table->reset(new double[outcome_capacity * nodes]);
  }
};

}  // namespace sglab::dag::exact_detail
