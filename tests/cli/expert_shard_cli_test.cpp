// sglab-cli expert-sweep --shard I/N and sglab-cli merge (issue 13): the merged
// files are the unsharded run's, byte for byte; bad sets are refused by name.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/cli/cli_test_support.hpp"
#include "tests/cli/shard_test_support.hpp"

namespace sglab::testing {
namespace {

namespace fs = std::filesystem;

const std::string kSweep =
    "expert-sweep --dims 4..8 --ks 2 3 --sample-sizes 1 3 --trials 10 --ratio-bootstrap 60 --seed 11 "
    "--leak 0.1 --lambda 0.5 --threads 2";

std::string shard_path(const ScratchDir& dir, int i) {
  return dir.str() + "/shards/shard-" + std::to_string(i) + "-of-3.json";
}

// Runs the 3 shards of `args` into dir/shards.
void run_three_shards(const ScratchDir& dir, const std::string& args) {
  for (int i = 1; i <= 3; ++i) {
    const CommandResult r = run_cli(args + " --shard " + std::to_string(i) + "/3 --outdir " + dir.str() + "/shards");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    ASSERT_TRUE(fs::exists(shard_path(dir, i))) << r.output;
  }
}

void expect_merge_equals_unsharded(const std::string& args, const std::string& name) {
  ScratchDir dir(name);
  ASSERT_EQ(run_cli(args + " --outdir " + dir.str() + "/full").exit_code, 0);
  run_three_shards(dir, args);
  // Any order on the command line.
  const CommandResult r = run_cli("merge --outdir " + dir.str() + "/merged " + shard_path(dir, 3) + " " +
                                  shard_path(dir, 1) + " " + shard_path(dir, 2));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string full = read_file(dir.path() / "full" / "summary.csv");
  ASSERT_GT(full.size(), 300u);  // header and at least one row
  EXPECT_EQ(full, read_file(dir.path() / "merged" / "summary.csv"));
  EXPECT_EQ(read_file(dir.path() / "full" / "config.json"), read_file(dir.path() / "merged" / "config.json"));
}

TEST(ExpertShardCli, ThreeShardsMergeToTheUnshardedBytes) {
  expect_merge_equals_unsharded(kSweep, "shard-every");
}

TEST(ExpertShardCli, RandomSamplingShardsMergeToTheUnshardedBytes) {
  // No closed forms here: the theory columns stay empty after the merge too.
  expect_merge_equals_unsharded(kSweep + " --sampling random --samples 40", "shard-random");
}

TEST(ExpertShardCli, MoreShardsThanWorkStillMerge) {
  // 1 cell of 1 batch, 3 shards: two shards are empty and the merge is whole.
  const std::string tiny = "expert-sweep --dims 5 --ks 2 --sample-sizes 2 --cases noisy --trials 3 --threads 1";
  expect_merge_equals_unsharded(tiny, "shard-tiny");
}

class ShardRefusal : public ::testing::Test {
 protected:
  void SetUp() override { run_three_shards(dir_, kSweep); }
  CommandResult merge(const std::string& files) { return run_cli("merge --outdir " + dir_.str() + "/m " + files); }
  void expect_refused(const CommandResult& r, const std::string& needle) {
    EXPECT_NE(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find(needle), std::string::npos) << r.output;
    EXPECT_FALSE(fs::exists(dir_.path() / "m" / "summary.csv"));
  }
  ScratchDir dir_{"shard-refusal"};
};

TEST_F(ShardRefusal, MissingShardIsNamed) {
  expect_refused(merge(shard_path(dir_, 1) + " " + shard_path(dir_, 3)), "missing shard 2/3");
}

TEST_F(ShardRefusal, DuplicateShardIsNamed) {
  fs::copy_file(shard_path(dir_, 2), dir_.path() / "copy.json");
  expect_refused(merge(shard_path(dir_, 1) + " " + shard_path(dir_, 2) + " " + dir_.str() + "/copy.json " +
                       shard_path(dir_, 3)),
                 "shard 2/3 given twice");
}

TEST_F(ShardRefusal, DifferentSettingsAreNamed) {
  ASSERT_EQ(run_cli(kSweep + " --sigma 0.4 --shard 2/3 --outdir " + dir_.str() + "/other").exit_code, 0);
  expect_refused(merge(shard_path(dir_, 1) + " " + dir_.str() + "/other/shard-2-of-3.json " + shard_path(dir_, 3)),
                 "\"sigma\" differs");
}

TEST_F(ShardRefusal, DifferentShardCountsAndKindsAreRefused) {
  ASSERT_EQ(run_cli(kSweep + " --shard 2/4 --outdir " + dir_.str() + "/four").exit_code, 0);
  expect_refused(merge(shard_path(dir_, 1) + " " + dir_.str() + "/four/shard-2-of-4.json " + shard_path(dir_, 3)),
                 "different shard counts");
  // A shard of another sweep kind (the envelope is shared; the payload is not).
  auto j = nlohmann::json::parse(read_file(shard_path(dir_, 2)));
  j["kind"] = "bandit-sweep";
  std::ofstream(dir_.path() / "bandit.json") << j.dump();
  expect_refused(merge(shard_path(dir_, 1) + " " + dir_.str() + "/bandit.json " + shard_path(dir_, 3)),
                 "\"bandit-sweep\" shard");
}

TEST_F(ShardRefusal, TamperedTrialsAreRefused) {
  auto j = nlohmann::json::parse(read_file(shard_path(dir_, 2)));
  j["payload"]["cells"][0]["bp"].erase(0);
  std::ofstream(dir_.path() / "short.json") << j.dump();
  expect_refused(merge(shard_path(dir_, 1) + " " + dir_.str() + "/short.json " + shard_path(dir_, 3)),
                 "inconsistent trial arrays");
}

TEST(ExpertShardCli, BadShardSpecsNameTheFlag) { expect_bad_shard_specs_refused(kSweep, "shard-bad"); }

}  // namespace
}  // namespace sglab::testing
