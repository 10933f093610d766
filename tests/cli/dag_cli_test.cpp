// sglab-cli dag: the per-node table as text, CSV and JSON; bad input is one
// line on stderr, a non-zero exit and no output file.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace {

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// A file name of this process's own under the temp dir: test runs of other
// checkouts on the same machine share /tmp.
std::string temp_file(const std::string& name) {
  return ::testing::TempDir() + std::to_string(::getpid()) + "-" + name;
}

CliRun run_cli(const std::string& args) {
  const std::string err_file = temp_file("dag_cli_stderr.txt");
  const std::string command = std::string(SGLAB_CLI_PATH) + " " + args + " 2>" + err_file;
  CliRun run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[4096];
  std::size_t got = 0;
  while ((got = fread(buffer, 1, sizeof buffer, pipe)) > 0) run.out.append(buffer, got);
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream err(err_file);
  std::stringstream text;
  text << err.rdbuf();
  run.err = text.str();
  return run;
}

std::string preset(const std::string& name) {
  return std::string(SGLAB_SOURCE_DIR) + "/assets/presets/" + name + ".json";
}

TEST(DagCli, TextTableShowsConditionsAndVerdicts) {
  const auto run = run_cli("dag --scenario " + preset("T2_noisy_feedback") + " --n 1,4");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("verdicts:"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("ECV_BP"), std::string::npos);
  EXPECT_NE(run.out.find("A.1: declared, effective"), std::string::npos);
}

TEST(DagCli, JsonVerdictsAreData) {
  const auto run = run_cli("dag --scenario " + preset("T2_noisy_feedback") + " --n 1,4 --json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto doc = nlohmann::json::parse(run.out);
  const auto& verdicts = doc["conditions"]["verdict_data"];
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_EQ(verdicts[0]["kind"], "theorem2_applies");
  EXPECT_EQ(verdicts[0]["nodes"], verdicts[0]["strict_nodes"]) << "oracle SG wins strictly where it removes ECV";
}

TEST(DagCli, CsvHasOneRowPerNodeAndN) {
  const auto run = run_cli("dag --scenario " + preset("T4_imperfect_predictor") + " --n 1,16,64 --csv");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::istringstream lines(run.out);
  std::string header, line;
  std::getline(lines, header);
  EXPECT_EQ(header.rfind("node,layer,terminal,parents,lambda,", 0), 0u) << header;
  int rows = 0;
  while (std::getline(lines, line)) ++rows;
  EXPECT_EQ(rows, 6 * 3);  // 6 non-input nodes x 3 sample sizes
}

TEST(DagCli, JsonWrittenToFile) {
  const std::string out = temp_file("dag_cli_out.json");
  std::remove(out.c_str());
  const auto run = run_cli("dag --scenario " + preset("T5_sparse") + " --json --out " + out);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(run.out.empty());
  std::ifstream file(out);
  const auto doc = nlohmann::json::parse(file);
  EXPECT_EQ(doc["mode"], "exact");
  EXPECT_EQ(doc["nodes"].size(), 7u);
  EXPECT_FALSE(doc["conditions"]["B"]["holds"].get<bool>());
  const auto& verdict = doc["conditions"]["verdict_data"][0];
  EXPECT_EQ(verdict["kind"], "theorem2_does_not_apply");
  EXPECT_EQ(verdict["theorem"], 2);
  EXPECT_TRUE(verdict["fails"]["B"].get<bool>());
  EXPECT_EQ(doc["conditions"]["verdicts"].size(), doc["conditions"]["verdict_data"].size());
  EXPECT_EQ(doc["nodes"][0]["by_n"].size(), 4u);  // default --n 1,4,16,64
  std::remove(out.c_str());
}

TEST(DagCli, SampleModeReportsLemma1) {
  const auto run = run_cli("dag --scenario " + preset("T2_noisy_feedback") +
                           " --mode sample --n 8 --trials 50 --json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto doc = nlohmann::json::parse(run.out);
  EXPECT_EQ(doc["mode"], "sample");
  EXPECT_EQ(doc["samples_per_trial"], 8);
  EXPECT_TRUE(doc["nodes"][0]["bp"]["lemma1"].is_number());
}

TEST(DagCli, BadInputFailsWithOneLineAndNoOutput) {
  const std::string out = temp_file("dag_cli_never.json");
  std::remove(out.c_str());
  const std::string bad = temp_file("dag_cli_bad.json");
  std::ofstream(bad) << R"({"schema":"sglab-scenario","version":1,"lab":"dag","name":"","description":"",
    "dag":{"inputs":3,"layers":[{"width":2,"fan_in":5},{"width":1}]}})";
  auto run = run_cli("dag --scenario " + bad + " --out " + out);
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.err.find("dag.layers[0].fan_in: 5 is larger than the previous layer's width 3"), std::string::npos)
      << run.err;
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  EXPECT_FALSE(std::ifstream(out).good());

  run = run_cli("dag --scenario " + preset("T1_dense_deterministic") + " --n 0,4");
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.err.find("--n"), std::string::npos) << run.err;

  run = run_cli("dag --scenario " + preset("T1_dense_deterministic") + " --json --csv");
  EXPECT_NE(run.exit_code, 0);

  run = run_cli("dag --scenario /nonexistent/file.json");
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.err.find("cannot open"), std::string::npos) << run.err;
  std::remove(bad.c_str());
}

}  // namespace
