// The one writer under signals and planted links (issue 10). sglab-cli is
// started with the test hook SGLAB_TEST_PAUSE_BEFORE_RENAME_MS (output_files.cpp),
// which holds it inside the write phase (every temp written, none renamed) so
// the signal lands there. An old file at the final name must survive whole.
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/cli/cli_test_support.hpp"

extern char** environ;

namespace sglab::testing {
namespace {

namespace fs = std::filesystem;

const std::string kPreset = std::string(SGLAB_SOURCE_DIR) + "/assets/presets/T2_noisy_feedback.json";
const std::string kOld = "old content, must survive whole\n";

pid_t spawn_cli(const std::vector<std::string>& args, const std::string& pause_ms) {
  std::vector<std::string> words = {SGLAB_CLI_PATH};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_words = {"SGLAB_TEST_PAUSE_BEFORE_RENAME_MS=" + pause_ms};
  for (char** e = environ; *e != nullptr; ++e) env_words.emplace_back(*e);
  std::vector<char*> envp;
  for (auto& w : env_words) envp.push_back(w.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

// Names in `dir` other than `keep` (temps are ".<final>.XXXXXX").
std::vector<std::string> others(const fs::path& dir, const std::vector<std::string>& keep) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (std::find(keep.begin(), keep.end(), name) == keep.end()) out.push_back(name);
  }
  return out;
}

// Waits (up to 60 s) until the writer's temp exists: it is then paused before the rename.
bool wait_for_temp(const fs::path& dir, const std::string& final_name) {
  for (int i = 0; i < 6000; ++i) {
    for (const auto& entry : fs::directory_iterator(dir))
      if (entry.path().filename().string().rfind("." + final_name + ".", 0) == 0) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

void write_text(const fs::path& p, const std::string& text) {
  FILE* f = std::fopen(p.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  std::fwrite(text.data(), 1, text.size(), f);
  std::fclose(f);
}

void kill_during_write(int signal_number) {
  ScratchDir dir("kill" + std::to_string(signal_number));
  const fs::path out = dir.path() / "out.csv";
  write_text(out, kOld);
  const pid_t pid = spawn_cli({"dag", "--scenario", kPreset, "--csv", "--out", out.string()}, "60000");
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(wait_for_temp(dir.path(), "out.csv"));
  ASSERT_EQ(::kill(pid, signal_number), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status)) << "status " << status;
  EXPECT_EQ(WTERMSIG(status), signal_number);
  // Never a partial or new file under the final name: the old one, whole.
  EXPECT_EQ(read_file(out), kOld);
  const auto left = others(dir.path(), {"out.csv"});
  if (signal_number == SIGKILL) {
    // SIGKILL cannot be caught: a temp may remain, but only under a temp name.
    for (const auto& name : left) EXPECT_EQ(name.rfind(".out.csv.", 0), 0u) << name;
  } else {
    EXPECT_TRUE(left.empty()) << left.size() << " stray file(s), first: " << (left.empty() ? "" : left[0]);
  }
}

TEST(OutputKill, SigintDuringWriteLeavesOldFileAndNoTemp) { kill_during_write(SIGINT); }
TEST(OutputKill, SigtermDuringWriteLeavesOldFileAndNoTemp) { kill_during_write(SIGTERM); }
TEST(OutputKill, SigkillDuringWriteNeverTouchesFinalName) { kill_during_write(SIGKILL); }

TEST(OutputKill, HookOnlyDelaysAnUninterruptedWrite) {
  ScratchDir dir("kill-none");
  const fs::path out = dir.path() / "out.csv";
  write_text(out, kOld);
  const pid_t pid = spawn_cli({"dag", "--scenario", kPreset, "--csv", "--out", out.string()}, "50");
  ASSERT_GT(pid, 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(read_file(out).rfind("node,", 0), 0u) << read_file(out).substr(0, 80);
  EXPECT_TRUE(others(dir.path(), {"out.csv"}).empty());
}

TEST(OutputSymlink, LinkAtFinalNameIsReplacedAndItsTargetUntouched) {
  ScratchDir dir("symlink-final");
  const fs::path victim = dir.path() / "victim.txt";
  write_text(victim, kOld);
  const fs::path out = dir.path() / "out.csv";
  fs::create_symlink(victim, out);
  const auto run = run_cli("dag --scenario " + kPreset + " --csv --out " + out.string());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(read_file(victim), kOld);
  EXPECT_FALSE(fs::is_symlink(out));  // rename replaced the link itself
  EXPECT_EQ(read_file(out).rfind("node,", 0), 0u);
}

TEST(OutputSymlink, LinksAtGuessableTempNamesAreNeverFollowed) {
  ScratchDir dir("symlink-temp");
  const fs::path victim = dir.path() / "victim.txt";
  write_text(victim, kOld);
  // Plausible guesses of a temp name: mkstemp's random suffix and O_EXCL never open them.
  for (const char* name : {".out.csv.XXXXXX", ".out.csv.tmp", ".out.csv.000000", "out.csv.tmp", "out.csv~",
                           ".sglab-probe.XXXXXX", ".sglab-probe.000000"})
    fs::create_symlink(victim, dir.path() / name);
  const auto run = run_cli("dag --scenario " + kPreset + " --csv --out " + (dir.path() / "out.csv").string());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(read_file(victim), kOld);
  EXPECT_EQ(others(dir.path(), {"out.csv", "victim.txt", ".out.csv.XXXXXX", ".out.csv.tmp", ".out.csv.000000",
                                "out.csv.tmp", "out.csv~", ".sglab-probe.XXXXXX", ".sglab-probe.000000"})
                .size(),
            0u);
}

}  // namespace
}  // namespace sglab::testing
