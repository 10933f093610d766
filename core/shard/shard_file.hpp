#pragma once
// Shard files: one deterministic 1/N of a sweep's work, written by one process
// (a Slurm array task, a GNU parallel job) and gathered by `sglab-cli merge`.
// The envelope is shared by every sweep kind; the payload belongs to the kind:
//   {"format": "sglab-shard", "version": 1, "kind": "expert-sweep",
//    "shard": {"index": I, "count": N}, "settings": {...}, "payload": {...}}
// "settings" are the run's settings; shards merge only when their settings
// agree on every key except those the kind declares result-neutral (threads).

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace sglab::shard {

/// Which part of the work a process computes: index in 1..count.
struct ShardSpec {
  int index = 1;
  int count = 1;
};

/// Parses "I/N" (1 <= I <= N <= kMaxShards); throws sglab::Error naming `flag`.
ShardSpec parse_shard_spec(const std::string& text, const std::string& flag = "--shard");
constexpr int kMaxShards = 100000;

/// "shard-I-of-N.json", the file name a shard run writes into its --outdir.
std::string shard_file_name(const ShardSpec& spec);

struct ShardFile {
  std::string kind;
  ShardSpec spec;
  nlohmann::json settings;
  nlohmann::json payload;
  std::string source;  ///< where it was read from, for messages
};

nlohmann::json to_json(const ShardFile& file);

/// Parses and checks the envelope; throws sglab::Error naming `source`.
ShardFile shard_from_json(const nlohmann::json& j, const std::string& source);
ShardFile read_shard_file(const std::string& path);

/// Orders `files` by index and checks they form one complete set: one kind,
/// one count, equal settings (ignoring `neutral_keys`), no index twice, none
/// missing. Throws sglab::Error naming the offending files or the missing shard.
std::vector<ShardFile> check_complete_set(std::vector<ShardFile> files,
                                          const std::vector<std::string>& neutral_keys);

/// Doubles in payloads: JSON numbers when finite (printed shortest round-trip,
/// so parsing restores the same bits), else the strings "inf", "-inf", "nan".
nlohmann::json exact_number(double x);
double exact_number_from_json(const nlohmann::json& j, const std::string& what);

/// Contiguous split of `weights` (item costs, in work order) into `count`
/// parts of near-equal total weight; returns [begin, end) of part `index`.
/// Depends only on the weights, so every process computes the same split.
std::pair<std::size_t, std::size_t> weighted_part(const std::vector<double>& weights,
                                                  const ShardSpec& spec);

}  // namespace sglab::shard
