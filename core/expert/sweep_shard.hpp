#pragma once
// The expert sweep split into shards (issue 13): `expert-sweep --shard I/N`
// computes a deterministic 1/N of the work and `merge` rebuilds the summary.
//
// Work units are (k, d, case, n, batch of kMaxTrialBatch trials) in the order
// run_sweep visits them. A trial's numbers depend only on (seed, its stream),
// and the stream names (case, d, k, m, n, sampling, trial), so a unit gives
// the same numbers in whichever process runs it. Shard I takes a contiguous
// run of units of near-equal cost (cost ∝ 2^d per trial), so it builds the
// problem instance of only a few (k, d). The shard file carries the per-trial
// errors and, for every cell it touched, the closed forms (which need the
// instance); merge then runs summarize_cell, bootstrap included, on the
// gathered trials, so the merged summary.csv is the unsharded one, byte for byte.

#include <functional>
#include <string>
#include <vector>

#include "core/expert/expert_sweep.hpp"
#include "core/shard/shard_file.hpp"

namespace sglab::expert {

/// The shard "kind" of expert sweeps.
inline constexpr const char* kExpertSweepShardKind = "expert-sweep";

/// Runs shard `spec` of the sweep; the result is a ShardFile ready to write.
/// `on_line` receives one progress line per (k, d) the shard touches.
shard::ShardFile run_sweep_shard(const SweepConfig& config, const shard::ShardSpec& spec,
                                 const std::function<void(const std::string&)>& on_line = {});

/// Merges a complete set of expert-sweep shards into the sweep's result, in
/// run_sweep's cell order. Throws sglab::Error naming the file at fault
/// (other kind, other settings, duplicate, missing shard, missing trials).
SweepResult merge_sweep_shards(const std::vector<shard::ShardFile>& files);

}  // namespace sglab::expert
