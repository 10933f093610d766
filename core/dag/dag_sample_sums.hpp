#pragma once
// Internal to sample mode's fast path (dag_sample_fast.cpp): a trial's sums of
// m_i f_i (BP), mixed_i f_i (SG, exact and learned predictor) and the learned
// least-squares normal equations (eq 6; THEORY.md §7). Grouped nodes
// (dag_sample_feature_groups.hpp) are summed per feature group in sample order
// and reduced group by group in a fixed order at the end of the pass; direct
// nodes are summed as block dot products (dag_sample_block.hpp). The order of
// every addition depends on the draws only, not on the thread count.
#include <cstddef>
#include <vector>

#include "core/dag/dag_sample_block.hpp"
#include "core/dag/dag_sample_fast.hpp"
#include "core/dag/dag_sample_feature_groups.hpp"

namespace sglab::dag::detail {

// Per feature group: Σ m_i, Σ mixed (exact SG), Σ mixed (learned SG), the
// sample count, and the learned least-squares prediction at f_i.
struct GroupSums {
  double m, mixed_exact, mixed_learned, count, prediction;
};

// One trial's per-parameter sums; gram (packed lower, per node) and beta for
// learned least squares only.
struct TrialSums {
  TrialMeans params;
  std::vector<double> gram, beta;
};

class SampleSums {
 public:
  SampleSums(const FeatureLayout& layout, const FeatureGroupPlan& groups, bool least_squares);

  /// Zeroed sums for one trial (learned: also sg_learned and, least squares, gram and beta).
  void start_trial(TrialSums& t, std::vector<GroupSums>& group_sums, bool learned) const;
  /// Pass 1, one block: BP and exact-SG sums, the least-squares Gram.
  void add_first_pass(const SampleBlock& blk, TrialSums& t, std::vector<GroupSums>& group_sums) const;
  /// Pass 2, one block: learned-SG sums.
  void add_second_pass(const SampleBlock& blk, TrialSums& t, std::vector<GroupSums>& group_sums) const;
  /// Σ over the groups of every grouped node: f_i(group) × (its sums), eq 6.
  void reduce_first_pass(TrialSums& t, const std::vector<GroupSums>& group_sums) const;
  void reduce_second_pass(TrialSums& t, const std::vector<GroupSums>& group_sums) const;

  /// Learned least squares: β per node from the Gram and the BP sum (Σ f m_c is
  /// the BP sum itself: same products, same order), then β_i · f_i at every
  /// visited feature group.
  void fit_least_squares(TrialSums& t, std::vector<GroupSums>& group_sums) const;
  /// blk.prediction = β_c · f_c of every non-input node for the block's samples.
  void least_squares_predictions(const TrialSums& t, const std::vector<GroupSums>& group_sums,
                                 SampleBlock& blk) const;

 private:
  void add_direct_gram(const SampleBlock& blk, std::size_t i, double* gram) const;

  const FeatureLayout& layout_;
  const FeatureGroupPlan& groups_;
  bool least_squares_ = false;
  std::vector<std::size_t> gram_offset_;  // packed lower Gram matrix of node i at gram[gram_offset_[i]]
};

}  // namespace sglab::dag::detail
