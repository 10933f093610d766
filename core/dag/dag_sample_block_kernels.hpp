#pragma once
// Internal to sample mode's fast path (dag_sample_fast.cpp): BP and SG of a
// block of samples, node-major (dag_sample_block.hpp). Every per-sample value
// is computed with the operations of dag_backprop / dag_synthetic_backprop in
// the same order (δ_c g̃_c formed once per child: the same product they form
// per edge); only the loops are turned inside out (node outside, sample inside).
#include <cstddef>
#include <vector>

#include "core/dag/dag_network.hpp"
#include "core/dag/dag_sample_block.hpp"

namespace sglab::dag::detail {

class SampleBlockKernels {
 public:
  explicit SampleBlockKernels(const DagNetwork& net);

  /// Backpropagation (eq 4): g_t = x_t − y_t + σ_t ε_t (§7), m = δ g,
  /// g_i = Σ_c w_ci m_c. terminals_only: just g_t and m_t, all SG reads of BP.
  /// The g rows of non-terminal nodes are scratch.
  void backprop(SampleBlock& blk, bool terminals_only) const;
  /// SG propagation (eq 5, λ_{i,c} = λ_i), the synthetic sums Σ_c w_ci p_c
  /// given in blk.synthetic: a and b of eq 16 (terminals: a = b = m), then
  /// blk.mixed = (1 − λ_i) a_i + λ_i b_i (terminals: λ = 0; at λ_i = 1 the a and b
  /// rows are not written, the mix is formed from b_i directly).
  void synthetic(SampleBlock& blk) const;
  /// blk.synthetic = Σ_c w_ci p_c of the predictions in blk.prediction, children in order.
  void synthetic_sums(SampleBlock& blk) const;

 private:
  void backprop_row(SampleBlock& blk, std::size_t i) const;
  void synthetic_row(SampleBlock& blk, std::size_t i) const;

  const DagNetwork& net_;
  std::size_t n_ = 0, first_ = 0, terminals_ = 0;
  std::vector<int> noisy_bit_;            // per terminal index: bit of its sign, or -1
  std::vector<int> child_node_;           // children of every node, flat (DagNetwork::child order)
  std::vector<double> child_weight_;      // w_ci of each of those edges
  std::vector<double> lambda_;            // λ_i as the SG sums use it (terminals: 0)
  std::vector<unsigned char> lambda_one_; // λ_i = 1: g̃_i = Σ_c s_{c→i} and the SG mix is b_i alone
};

}  // namespace sglab::dag::detail
