// One validation path (issue 10): every scenario file of the bad-input corpus
// that sglab-cli refuses also fails to open in the app, with the same message
// in the error banner (both go through labs::read_scenario).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/cli/cli_test_support.hpp"
#include "ui/app_shell.hpp"

namespace sglab::ui {
namespace {

const std::string kSource = SGLAB_SOURCE_DIR;

// The CLI's one line without its "sglab-cli: error: " prefix and newline.
std::string cli_message(const std::string& path) {
  const auto run = testing::run_cli("dag --scenario " + path + " --n 1");
  EXPECT_NE(run.exit_code, 0) << path;
  std::string line = run.output.substr(0, run.output.find('\n'));
  const std::string prefix = "sglab-cli: error: ";
  return line.rfind(prefix, 0) == 0 ? line.substr(prefix.size()) : line;
}

TEST(BadScenarioUi, AppRefusesWhatTheCliRefusesWithTheSameMessage) {
  std::ifstream index(kSource + "/tests/data/bad_inputs/scenarios.tsv");
  std::string row;
  int checked = 0;
  while (std::getline(index, row)) {
    if (row.empty() || row[0] == '#') continue;
    const std::string path = kSource + "/tests/data/bad_inputs/scenarios/" + row.substr(0, row.find('\t'));
    const std::string expected = cli_message(path);
    AppShell shell(kSource + "/assets", 1);
    const std::string error = shell.open_scenario(path);
    EXPECT_EQ(error, expected) << path;
    EXPECT_NE(shell.error_banner().find(expected), std::string::npos) << shell.error_banner();
    ++checked;
  }
  EXPECT_GE(checked, 30);
}

}  // namespace
}  // namespace sglab::ui
