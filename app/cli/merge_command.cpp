// sglab-cli merge: joins the shard files of a sharded sweep (expert-sweep
// --shard I/N) into the files the unsharded run writes, byte for byte.
#include <cstdio>
#include <filesystem>
#include <memory>

#include "app/cli/commands.hpp"
#include "core/config/output_files.hpp"
#include "core/expert/sweep_output.hpp"
#include "core/expert/sweep_shard.hpp"
#include "core/shard/shard_file.hpp"
#include "core/util/error.hpp"

namespace sglab::cli {

namespace {

namespace fs = std::filesystem;

struct MergeOptions {
  std::string outdir = "out/expert-sweep";
  std::vector<std::string> shards;
};

int run_merge(const MergeOptions& o) {
  config::check_folder_writable(o.outdir, "--outdir");
  std::vector<shard::ShardFile> files;
  for (const std::string& path : o.shards) files.push_back(shard::read_shard_file(path));
  // Dispatch on the kind of the first file; merge_* checks the others agree.
  const std::string kind = files.empty() ? "" : files.front().kind;
  if (kind != expert::kExpertSweepShardKind)
    throw Error("merge: " + files.front().source + " is a \"" + kind +
                "\" shard; this sglab-cli merges: " + expert::kExpertSweepShardKind);
  const expert::SweepResult result = expert::merge_sweep_shards(files);
  const fs::path outdir(o.outdir);
  std::error_code ec;
  fs::create_directories(outdir, ec);
  if (ec) throw Error("--outdir: cannot create " + outdir.string() + " (" + ec.message() + ")");
  config::write_files(expert::sweep_output_files(o.outdir, result, result.config), "--outdir");
  std::printf("merged %zu shards: wrote %s and %s\n", files.size(), (outdir / "summary.csv").c_str(),
              (outdir / "config.json").c_str());
  return 0;
}

}  // namespace

void add_merge_command(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<MergeOptions>();
  CLI::App* sub = app.add_subcommand(
      "merge",
      "Join the shard files of a sharded sweep (expert-sweep --shard I/N) into summary.csv and "
      "config.json, byte-identical to the unsharded run. Refuses shards of different settings, a "
      "shard given twice and a missing shard, naming it.");
  sub->add_option("--outdir", options->outdir, "output folder for summary.csv and config.json")
      ->capture_default_str();
  sub->add_option("shards", options->shards, "the N shard files (shard-I-of-N.json), in any order")
      ->required();
  sub->callback([options, &context] {
    if (!context.parse_only) context.exit_code = run_merge(*options);
  });
}

}  // namespace sglab::cli
