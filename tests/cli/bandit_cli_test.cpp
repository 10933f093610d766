// sglab-cli bandit: outputs, thread-count independence, one-line errors and no files.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "tests/cli/cli_test_support.hpp"

namespace sglab::testing {
namespace {

const std::string kSmall =
    "bandit --data synthetic --quiet --steps 40 --batch 16 --eval-points 4 --eval-contexts 200 "
    "--width 6 --layers 2 --n-dim 2 --slots 2 --num-parents 2 --mlp-width 8 --seeds 2 --p-flip 0 0.3 "
    "--methods bp,sg-fixed,sg-adaptive,mlp";

TEST(BanditCli, WritesTheSameBytesForOneAndTwoThreads) {
  ScratchDir one("bandit-t1"), two("bandit-t2");
  const CommandResult r1 = run_cli(kSmall + " --threads 1 --outdir " + one.str());
  ASSERT_EQ(r1.exit_code, 0) << r1.output;
  const CommandResult r2 = run_cli(kSmall + " --threads 2 --outdir " + two.str());
  ASSERT_EQ(r2.exit_code, 0) << r2.output;
  for (const char* name : {"evals.csv", "summary.csv", "config.json"}) {
    const std::string a = read_file(one.path() / name);
    EXPECT_FALSE(a.empty()) << name;
    EXPECT_EQ(a, read_file(two.path() / name)) << name;
  }
  // 2 p_flip × (3 SparseNet methods + mlp) × 2 seeds × 4 eval points, plus the header.
  const std::string evals = read_file(one.path() / "evals.csv");
  EXPECT_EQ(std::count(evals.begin(), evals.end(), '\n'), 1 + 2 * 4 * 2 * 4);
  // config.json is a scenario that reproduces the run.
  ScratchDir again("bandit-again");
  const CommandResult r3 = run_cli("bandit --quiet --scenario " + (one.path() / "config.json").string() +
                                   " --outdir " + again.str());
  ASSERT_EQ(r3.exit_code, 0) << r3.output;
  EXPECT_EQ(read_file(again.path() / "evals.csv"), evals);
}

TEST(BanditCli, BadFlagsGiveOneLineAndNoFiles) {
  ScratchDir dir("bandit-bad");
  const std::string out = (dir.path() / "out").string();
  for (const std::string flags : {"--p-flip 1.5", "--methods bp,sgd", "--batch 1", "--data mnist",
                                  "--data synthetic --n-dim 30 --num-parents 3", "--scenario /nonexistent.json",
                                  "--data digits --digits /nonexistent/digits.csv.gz"}) {
    const CommandResult r = run_cli("bandit --quiet " + flags + " --outdir " + out);
    EXPECT_NE(r.exit_code, 0) << flags;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << flags << ": " << r.output;
    EXPECT_FALSE(std::filesystem::exists(out)) << flags;
  }
}

}  // namespace
}  // namespace sglab::testing
