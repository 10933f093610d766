#include "core/dag/dag_sample_fast.hpp"

// One trial of the fast path: draw and sort (dag_sample_draws.hpp), then two
// passes over blocks of samples in configuration order:
//   pass 1: records (dag_configuration_table.hpp) -> BP and SG with the exact
//           predictor (dag_sample_block_kernels.hpp) -> sums (dag_sample_sums.hpp)
//           and the learned predictor's data (least squares: the Gram; table:
//           dag_sample_observation_groups.hpp);
//   fit the learned predictor;
//   pass 2: SG with the trial's learned predictor -> sums.
// Feature groups (dag_sample_feature_groups.hpp) decide which nodes are summed
// per group and which per sample.

#include <algorithm>
#include <memory>
#include <optional>

#include "core/dag/dag_configuration_table.hpp"
#include "core/dag/dag_sample_block_kernels.hpp"
#include "core/dag/dag_sample_draws.hpp"
#include "core/dag/dag_sample_feature_groups.hpp"
#include "core/dag/dag_sample_observation_groups.hpp"
#include "core/dag/dag_sample_sums.hpp"

namespace sglab::dag::detail {

FeatureLayout::FeatureLayout(const DagNetwork& net) {
  offsets.assign(static_cast<std::size_t>(net.node_count) + 1, 0);
  for (int i = 0; i < net.node_count; ++i) {
    const auto si = static_cast<std::size_t>(i);
    const int k = i < net.input_count ? 0 : net.parent_count(i) + 1;
    offsets[si + 1] = offsets[si] + static_cast<std::size_t>(k);
    if (k == 0) continue;
    // [x_pa(i), 1] (eq 6): parents in edge order, then the constant slot.
    for (int e = net.parent_begin[si]; e < net.parent_begin[si + 1]; ++e) {
      node_of.push_back(i);
      feature.push_back(net.parent[static_cast<std::size_t>(e)]);
    }
    node_of.push_back(i);
    feature.push_back(net.node_count);
  }
}

struct FastSampleRunner::Impl {
  const DagNetwork& net;
  const DagSampleOptions& options;
  const bool least_squares;
  ConfigurationTable table;
  FeatureGroupPlan groups;
  SampleBlockKernels kernels;
  OutcomeDraws draws;
  SampleSums sums;
  std::optional<ObservationGroups> observation_groups;  // learned table predictor only

  Impl(const DagNetwork& network, const DagSampleOptions& opts, const DagExactPredictor& predictor,
       const FeatureLayout& layout, const DagConfigurationValues* values)
      : net(network),
        options(opts),
        least_squares(opts.learned && learned_predictor_kind(network.predictor) == PredictorKind::learned_linear),
        table(network, predictor),
        groups(network, layout),
        kernels(network),
        draws(network),
        sums(layout, groups, least_squares) {
    const bool fits = table.fits();
    if (fits) groups.plan(table, values, options.samples_per_trial);
    table.set_needed_x(needed_x(layout));
    if (fits && !table.build(groups, values, options.threads, options.control)) {
      // Some configuration's features are not its group's: every node per sample,
      // whose features the records must now give (rebuilt with their h).
      groups.plan_direct_only();
      table.set_needed_x(needed_x(layout));
      table.build(groups, values, options.threads, options.control);
    }
    if (table.empty()) groups.plan_direct_only();
    if (options.learned && !least_squares) observation_groups.emplace(net, predictor, table.configuration_count());
  }

  // The block kernels read δ only; x is read as the features of the nodes summed per sample.
  std::vector<unsigned char> needed_x(const FeatureLayout& layout) const {
    std::vector<unsigned char> needed(static_cast<std::size_t>(net.node_count), 0);
    for (const std::size_t i : groups.direct_nodes())
      for (std::size_t r = layout.offsets[i]; r < layout.offsets[i + 1]; ++r)
        if (layout.feature[r] < net.node_count) needed[static_cast<std::size_t>(layout.feature[r])] = 1;
    return needed;
  }

  // Per feature group and thread (reused across trials: no allocation per trial).
  static std::vector<GroupSums>& thread_group_sums() {
    thread_local std::vector<GroupSums> group_sums;
    return group_sums;
  }

  TrialMeans run_trial(std::uint64_t trial) const {
    const std::uint64_t stream = rng::make_stream(kDagSampleStream, {trial + options.stream_offset});
    rng::StreamReader reader(net.seed, stream);
    const std::vector<std::uint64_t> keys = draws.draw_sorted(
        reader, static_cast<std::size_t>(options.samples_per_trial), table.configuration_bits());
    std::vector<GroupSums>& group_sums = thread_group_sums();
    TrialSums t;
    sums.start_trial(t, group_sums, options.learned);
    const auto n = static_cast<std::size_t>(net.node_count);
    ConfigurationTable::Scratch w(n);
    SampleBlock blk(n, groups.grouped().size());
    first_pass(keys, t, group_sums, w, blk);
    sums.reduce_first_pass(t, group_sums);
    if (options.learned) {
      if (least_squares) sums.fit_least_squares(t, group_sums);
      second_pass(keys, t, group_sums, w, blk);
      sums.reduce_second_pass(t, group_sums);
      if (observation_groups) observation_groups->reset(keys);
    }
    const double inv = 1.0 / static_cast<double>(options.samples_per_trial);
    for (auto* v : {&t.params.bp, &t.params.sg_learned, &t.params.sg_exact})
      for (double& value : *v) value *= inv;
    return std::move(t.params);
  }

  // The block of samples s0.. : configurations, sign bits, rows of the table, feature groups.
  void load_block(const std::vector<std::uint64_t>& keys, std::size_t s0, SampleBlock& blk,
                  ConfigurationTable::Scratch& w, bool exact_synthetic) const {
    const std::size_t count = std::min(kSampleBlock, keys.size() - s0);
    blk.count = count;
    for (std::size_t s = 0; s < count; ++s) {
      blk.config[s] = static_cast<std::uint32_t>(keys[s0 + s] >> 32);
      blk.signs[s] = static_cast<std::uint32_t>(keys[s0 + s]);
    }
    const std::size_t next = std::min(keys.size(), s0 + count);
    const std::size_t next_count = std::min(kSampleBlock, keys.size() - next);
    table.load_rows(blk, keys.data() + next, next_count, w, exact_synthetic);
    groups.prefetch_ids(keys.data() + next, next_count);
    groups.block_ids(blk);
  }

  // Pass 1: BP, SG with the exact predictor, and the learned predictor's data.
  void first_pass(const std::vector<std::uint64_t>& keys, TrialSums& t, std::vector<GroupSums>& group_sums,
                  ConfigurationTable::Scratch& w, SampleBlock& blk) const {
    for (std::size_t s0 = 0; s0 < keys.size(); s0 += kSampleBlock) {
      load_block(keys, s0, blk, w, true);
      kernels.backprop(blk, false);
      kernels.synthetic(blk);
      sums.add_first_pass(blk, t, group_sums);
      if (observation_groups) observation_groups->accumulate(blk);
    }
  }

  // Pass 2: the same samples, SG with the learned predictor.
  void second_pass(const std::vector<std::uint64_t>& keys, TrialSums& t, std::vector<GroupSums>& group_sums,
                   ConfigurationTable::Scratch& w, SampleBlock& blk) const {
    for (std::size_t s0 = 0; s0 < keys.size(); s0 += kSampleBlock) {
      load_block(keys, s0, blk, w, false);
      if (observation_groups)
        observation_groups->predict(blk);
      else
        sums.least_squares_predictions(t, group_sums, blk);
      kernels.synthetic_sums(blk);
      kernels.backprop(blk, true);
      kernels.synthetic(blk);
      sums.add_second_pass(blk, t, group_sums);
    }
  }
};

FastSampleRunner::FastSampleRunner(const DagNetwork& net, const DagSampleOptions& options,
                                   const DagExactPredictor& predictor, const FeatureLayout& layout,
                                   const DagConfigurationValues* values)
    : impl_(std::make_unique<Impl>(net, options, predictor, layout, values)) {}

FastSampleRunner::~FastSampleRunner() = default;

TrialMeans FastSampleRunner::run_trial(std::uint64_t trial) const { return impl_->run_trial(trial); }

}  // namespace sglab::dag::detail
