#pragma once
// Internal to sample mode (dag_sample_mode.cpp): the fast trial runner used
// when the exact analysis exists (THEORY.md §7, sample mode).
//
// Every sample is an outcome = (configuration, terminal signs). Everything that
// depends on the configuration only is computed once per configuration before
// the trials: node values x, δ, the exact predictor's value at every node, and
// the terminal residual x_t − y_t (teacher target, §7). A sample then costs a
// few random words, one backprop without tanh, and the sums. The learned table
// predictor groups samples by the exact analysis's observation group of o_c
// (the same rounded parent values the hashed table would key on), so no
// hashing per sample.
//
// The sums are taken in bulk: a trial's samples are sorted by configuration
// (the table is then read in address order), and for a node whose features
// f_i = [x_pa(i), 1] depend on few configuration bits (dag_feature_bits.hpp),
// Σ_s scalar_s f_i(s) is summed per feature group first (one addition per
// sample) and multiplied by the group's f_i at the end of the trial. The
// samples and every per-sample value are the generic path's, bit for bit; only
// the order of the additions differs, so the results agree with the generic
// path to rounding (tests/core/dag_sample_paths_test.cpp states the tolerance).
#include <cstdint>
#include <memory>
#include <vector>

#include "core/dag/dag_exact_predictor.hpp"
#include "core/dag/dag_network.hpp"
#include "core/dag/dag_sample_mode.hpp"

namespace sglab::dag::detail {

constexpr std::uint64_t kDagSampleStream = 0xDA6'0010;

// Per-trial sample means of the three estimators, per node: k values each.
struct TrialMeans {
  std::vector<double> bp, sg_learned, sg_exact;
};

/// Feature layout of the parameter gradients: slot r of the flat vector belongs
/// to node node_of[r] and reads x[feature[r]] (index node_count holds the
/// constant 1 of [x_pa(i), 1], eq 6).
struct FeatureLayout {
  explicit FeatureLayout(const DagNetwork& net);
  std::vector<std::size_t> offsets;  ///< per node, node_count + 1 entries
  std::vector<int> node_of, feature;
  std::size_t width() const { return offsets.back(); }
};

class FastSampleRunner {
 public:
  /// values: x and δ of every configuration from the exact analysis, or null;
  /// only read while constructing.
  FastSampleRunner(const DagNetwork& net, const DagSampleOptions& options, const DagExactPredictor& predictor,
                   const FeatureLayout& layout, const DagConfigurationValues* values);
  ~FastSampleRunner();
  TrialMeans run_trial(std::uint64_t trial) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sglab::dag::detail
