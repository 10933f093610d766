#pragma once
// A bandit sweep split into shards: `bandit --shard I/N` runs a deterministic
// 1/N of the runs and `merge` rebuilds evals.csv, summary.csv and config.json.
//
// Work units are the runs of plan_bandit_runs, in its order. A run's numbers
// depend only on its spec (seed, method, p_flip, parents, lr) and the config,
// never on which other runs share the process (bandit_session.hpp), so shard I
// takes a contiguous part of near-equal estimated cost and its file carries
// those runs' evaluation records, every double exactly; merge puts the runs
// back in plan order and writes the unsharded run's files, byte for byte.

#include <string>
#include <vector>

#include "core/bandit/bandit_config.hpp"
#include "core/bandit/bandit_session.hpp"
#include "core/shard/shard_file.hpp"

namespace sglab::bandit {

/// The shard "kind" of bandit sweeps.
inline constexpr const char* kBanditShardKind = "bandit";

/// The runs of shard `spec`: a contiguous part of plan_bandit_runs(config).
PlanRange bandit_shard_runs(const BanditConfig& config, const shard::ShardSpec& spec);

/// The shard file of a finished session started with bandit_shard_runs(config, spec).
shard::ShardFile bandit_shard_file(const BanditConfig& config, const shard::ShardSpec& spec,
                                   const BanditSession& session);

/// The settings and the finished snapshot of the whole sweep (runs in plan
/// order), from a complete set of bandit shards. Throws sglab::Error naming the
/// file at fault (other kind, other settings, duplicate, missing shard or run).
struct MergedBandit {
  BanditConfig config;
  BanditSnapshot snapshot;
};
MergedBandit merge_bandit_shards(const std::vector<shard::ShardFile>& files);

}  // namespace sglab::bandit
