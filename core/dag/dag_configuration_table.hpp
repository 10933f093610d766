#pragma once
// Internal to sample mode's fast path (dag_sample_fast.cpp): everything a
// sample needs that depends on its configuration (inputs + dropout mask) only,
// computed once per configuration before the trials (THEORY.md §7, sample mode).
//
// Compact record per configuration (what a sample reads; random access over
// all configurations was the cost, so it is small): h_i = φ_i(pre_i) of every
// non-input node whose x a sample reads (δ_i of the others), the terminal residuals x_t − y_t, and the synthetic part of
// eq 5 with the exact predictor, Σ_c w_ci p_c (0 for terminals). x and δ follow
// from h, the input bits and the mask bits exactly as dag_forward computes them;
// the build checks every configuration bit for bit (else no table is used and
// every configuration is computed from scratch when a sample needs it).
#include <cstdint>
#include <vector>

#include "core/dag/dag_exact_analysis.hpp"
#include "core/dag/dag_exact_predictor.hpp"
#include "core/dag/dag_network.hpp"
#include "core/dag/dag_sample_block.hpp"
#include "core/util/parallel_for.hpp"

namespace sglab::dag::detail {

class FeatureGroupPlan;

class ConfigurationTable {
 public:
  ConfigurationTable(const DagNetwork& net, const DagExactPredictor& predictor);

  // Work space of compute().
  struct Scratch {
    explicit Scratch(std::size_t nodes)
        : inputs(nodes + 1, 0.0), x(nodes + 1, 0.0), delta(nodes, 0.0), exact_prediction(nodes, 0.0),
          exact_synthetic(nodes, 0.0), residual(nodes, 0.0), kept(nodes + 1, 0) {}
    std::vector<double> inputs, x, delta, exact_prediction, exact_synthetic, residual;
    std::vector<unsigned char> kept;
  };

  // What a sample reads of its configuration. synthetic (Σ_c w_ci p_c of the
  // exact predictor) is indexed by i − first, residual by terminal index.
  struct View {
    const double* x;  // n + 1 values, x[n] = 1 (the constant feature)
    const double* delta;
    const double* synthetic;
    const double* residual;
  };

  /// One configuration from scratch: forward pass (eq 3), exact predictor
  /// (eq 13 or best-linear), terminal residual of ℓ = ½ Σ (x_t − y_t)².
  View compute(std::uint64_t config, Scratch& w) const;
  /// The same from x and δ of the exact analysis (its own forward pass, the
  /// same values as dag_forward's: tests/core/dag_block_kernels_test.cpp).
  View compute_from(std::uint64_t config, const DagConfigurationValues& values, Scratch& w) const;

  /// Σ_c w_ci p_c of every non-terminal node, children in order as
  /// dag_synthetic_backprop sums them; indexed by node − first (terminals: 0).
  void synthetic_sums(const double* prediction, double* synthetic) const;

  /// Whether the records of every configuration fit the memory budget.
  bool fits() const;
  /// Builds the records (see the file comment) and checks every configuration
  /// against groups.check() (which also records its group ids); returns false if some configuration's features
  /// differ from its feature group's. Honours options' cancel flag. values:
  /// the exact analysis's x and δ of every configuration, or null (then the
  /// forward pass runs here).
  bool build(FeatureGroupPlan& groups, const DagConfigurationValues* values, int threads,
             const WorkControl* control);
  bool empty() const { return table_.empty(); }

  /// Rows x, δ, residual and (exact_synthetic) the exact synthetic sums of the
  /// block's configurations; prefetches the records of the next keys
  /// (configuration << 32 | sign bits; next_count may be 0).
  void load_rows(SampleBlock& blk, const std::uint64_t* next_keys, std::size_t next_count, Scratch& w,
                 bool exact_synthetic) const;

  /// Rows of x that load_rows fills (per node; default: all); to be set before
  /// build(). The others are left as they are: δ, the residuals and the
  /// synthetic sums are always filled. A node whose x no sample reads keeps
  /// δ_i in its record instead of h_i (a copy per sample instead of the
  /// expansion; δ is the exact analysis's or dag_forward's value itself).
  void set_needed_x(std::vector<unsigned char> needed) { need_x_ = std::move(needed); }

  std::uint64_t configuration_count() const { return configs_; }
  int configuration_bits() const { return configuration_bits_; }

 private:
  View finish(std::uint64_t config, Scratch& w) const;
  void expand(std::uint64_t config, const double* compact, double* x, double* delta) const;
  void activations(const double* x, double* h) const;
  void expand_rows(SampleBlock& blk, const double* const* record) const;
  void copy_records(SampleBlock& blk, const double* const* record, bool exact_synthetic) const;
  static void to_column(const double* values, std::size_t count, double* column);

  const DagNetwork& net_;
  const DagExactPredictor& predictor_;
  std::size_t n_ = 0, first_ = 0, terminals_ = 0, stride_ = 0;
  std::uint64_t configs_ = 0;
  int configuration_bits_ = 0;
  std::vector<int> child_node_;          // children of every node, flat (DagNetwork::child order)
  std::vector<double> child_weight_;     // w_ci of each of those edges
  std::vector<double> inverse_q_;        // 1/q_i per node, as dag_forward computes it
  std::vector<unsigned char> is_tanh_;   // per node: φ_i = tanh
  std::vector<int> keep_bit_;            // per node: configuration bit of its mask ξ_i, or -1
  std::vector<unsigned char> need_x_;   // per node: load_rows fills its x row
  std::vector<double> table_;
};

}  // namespace sglab::dag::detail
