// sglab-cli bandit --shard I/N and sglab-cli merge: the merged evals.csv,
// summary.csv and config.json are the unsharded run's, byte for byte; bad sets
// are refused by name and write nothing.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/cli/cli_test_support.hpp"
#include "tests/cli/shard_test_support.hpp"

namespace sglab::testing {
namespace {

namespace fs = std::filesystem;

// 2 p_flip × (2 parents × 3 SparseNet methods + mlp) × 2 seeds = 28 runs.
const std::string kSweep =
    "bandit --data synthetic --quiet --steps 30 --batch 16 --eval-points 3 --eval-contexts 100 "
    "--width 6 --layers 2 --n-dim 2 --slots 2 --num-parents 2 3 --mlp-width 8 --seeds 2 --p-flip 0 0.3 "
    "--methods bp,sg-fixed,sg-adaptive,mlp --threads 2";

std::string shard_path(const ScratchDir& dir, int i, int n) {
  return dir.str() + "/shards/shard-" + std::to_string(i) + "-of-" + std::to_string(n) + ".json";
}

void run_shards(const ScratchDir& dir, const std::string& args, int n) {
  for (int i = 1; i <= n; ++i) {
    const CommandResult r =
        run_cli(args + " --shard " + std::to_string(i) + "/" + std::to_string(n) + " --outdir " + dir.str() + "/shards");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    ASSERT_TRUE(fs::exists(shard_path(dir, i, n))) << r.output;
    EXPECT_FALSE(fs::exists(dir.path() / "shards" / "evals.csv"));  // a shard writes only its shard file
  }
}

void expect_merge_equals_unsharded(int n, const std::string& name) {
  ScratchDir dir(name);
  ASSERT_EQ(run_cli(kSweep + " --outdir " + dir.str() + "/full").exit_code, 0);
  run_shards(dir, kSweep, n);
  std::string files;
  for (int i = n; i >= 1; --i) files += " " + shard_path(dir, i, n);  // any order
  const CommandResult r = run_cli("merge --outdir " + dir.str() + "/merged" + files);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* f : {"evals.csv", "summary.csv", "config.json"}) {
    const std::string full = read_file(dir.path() / "full" / f);
    ASSERT_GT(full.size(), 200u) << f;
    EXPECT_EQ(full, read_file(dir.path() / "merged" / f)) << f;
  }
}

TEST(BanditShardCli, ThreeShardsMergeToTheUnshardedBytes) { expect_merge_equals_unsharded(3, "bandit-shard-3"); }

TEST(BanditShardCli, MoreShardsThanRunsStillMerge) {
  // 40 shards for 28 runs: some shards are empty, the merge is whole.
  expect_merge_equals_unsharded(40, "bandit-shard-40");
}

class BanditShardRefusal : public ::testing::Test {
 protected:
  void SetUp() override { run_shards(dir_, kSweep, 3); }
  CommandResult merge(const std::string& files) { return run_cli("merge --outdir " + dir_.str() + "/m " + files); }
  void expect_refused(const CommandResult& r, const std::string& needle) {
    EXPECT_NE(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find(needle), std::string::npos) << r.output;
    EXPECT_FALSE(fs::exists(dir_.path() / "m" / "evals.csv"));
  }
  std::string shard(int i) const { return shard_path(dir_, i, 3); }
  ScratchDir dir_{"bandit-shard-refusal"};
};

TEST_F(BanditShardRefusal, MissingAndDuplicateShardsAreNamed) {
  expect_refused(merge(shard(1) + " " + shard(3)), "missing shard 2/3");
  fs::copy_file(shard(2), dir_.path() / "copy.json");
  expect_refused(merge(shard(1) + " " + shard(2) + " " + dir_.str() + "/copy.json " + shard(3)),
                 "shard 2/3 given twice");
}

TEST_F(BanditShardRefusal, DifferentSettingsAreNamed) {
  ASSERT_EQ(run_cli(kSweep + " --predictor-lr 0.01 --shard 2/3 --outdir " + dir_.str() + "/other").exit_code, 0);
  expect_refused(merge(shard(1) + " " + dir_.str() + "/other/shard-2-of-3.json " + shard(3)), "differs");
}

TEST_F(BanditShardRefusal, TamperedRunsAreRefused) {
  auto j = nlohmann::json::parse(read_file(shard(2)));
  auto& runs = j["payload"]["runs"];
  ASSERT_GE(runs.size(), 2u);
  // A run dropped: the merge names the run no shard holds.
  auto dropped = j;
  const std::size_t missing = dropped["payload"]["runs"][0]["run"].get<std::size_t>();
  dropped["payload"]["runs"].erase(0);
  std::ofstream(dir_.path() / "dropped.json") << dropped.dump();
  expect_refused(merge(shard(1) + " " + dir_.str() + "/dropped.json " + shard(3)),
                 "no shard holds run " + std::to_string(missing));
  // A run given under another run's index.
  auto moved = j;
  moved["payload"]["runs"][1]["run"] = moved["payload"]["runs"][0]["run"];
  std::ofstream(dir_.path() / "moved.json") << moved.dump();
  expect_refused(merge(shard(1) + " " + dir_.str() + "/moved.json " + shard(3)), "does not match the settings' run order");
  // A per-layer array of the wrong length.
  auto shortened = j;
  shortened["payload"]["runs"][0]["evals"][0]["lambda"].erase(0);
  std::ofstream(dir_.path() / "short.json") << shortened.dump();
  expect_refused(merge(shard(1) + " " + dir_.str() + "/short.json " + shard(3)), "lambda must be an array");
}

TEST(BanditShardCli, BadShardSpecsNameTheFlagAndWriteNothing) { expect_bad_shard_specs_refused(kSweep, "bandit-shard-bad"); }

}  // namespace
}  // namespace sglab::testing
