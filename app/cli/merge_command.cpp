// sglab-cli merge: joins the shard files of a sharded sweep (expert-sweep or
// bandit --shard I/N) into the files the unsharded run writes, byte for byte.
#include <cstdio>
#include <filesystem>
#include <memory>

#include "app/cli/commands.hpp"
#include "core/bandit/bandit_csv.hpp"
#include "core/bandit/bandit_shard.hpp"
#include "core/config/output_files.hpp"
#include "core/expert/sweep_output.hpp"
#include "core/expert/sweep_shard.hpp"
#include "core/shard/shard_file.hpp"
#include "core/util/error.hpp"

namespace sglab::cli {

namespace {

namespace fs = std::filesystem;

struct MergeOptions {
  std::string outdir;  // default: out/<kind> (out/expert-sweep, out/bandit)
  std::vector<std::string> shards;
};

int run_merge(const MergeOptions& o) {
  std::vector<shard::ShardFile> files;
  for (const std::string& path : o.shards) files.push_back(shard::read_shard_file(path));
  // Dispatch on the kind of the first file; merge_* checks the others agree.
  const std::string kind = files.empty() ? "" : files.front().kind;
  if (kind != expert::kExpertSweepShardKind && kind != bandit::kBanditShardKind)
    throw Error("merge: " + files.front().source + " is a \"" + kind + "\" shard; this sglab-cli merges: " +
                expert::kExpertSweepShardKind + ", " + bandit::kBanditShardKind);
  const fs::path outdir(o.outdir.empty() ? "out/" + kind : o.outdir);
  config::check_folder_writable(outdir.string(), "--outdir");
  std::vector<config::OutputFile> out;
  if (kind == expert::kExpertSweepShardKind) {
    const expert::SweepResult result = expert::merge_sweep_shards(files);
    out = expert::sweep_output_files(outdir.string(), result, result.config);
  } else {
    const bandit::MergedBandit merged = bandit::merge_bandit_shards(files);
    out = bandit::bandit_output_files(outdir.string(), merged.config, merged.snapshot);
  }
  std::error_code ec;
  fs::create_directories(outdir, ec);
  if (ec) throw Error("--outdir: cannot create " + outdir.string() + " (" + ec.message() + ")");
  config::write_files(out, "--outdir");
  std::string names;
  for (const config::OutputFile& f : out) names += (names.empty() ? "" : ", ") + fs::path(f.path).filename().string();
  std::printf("merged %zu %s shards: wrote %s to %s\n", files.size(), kind.c_str(), names.c_str(), outdir.c_str());
  return 0;
}

}  // namespace

void add_merge_command(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<MergeOptions>();
  CLI::App* sub = app.add_subcommand(
      "merge",
      "Join the shard files of a sharded sweep (expert-sweep or bandit --shard I/N) into the files the "
      "unsharded run writes (expert-sweep: summary.csv and config.json; bandit: evals.csv, summary.csv and "
      "config.json), byte-identical. Refuses shards of different settings, a shard given twice and a missing "
      "shard, naming it.");
  sub->add_option("--outdir", options->outdir,
                  "output folder for the merged files (default: out/expert-sweep or out/bandit, after the shards' kind)");
  sub->add_option("shards", options->shards, "the N shard files (shard-I-of-N.json), in any order")
      ->required();
  sub->callback([options, &context] {
    if (!context.parse_only) context.exit_code = run_merge(*options);
  });
}

}  // namespace sglab::cli
