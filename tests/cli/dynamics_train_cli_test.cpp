// sglab-cli train (issue 5): output columns and rows, overrides, bad input.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/cli/cli_test_support.hpp"

namespace sglab::testing {
namespace {

const std::string kT2 = std::string(SGLAB_SOURCE_DIR) + "/assets/presets/T2_noisy_feedback.json";

std::size_t line_count(const std::string& text) {
  std::size_t n = 0;
  for (char ch : text) n += ch == '\n';
  return n;
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells(1);
  for (char ch : line) {
    if (ch == ',')
      cells.emplace_back();
    else
      cells.back() += ch;
  }
  return cells;
}

TEST(DynamicsTrainCli, WritesLongCsv) {
  ScratchDir dir("train-cli-csv");
  const auto out = dir.path() / "run.csv";
  const CommandResult run = run_cli("train --scenario " + kT2 + " --steps 40 --batch 16 --lr 0.05 --seed 3 "
                                    "--momentum 0.8 --lambda 0.5 --exact-every 10 --out " + out.string());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const std::string csv = read_file(out);
  const std::string header = csv.substr(0, csv.find('\n'));
  EXPECT_EQ(header,
            "step,node,layer,terminal,loss_bp,loss_sg_fixed,loss_sg_adaptive,lambda_fixed,lambda_adaptive,"
            "lambda_batch,lambda_batch_raw,v,c,b2,clipped,degenerate,predictor_error_fixed,"
            "predictor_error_adaptive,lambda_star_exact,diverged,lambda_paper,lambda_ratio,lambda_bias_corrected,"
            "eval_loss_bp,"
            "eval_loss_sg_fixed,eval_loss_sg_adaptive");
  EXPECT_EQ(line_count(csv), 1u + 40u * 6u);  // 6 non-input nodes on T2
  // Step 10, node 3: lambda_fixed 0.5 and an exact λ* present; step 9 has none.
  std::istringstream lines(csv);
  std::string line;
  bool saw10 = false, saw9 = false;
  while (std::getline(lines, line)) {
    if (line.rfind("10,3,", 0) == 0) {
      saw10 = true;
      EXPECT_NE(line.find(",0.5,"), std::string::npos) << line;
      // lambda_star_exact is filled on step 10; the diverged cell after it is empty;
      // the paper estimator drives the adaptive run (lambda_adaptive == lambda_paper).
      const auto cells = split(line);
      ASSERT_EQ(cells.size(), 26u) << line;
      EXPECT_FALSE(cells[18].empty()) << line;
      EXPECT_TRUE(cells[19].empty()) << line;
      EXPECT_EQ(cells[8], cells[20]) << line;
      EXPECT_FALSE(cells[21].empty()) << line;
      EXPECT_FALSE(cells[22].empty()) << line;
      EXPECT_TRUE(cells[23].empty()) << line;  // no --eval-every
    }
    if (line.rfind("9,3,", 0) == 0) {
      saw9 = true;
      EXPECT_TRUE(split(line)[18].empty()) << line;
    }
  }
  EXPECT_TRUE(saw10 && saw9);
  EXPECT_FALSE(std::filesystem::exists(out.string() + ".tmp"));
  // The tracking summary next to --out: 5 mixing nodes × 2 estimators + 2 means, and one stderr line.
  const std::string tracking = read_file(dir.path() / "run_lambda_tracking.csv");
  EXPECT_EQ(tracking.substr(0, tracking.find('\n')),
            "node,layer,estimator,drives_adaptive_run,exact_points,from_step,to_step,tracking_error");
  EXPECT_EQ(line_count(tracking), 1u + 3u * (5u + 1u));
  EXPECT_NE(tracking.find("\n3,1,paper,1,2,21,40,"), std::string::npos) << tracking;  // steps 30 and 40
  EXPECT_NE(tracking.find("\nmean,,ratio,0,5,21,40,"), std::string::npos) << tracking;
  EXPECT_NE(run.output.find("seed 3: lambda tracking error"), std::string::npos) << run.output;
  // Same command twice: identical bytes (deterministic replay).
  const auto again = dir.path() / "again.csv";
  ASSERT_EQ(run_cli("train --scenario " + kT2 + " --steps 40 --batch 16 --lr 0.05 --seed 3 --momentum 0.8 "
                    "--lambda 0.5 --exact-every 10 --quiet --out " + again.string())
                .exit_code,
            0);
  EXPECT_EQ(read_file(again), csv);
}

// --lambda-estimator ratio: the ratio estimator drives the run (lambda_adaptive == lambda_ratio,
// drives_adaptive_run flips); --eval-every fills the held-out losses every K steps; --tracking names the file.
TEST(DynamicsTrainCli, RatioEstimatorDrivesAndHeldOutLoss) {
  ScratchDir dir("train-cli-ratio");
  const auto out = dir.path() / "r.csv";
  const auto tracking = dir.path() / "track.csv";
  const CommandResult run = run_cli("train --scenario " + kT2 + " --steps 20 --batch 16 --seed 3 --exact-every 10 "
                                    "--lambda-estimator ratio --eval-every 5 --quiet --tracking " + tracking.string() +
                                    " --out " + out.string());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  std::istringstream lines(read_file(out));
  std::string line;
  std::getline(lines, line);
  int rows = 0, evaluated = 0;
  while (std::getline(lines, line)) {
    const auto cells = split(line);
    ASSERT_EQ(cells.size(), 26u) << line;
    ++rows;
    if (cells[3] == "0") {
      EXPECT_EQ(cells[8], cells[21]) << line;
    }
    const bool eval_step = std::stoi(cells[0]) % 5 == 0;
    EXPECT_EQ(cells[23].empty(), !eval_step) << line;
    evaluated += eval_step;
  }
  EXPECT_EQ(rows, 20 * 6);
  EXPECT_EQ(evaluated, 4 * 6);
  const std::string summary = read_file(tracking);
  EXPECT_NE(summary.find("\nmean,,ratio,1,"), std::string::npos) << summary;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "r_lambda_tracking.csv"));
  EXPECT_NE(run_cli("train --scenario " + kT2 + " --steps 5 --lambda-estimator mean --out " + out.string()).exit_code,
            0);
}

TEST(DynamicsTrainCli, BadInputFailsWithOneLineAndNoFile) {
  ScratchDir dir("train-cli-bad");
  const auto out = dir.path() / "run.csv";
  const std::string bad_json = (dir.path() / "bad.json").string();
  { std::ofstream(bad_json) << "{\"schema\": \"sglab-scenario\", "; }
  const std::string bad_train = (dir.path() / "bad_train.json").string();
  {
    std::ifstream in(kT2);
    std::stringstream text;
    text << in.rdbuf();
    std::string doc = text.str();
    doc.insert(doc.find('{') + 1, "\"train\": {\"momentum\": 2},");
    std::ofstream(bad_train) << doc;
  }
  struct Case {
    std::string args, expect;
  };
  const Case cases[] = {
      {"--scenario " + (dir.path() / "missing.json").string(), "missing.json"},
      {"--scenario " + bad_json, "bad.json"},
      {"--scenario " + bad_train, "train.momentum"},
      {"--scenario " + kT2 + " --momentum 1.5", "--momentum"},
      {"--scenario " + kT2 + " --steps 0", "--steps"},
      {"--scenario " + kT2 + " --batch 1", "--batch"},
      {"--scenario " + kT2 + " --lambda -0.2", "--lambda"},
  };
  for (const Case& c : cases) {
    const CommandResult run = run_cli("train " + c.args + " --out " + out.string());
    EXPECT_NE(run.exit_code, 0) << c.args;
    EXPECT_EQ(line_count(run.output), 1u) << run.output;
    EXPECT_NE(run.output.find(c.expect), std::string::npos) << run.output;
    EXPECT_FALSE(std::filesystem::exists(out)) << c.args;
    EXPECT_FALSE(std::filesystem::exists(out.string() + ".tmp")) << c.args;
  }
  const CommandResult unwritable =
      run_cli("train --scenario " + kT2 + " --steps 5 --out " + (dir.path() / "no" / "such" / "x.csv").string());
  EXPECT_NE(unwritable.exit_code, 0);
  EXPECT_EQ(line_count(unwritable.output), 1u) << unwritable.output;
  EXPECT_NE(unwritable.output.find("--out"), std::string::npos) << unwritable.output;
}

}  // namespace
}  // namespace sglab::testing
