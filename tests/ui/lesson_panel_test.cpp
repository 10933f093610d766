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
#include "ui/lab_widgets.hpp"

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

namespace sglab::ui {
namespace {

// The DAG lab's classroom path is the lesson file (its texts carry live numbers and
// checks): the lab's "Classroom path (lesson)" button opens it. The mouse walks down
// the lab's control column, clicking, until a click opens a lesson.
TEST(LessonPanel, DagLabClassroomButtonOpensTheLesson) {
  test::NullBackend imgui;
  AppShell shell(kAssets, 1);
  ASSERT_TRUE(shell.select_lab("dag"));
  for (int i = 0; i < 3; ++i) imgui.frame([&] { shell.draw(imgui.ui); });
  ImGuiIO& io = ImGui::GetIO();
  for (float y = 30.0f; y < 400.0f && !shell.lesson_panel().active(); y += 4.0f) {
    shell.select_lab("dag");  // a click on the tab bar may have switched tabs
    io.MousePos = ImVec2(40.0f, y);
    imgui.frame([&] { shell.draw(imgui.ui); });
    io.MouseDown[0] = true;
    imgui.frame([&] { shell.draw(imgui.ui); });
    io.MouseDown[0] = false;
    imgui.frame([&] { shell.draw(imgui.ui); });
  }
  ASSERT_TRUE(shell.lesson_panel().active()) << "no click in the DAG lab's controls opened the lesson";
  const lessons::Lesson* lesson = shell.lesson_panel().lesson();
  ASSERT_NE(lesson, nullptr);
  EXPECT_NE(lesson->source.find("dag_classroom.json"), std::string::npos) << lesson->source;
  ASSERT_EQ(lesson->steps.size(), 5u);  // T1 → T5, every step the old panel had
  for (std::size_t i = 0; i < lesson->steps.size(); ++i)
    EXPECT_EQ(lesson->steps[i].title.rfind("T" + std::to_string(i + 1) + ":", 0), 0u) << lesson->steps[i].title;
}

}  // namespace
}  // namespace sglab::ui

namespace sglab::ui {
namespace {

// A lesson step that lists shown controls hides the lab's other controls, in every lab
// with a shipped lesson; a locked control is drawn disabled; without a lesson all show.
TEST(LessonPanel, StepShowsItsControlsOnlyInEveryLab) {
  test::NullBackend imgui;
  AppShell shell(kAssets, 1);
  for (const char* file : {"expert_network.json", "dag_classroom.json", "mixing_dynamics.json", "bandit.json"}) {
    SCOPED_TRACE(file);
    ASSERT_EQ(shell.open_lesson(kAssets + "/lessons/" + file), "") << shell.error_banner();
    LessonPanel& panel = shell.lesson_panel();
    const lessons::Lesson& lesson = *panel.lesson();
    int checked = 0;
    for (int i = 0; i < static_cast<int>(lesson.steps.size()); ++i) {
      const lessons::LessonStep& step = lesson.steps[static_cast<std::size_t>(i)];
      if (step.show.empty()) continue;
      panel.go_to(i);
      if (panel.hides(step.scenario.lab)) panel.predict(1.0);
      imgui.frame([&] { shell.draw(imgui.ui); });
      EXPECT_EQ(imgui.ui.step_controls.lab, step.scenario.lab);
      EXPECT_EQ(imgui.ui.step_controls.shown, step.show);
      Lab& lab = *shell.lab(step.scenario.lab);
      const std::string filtered = imgui.drawn_text(lab);
      EXPECT_NE(filtered.find("This lesson step shows:"), std::string::npos) << filtered;
      const UiContext::StepControls kept = imgui.ui.step_controls;
      imgui.ui.step_controls = {};
      const std::string all = imgui.drawn_text(lab);
      imgui.ui.step_controls = kept;
      EXPECT_LT(filtered.size() + 40, all.size()) << "step " << i << " hides no control";
      ++checked;
    }
    EXPECT_GT(checked, 0) << "no step lists shown controls";
  }
  // The expert lab by name: step 1 shows d, k, n; σ, trials and the bootstrap are hidden
  // (a slider logs as "{ value } label").
  ASSERT_EQ(shell.open_lesson(kAssets + "/lessons/expert_network.json"), "");
  shell.lesson_panel().predict(30.0);
  imgui.frame([&] { shell.draw(imgui.ui); });
  const std::string text = imgui.drawn_text(*shell.lab("expert"));
  EXPECT_EQ(text.find("} bootstrap"), std::string::npos) << text;
  EXPECT_EQ(text.find("} trials"), std::string::npos) << text;
  EXPECT_EQ(text.find("Paper defaults"), std::string::npos) << text;
  shell.lesson_panel().close();
  imgui.frame([&] { shell.draw(imgui.ui); });
  EXPECT_TRUE(imgui.ui.step_controls.lab.empty());
  EXPECT_NE(imgui.drawn_text(*shell.lab("expert")).find("} bootstrap"), std::string::npos);
}

// A locked control is drawn disabled; others are not.
TEST(LessonPanel, LockedControlIsDrawnDisabled) {
  test::NullBackend imgui;
  imgui.ui.step_controls = {"expert", {"d"}, {"case"}};
  imgui.frame([&] {
    ImGui::Begin("probe");
    {
      ControlGate gate(imgui.ui, "expert", "case");
      EXPECT_TRUE(gate.shown());
      EXPECT_NE(GImGui->CurrentItemFlags & ImGuiItemFlags_Disabled, 0);
    }
    {
      ControlGate gate(imgui.ui, "expert", "d");
      EXPECT_TRUE(gate.shown());
      EXPECT_EQ(GImGui->CurrentItemFlags & ImGuiItemFlags_Disabled, 0);
    }
    ControlGate hidden(imgui.ui, "expert", "sigma");
    EXPECT_FALSE(hidden.shown());
    ControlGate other_lab(imgui.ui, "dag", "sigma");
    EXPECT_TRUE(other_lab.shown());
    ImGui::End();
  });
}

}  // namespace
}  // namespace sglab::ui
