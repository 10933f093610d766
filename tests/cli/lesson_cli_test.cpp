// sglab-cli lesson --check on every shipped lesson (issue 11): each loads, each
// step's live numbers resolve and each step's checks hold on its scenario.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/cli/cli_test_support.hpp"

namespace {

using sglab::testing::run_cli;
namespace fs = std::filesystem;

std::string shipped(const std::string& name) {
  return std::string(SGLAB_SOURCE_DIR) + "/assets/lessons/" + name;
}

void expect_lesson_passes(const std::string& name) {
  const auto r = run_cli("lesson --check " + shipped(name) + " --show --threads 2");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("steps pass"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("FAIL"), std::string::npos) << r.output;
}

TEST(LessonCli, ExpertNetworkLessonPasses) { expect_lesson_passes("expert_network.json"); }
TEST(LessonCli, DagClassroomLessonPasses) { expect_lesson_passes("dag_classroom.json"); }
TEST(LessonCli, MixingDynamicsLessonPasses) { expect_lesson_passes("mixing_dynamics.json"); }
TEST(LessonCli, BanditLessonPasses) { expect_lesson_passes("bandit.json"); }

TEST(LessonCli, EveryShippedLessonIsTested) {
  int count = 0;
  for (const auto& entry : fs::directory_iterator(std::string(SGLAB_SOURCE_DIR) + "/assets/lessons"))
    if (entry.path().extension() == ".json") ++count;
  EXPECT_EQ(count, 4) << "a new lesson file needs its own test above";
}

TEST(LessonCli, FailingCheckExitsNonZeroAndNamesIt) {
  sglab::testing::ScratchDir dir("lesson-fail");
  const fs::path file = dir.path() / "fail.json";
  std::ofstream(file) << R"({"schema": "sglab-lesson", "version": 1, "title": "t", "steps": [
    {"title": "s", "scenario": {"schema": "sglab-scenario", "version": 1, "lab": "expert", "expert": {"d": 6, "k": 3, "trials": 4}},
     "try": "", "look_for": "", "checks": ["theory_ratio > 8.5", "theory_ratio > 7.5"]}]})";
  const auto r = run_cli("lesson --check " + file.string());
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("'theory_ratio > 8.5' fails (theory_ratio = 8)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("1 of 1 steps fail"), std::string::npos) << r.output;
}

TEST(LessonCli, BadFileIsOneLineNamingTheKey) {
  sglab::testing::ScratchDir dir("lesson-bad");
  const fs::path file = dir.path() / "bad.json";
  std::ofstream(file) << R"({"schema": "sglab-lesson", "version": 1, "title": "t", "steps": [
    {"title": "s", "scenario": "../nowhere.json", "try": "", "look_for": ""}]})";
  const auto r = run_cli("lesson --check " + file.string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("steps[0].scenario"), std::string::npos) << r.output;
}

}  // namespace
