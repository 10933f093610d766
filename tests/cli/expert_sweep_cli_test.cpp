// sglab-cli expert-sweep: output files, determinism and every bad input.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/cli/cli_test_support.hpp"

namespace sglab::testing {
namespace {

namespace fs = std::filesystem;

const char* kSmallSweep =
    "expert-sweep --dims 4..7 --ks 2 3 --sample-sizes 1 2 --trials 8 --ratio-bootstrap 50 --seed 5";

TEST(ExpertSweepCli, WritesThePapersColumnsAndConfig) {
  ScratchDir dir("columns");
  const CommandResult r = run_cli(std::string(kSmallSweep) + " --outdir " + dir.str() + "/out");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string csv = read_file(dir.path() / "out" / "summary.csv");
  const std::string header = csv.substr(0, csv.find('\n'));
  EXPECT_EQ(header.rfind(
                "case,d,k,m,n,total_samples,trials,mse_bp,mse_sg,se_bp,se_sg,ratio_bp_over_sg,"
                "ratio_se,ratio_ci_low,ratio_ci_high,",
                0),
            0u)
      << header;
  // 3 cases × 4 dims × 2 ks × 2 n rows after the header.
  std::size_t rows = 0;
  for (char c : csv) rows += c == '\n' ? 1 : 0;
  EXPECT_EQ(rows, 1u + 3 * 4 * 2 * 2);
  EXPECT_NE(csv.find("\nnoisy,4,2,5,1,16,8,"), std::string::npos);
  const auto config = nlohmann::json::parse(read_file(dir.path() / "out" / "config.json"));
  EXPECT_EQ(config.at("trials"), 8);
  EXPECT_EQ(config.at("seed"), 5);
  EXPECT_EQ(config.at("ratio_bootstrap"), 50);
  EXPECT_EQ(config.at("dims"), nlohmann::json({4, 5, 6, 7}));
  // One progress line per (k, d).
  std::size_t progress = 0;
  std::istringstream lines(r.output);
  for (std::string line; std::getline(lines, line);) progress += line.rfind("[", 0) == 0 ? 1 : 0;
  EXPECT_EQ(progress, 8u);
}

TEST(ExpertSweepCli, SameBytesForAnyThreadCountAndRerun) {
  ScratchDir dir("threads");
  const std::string base = std::string(kSmallSweep) + " --leak 0.1 --lambda 0.5 --outdir " + dir.str();
  ASSERT_EQ(run_cli(base + "/t1 --threads 1").exit_code, 0);
  ASSERT_EQ(run_cli(base + "/t2 --threads 2").exit_code, 0);
  ASSERT_EQ(run_cli(base + "/t2b --threads 2").exit_code, 0);
  const std::string one = read_file(dir.path() / "t1" / "summary.csv");
  ASSERT_FALSE(one.empty());
  EXPECT_EQ(one, read_file(dir.path() / "t2" / "summary.csv"));
  EXPECT_EQ(one, read_file(dir.path() / "t2b" / "summary.csv"));
}

TEST(ExpertSweepCli, RandomSamplingRuns) {
  ScratchDir dir("random");
  const CommandResult r = run_cli(
      "expert-sweep --dims 6 --ks 3 --sample-sizes 1 --trials 4 --sampling random --samples 40 "
      "--fallback zero --outdir " + dir.str());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string csv = read_file(dir.path() / "summary.csv");
  EXPECT_NE(csv.find("\nnoisy,6,3,5,1,40,4,"), std::string::npos) << csv;
}

struct BadInput {
  std::string args;
  std::string must_mention;
};

// Every bad input: one clear line naming the flag, a non-zero exit, no files.
TEST(ExpertSweepCli, BadInputIsRejectedWithoutPartialFiles) {
  const BadInput cases[] = {
      {"--dims 4 --ks 5", "--ks"},
      {"--dims 0", "--dims"},
      {"--dims 30", "--dims"},
      {"--dims 4..x", "--dims"},
      {"--sample-sizes 0", "--sample-sizes"},
      {"--p 0", "--p"},
      {"--p 1.5", "--p"},
      {"--sigma -1", "--sigma"},
      {"--sigma nan", "--sigma"},
      {"--tau inf", "--tau"},
      {"--cases noisy loud", "--cases"},
      {"--fallback mean", "--fallback"},
      {"--sampling sometimes", "--sampling"},
      {"--lambda 2", "--lambda"},
      {"--leak -0.1", "--leak"},
      {"--trials 1", "--trials"},
      {"--m 0", "--m"},
      {"--dims 24 --ks 2 --max-memory-gb 1", "--dims"},
  };
  for (const BadInput& bad : cases) {
    ScratchDir dir("bad");
    const fs::path out = dir.path() / "out";
    const CommandResult r = run_cli("expert-sweep " + bad.args + " --outdir " + out.string());
    EXPECT_NE(r.exit_code, 0) << bad.args;
    EXPECT_NE(r.output.find(bad.must_mention), std::string::npos) << bad.args << " -> " << r.output;
    EXPECT_FALSE(fs::exists(out)) << bad.args;
    // One line of error, nothing else.
    std::size_t newlines = 0;
    for (char c : r.output) newlines += c == '\n' ? 1 : 0;
    EXPECT_LE(newlines, 2u) << bad.args << " -> " << r.output;
  }
}

TEST(ExpertSweepCli, UnwritableOutdirIsRejectedBeforeTheRun) {
  ScratchDir dir("ro");
  const fs::path blocker = dir.path() / "file";
  { std::FILE* f = std::fopen(blocker.c_str(), "w"); ASSERT_NE(f, nullptr); std::fclose(f); }
  const CommandResult r = run_cli("expert-sweep --dims 4 --ks 2 --outdir " + blocker.string() + "/sub");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("--outdir"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("[1/"), std::string::npos) << "the run should not have started";
}

// A file any lab writes, every command reads: --scenario runs the expert lab's
// cell of a scenario file, the same numbers as the same cell given by flags.
TEST(ExpertSweepCli, RunsTheCellOfAScenarioFile) {
  ScratchDir dir("scenario");
  const std::string preset = std::string(SGLAB_SOURCE_DIR) + "/assets/presets/expert_4_leak_crossover.json";
  const nlohmann::json body = nlohmann::json::parse(std::ifstream(preset))["expert"];
  const CommandResult from_file = run_cli("expert-sweep --scenario " + preset + " --outdir " + dir.str() + "/file");
  ASSERT_EQ(from_file.exit_code, 0) << from_file.output;
  std::ostringstream flags;
  flags << "expert-sweep --dims " << body["d"] << " --ks " << body["k"] << " --sample-sizes " << body["n"]
        << " --cases " << body["case"].get<std::string>() << " --m " << body["m"] << " --trials " << body["trials"]
        << " --seed " << body["seed"] << " --sigma " << body["sigma"] << " --p " << body["p"] << " --tau "
        << body["tau"] << " --lambda " << body["lambda"] << " --leak " << body["leak"] << " --ratio-bootstrap "
        << body["bootstrap_resamples"] << " --outdir " << dir.str() << "/flags";
  const CommandResult from_flags = run_cli(flags.str());
  ASSERT_EQ(from_flags.exit_code, 0) << from_flags.output;
  const auto read = [](const std::string& path) {
    std::ifstream f(path);
    return std::string((std::istreambuf_iterator<char>(f)), {});
  };
  EXPECT_EQ(read(dir.str() + "/file/summary.csv"), read(dir.str() + "/flags/summary.csv"));
  EXPECT_FALSE(read(dir.str() + "/file/summary.csv").empty());

  // A file without an "expert" body, or --scenario with a science flag, is one line and no files.
  const std::string t2 = std::string(SGLAB_SOURCE_DIR) + "/assets/presets/T2_noisy_feedback.json";
  const CommandResult no_body = run_cli("expert-sweep --scenario " + t2 + " --outdir " + dir.str() + "/none");
  EXPECT_NE(no_body.exit_code, 0);
  EXPECT_NE(no_body.output.find("has no \"expert\" body"), std::string::npos) << no_body.output;
  const CommandResult both = run_cli("expert-sweep --scenario " + preset + " --m 3 --outdir " + dir.str() + "/both");
  EXPECT_NE(both.exit_code, 0);
  EXPECT_NE(both.output.find("--m excludes --scenario"), std::string::npos) << both.output;
  EXPECT_FALSE(std::filesystem::exists(dir.str() + "/none"));
  EXPECT_FALSE(std::filesystem::exists(dir.str() + "/both"));
}

}  // namespace
}  // namespace sglab::testing
