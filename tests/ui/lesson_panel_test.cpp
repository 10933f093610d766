// The lesson panel (issue 11) on the null backend: a shipped lesson opens at
// its first step, its live numbers fill in, a prediction hides the lab until
// revealed, a locked control snaps back, and a bad file leaves a banner.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/ui/null_backend.hpp"
#include "ui/app_shell.hpp"
#include "ui/expert/expert_lab.hpp"

namespace sglab::ui {
namespace {

const std::string kAssets = std::string(SGLAB_SOURCE_DIR) + "/assets";

// Frames until the lesson's live numbers (and the labs' jobs) are in.
void settle(test::NullBackend& imgui, AppShell& shell) {
  for (int i = 0; i < 3000; ++i) {
    imgui.frame([&] { shell.draw(imgui.ui); });
    if (!shell.busy() && shell.lesson_panel().result()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  imgui.frame([&] { shell.draw(imgui.ui); });
}

TEST(LessonPanel, OpensFillsLiveNumbersAndRevealsAfterAPrediction) {
  test::NullBackend imgui;
  AppShell shell(kAssets, 1);
  ASSERT_EQ(shell.open_lesson(kAssets + "/lessons/expert_network.json"), "") << shell.error_banner();
  LessonPanel& panel = shell.lesson_panel();
  ASSERT_TRUE(panel.active());
  EXPECT_STREQ(shell.active_lab().id(), "expert");
  settle(imgui, shell);
  ASSERT_NE(panel.result(), nullptr) << panel.error();
  EXPECT_NE(panel.result()->try_this.find("d = 8, k = 3"), std::string::npos) << panel.result()->try_this;
  EXPECT_NE(panel.result()->look_for.find("against 2^(d−k) = 32"), std::string::npos) << panel.result()->look_for;
  EXPECT_TRUE(panel.result()->passed());
  EXPECT_TRUE(panel.hides("expert"));  // the first step asks for a prediction
  EXPECT_FALSE(panel.hides("dag"));
  panel.predict(30.0);
  EXPECT_FALSE(panel.hides("expert"));
  imgui.frame([&] { shell.draw(imgui.ui); });

  panel.go_to(2);  // no prediction asked: the lab shows at once
  EXPECT_FALSE(panel.hides("expert"));
  settle(imgui, shell);
  EXPECT_EQ(shell.lab_as<ExpertLab>("expert").scenario().noise_case, expert::NoiseCase::kActivation);
}

TEST(LessonPanel, LockedControlReturnsToTheStepValue) {
  test::NullBackend imgui;
  AppShell shell(kAssets, 1);
  ASSERT_EQ(shell.open_lesson(kAssets + "/lessons/expert_network.json"), "");
  LessonPanel& panel = shell.lesson_panel();
  panel.go_to(1);  // locks "case"
  settle(imgui, shell);
  auto& expert = shell.lab_as<ExpertLab>("expert");
  expert::ExpertScenario moved = expert.scenario();
  moved.noise_case = expert::NoiseCase::kPartial;
  moved.n = 2;  // not locked: stays
  expert.set_scenario(moved);
  imgui.frame([&] { shell.draw(imgui.ui); });
  EXPECT_EQ(expert.scenario().noise_case, expert::NoiseCase::kNoisy);
  EXPECT_EQ(expert.scenario().n, 2);
  settle(imgui, shell);
  ASSERT_NE(panel.result(), nullptr);
  EXPECT_NE(panel.result()->look_for.find("2^(10−3) = 128"), std::string::npos) << panel.result()->look_for;
}

TEST(LessonPanel, BadLessonKeepsTheLabsAndShowsABanner) {
  test::NullBackend imgui;
  AppShell shell(kAssets, 1);
  const auto file = std::filesystem::temp_directory_path() / "sglab_bad_lesson_test.json";
  std::ofstream(file) << R"({"schema": "sglab-lesson", "version": 1, "title": "t", "steps": [
    {"title": "s", "scenario": ")" << kAssets << R"(/presets/expert_1_default.json", "try": "{ratoi}", "look_for": ""}]})";
  const std::string error = shell.open_lesson(file.string());
  EXPECT_NE(error.find("steps[0].try: unknown quantity 'ratoi' of the expert lab"), std::string::npos) << error;
  EXPECT_NE(shell.error_banner().find("Could not open the lesson"), std::string::npos);
  EXPECT_FALSE(shell.lesson_panel().active());
  imgui.frame([&] { shell.draw(imgui.ui); });
  std::filesystem::remove(file);
}

}  // namespace
}  // namespace sglab::ui
