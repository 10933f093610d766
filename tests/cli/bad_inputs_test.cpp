// The bad-input corpus (issue 10, tests/data/bad_inputs/): every argument line
// and every scenario file is refused with one line that names the problem, a
// non-zero exit, and nothing left on disk.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "tests/cli/cli_test_support.hpp"

namespace sglab::testing {
namespace {

namespace fs = std::filesystem;

const std::string kCorpus = std::string(SGLAB_SOURCE_DIR) + "/tests/data/bad_inputs";

// Rows of a corpus index: "a<TAB>b", '#' comments and blank lines skipped.
std::vector<std::pair<std::string, std::string>> read_index(const std::string& path) {
  std::vector<std::pair<std::string, std::string>> rows;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    rows.emplace_back(line.substr(0, tab), line.substr(tab + 1));
  }
  return rows;
}

std::string substitute(std::string text, const std::string& key, const std::string& value) {
  for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size()))
    text.replace(at, key.size(), value);
  return text;
}

void expect_refused(const CommandResult& run, const std::string& fragment, const fs::path& scratch,
                    const std::string& what) {
  EXPECT_NE(run.exit_code, 0) << what;
  EXPECT_NE(run.output.find(fragment), std::string::npos) << what << "\n  wanted: " << fragment
                                                          << "\n  got: " << run.output;
  // One line: a single newline, at the end.
  EXPECT_EQ(run.output.find('\n'), run.output.size() - 1) << what << "\n  got: " << run.output;
  EXPECT_TRUE(fs::is_empty(scratch)) << what << ": left " << fs::directory_iterator(scratch)->path();
}

TEST(BadInputs, EveryArgumentLineIsRefusedWithOneNamingLine) {
  const auto rows = read_index(kCorpus + "/cli_args.tsv");
  ASSERT_GE(rows.size(), 40u);
  ScratchDir scratch("bad-args");
  for (const auto& [fragment, raw] : rows) {
    std::string args = substitute(raw, "@OUT@", scratch.str());
    args = substitute(args, "@T2@", std::string(SGLAB_SOURCE_DIR) + "/assets/presets/T2_noisy_feedback.json");
    args = substitute(args, "@TRAIN@", std::string(SGLAB_SOURCE_DIR) + "/tests/data/scenarios_v1/train_scenario.json");
    expect_refused(run_cli(args), fragment, scratch.path(), args);
  }
}

TEST(BadInputs, EveryScenarioFileIsRefusedWithOneNamingLine) {
  const auto rows = read_index(kCorpus + "/scenarios.tsv");
  ASSERT_GE(rows.size(), 30u);
  ScratchDir scratch("bad-scenarios");
  for (const auto& [file, fragment] : rows) {
    const std::string path = kCorpus + "/scenarios/" + file;
    ASSERT_TRUE(fs::exists(path)) << path;
    for (const std::string& command :
         {"dag --scenario " + path + " --out " + scratch.str() + "/d.csv --write-scenario " + scratch.str() + "/s.json",
          "train --scenario " + path + " --out " + scratch.str() + "/t.csv"}) {
      const auto run = run_cli(command);
      expect_refused(run, fragment, scratch.path(), command);
      EXPECT_NE(run.output.find(file), std::string::npos) << "the message names the file: " << run.output;
    }
  }
}

// Every file of the corpus is listed (a file added without an expectation fails).
TEST(BadInputs, IndexCoversEveryScenarioFile) {
  const auto rows = read_index(kCorpus + "/scenarios.tsv");
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(kCorpus + "/scenarios")) {
    ++files;
    const std::string name = entry.path().filename().string();
    EXPECT_TRUE(std::any_of(rows.begin(), rows.end(), [&](const auto& r) { return r.first == name; })) << name;
  }
  EXPECT_EQ(files, rows.size());
}

}  // namespace
}  // namespace sglab::testing
