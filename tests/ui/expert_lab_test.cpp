// The expert lab and the shell on ImGui's null backend: every panel draws
// every preset (normal and presenter size) without ImGui errors, a knob
// change posts a job, a bad scenario opens the default with a visible error.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "null_backend.hpp"
#include "ui/app_settings.hpp"
#include "ui/app_shell.hpp"
#include "ui/expert/expert_lab.hpp"

namespace sglab::ui {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

const std::string kAssets = std::string(SGLAB_SOURCE_DIR) + "/assets";

void draw_until_idle(test::NullBackend& imgui, AppShell& shell, int min_frames = 3) {
  for (int i = 0; i < min_frames; ++i) imgui.frame([&] { shell.draw(imgui.ui); });
  ASSERT_TRUE(shell.lab_as<ExpertLab>("expert").runner().wait_idle(120s));
  for (int i = 0; i < 3; ++i) imgui.frame([&] { shell.draw(imgui.ui); });
}

TEST(ExpertLabUi, EveryPresetDrawsAtBothSizes) {
  test::NullBackend imgui;
  AppShell shell(kAssets, 2);
  const auto presets = shell.presets();
  ASSERT_GE(presets.size(), 5u);
  for (const auto& preset : presets) {
    if (preset.path.find("d18") != std::string::npos) continue;  // the large one: see the GUI smoke test
    if (preset.lab == "bandit") continue;  // trains before it draws plots: tests/ui/bandit_lab_test.cpp
    SCOPED_TRACE(preset.path);
    EXPECT_EQ(shell.open_scenario(preset.path), "");
    EXPECT_TRUE(shell.error_banner().empty()) << shell.error_banner();
    for (float scale : {1.0f, kPresenterScale}) {
      imgui.set_scale(scale);
      draw_until_idle(imgui, shell);
      EXPECT_GT(imgui.vertices, 4000) << "the plots and the grid draw something";  // lines: 2 vertices per point
      const auto r = shell.lab_as<ExpertLab>("expert").result();
      ASSERT_NE(r, nullptr);
      EXPECT_TRUE(r->complete);
      EXPECT_EQ(r->scenario, shell.lab_as<ExpertLab>("expert").scenario());
    }
  }
}

TEST(ExpertLabUi, PresenterFontIsAtLeastOnePointSevenFiveTimesLarger) {
  test::NullBackend imgui;
  const float base = imgui.ui.fonts.body->FontSize;
  imgui.set_scale(kPresenterScale);
  EXPECT_TRUE(imgui.ui.fonts.from_ttf) << imgui.ui.fonts.message;
  EXPECT_GE(imgui.ui.fonts.body->FontSize, 1.75f * base);
  EXPECT_GE(ImGui::GetStyle().FramePadding.y, 1.75f * 4.0f - 0.01f);
}

TEST(ExpertLabUi, ClickingACaseButtonPostsAJob) {
  test::NullBackend imgui;
  AppShell shell(kAssets, 1);
  draw_until_idle(imgui, shell);
  ExpertLab& lab = shell.lab_as<ExpertLab>("expert");
  ASSERT_EQ(lab.scenario().noise_case, expert::NoiseCase::kNoisy);
  const auto posted_before = lab.runner().last_posted_id();
  ImGuiIO& io = ImGui::GetIO();
  // Walk the mouse down the control column, clicking, until a click selects
  // case 2: the radio buttons sit above every slider.
  bool found = false;
  for (float y = 60.0f; y < 400.0f && !found; y += 4.0f) {
    io.MousePos = ImVec2(40.0f, y);
    imgui.frame([&] { shell.draw(imgui.ui); });
    io.MouseDown[0] = true;
    imgui.frame([&] { shell.draw(imgui.ui); });
    io.MouseDown[0] = false;
    imgui.frame([&] { shell.draw(imgui.ui); });
    found = lab.scenario().noise_case == expert::NoiseCase::kActivation;
    ASSERT_NE(lab.scenario().noise_case, expert::NoiseCase::kPartial) << "passed case 2 without selecting it";
  }
  ASSERT_TRUE(found);
  EXPECT_GT(lab.runner().last_posted_id(), posted_before) << "the knob change posted a job";
  ASSERT_TRUE(lab.runner().wait_idle(60s));
  imgui.frame([&] { shell.draw(imgui.ui); });
  ASSERT_NE(lab.result(), nullptr);
  EXPECT_EQ(lab.result()->scenario.noise_case, expert::NoiseCase::kActivation);
}

TEST(ExpertLabUi, NewerKnobChangeWinsOverTheOlder) {
  ExpertLab lab(1);
  expert::ExpertScenario slow;
  slow.d = 16;  // seconds of work
  lab.set_scenario(slow);
  const auto slow_id = lab.runner().last_posted_id();
  // Wait until the d = 16 job is running and has made progress, then move the knob.
  while (lab.runner().running_label().empty() || lab.runner().progress() <= 0.0)
    std::this_thread::sleep_for(1ms);
  const auto cancelled_before = lab.runner().cancelled_jobs();
  expert::ExpertScenario fast;
  fast.d = 6;
  lab.set_scenario(fast);
  ASSERT_TRUE(lab.runner().wait_idle(60s));
  ASSERT_NE(lab.result(), nullptr);
  EXPECT_EQ(lab.result()->scenario.d, 6);
  EXPECT_EQ(lab.runner().last_finished_id(), lab.runner().last_posted_id());
  EXPECT_GT(lab.runner().last_finished_id(), slow_id);
  EXPECT_EQ(lab.runner().cancelled_jobs(), cancelled_before + 1) << "the d = 16 job stopped by cancellation";
}

// Issue 11: Cancel left "Updating for the new settings…" up forever with the previous
// timing; now the lab says the result is partial, offers Resume, and times only the
// current settings' job.
TEST(ExpertLabUi, CancelLeavesALabelledPartialResultAndResumeFinishesIt) {
  test::NullBackend imgui;
  ExpertLab lab(1);
  ASSERT_TRUE(lab.runner().wait_idle(60s));
  imgui.drawn_text(lab);
  EXPECT_GT(lab.last_update_ms(), 0.0);
  expert::ExpertScenario slow;
  slow.d = 16;  // seconds of work
  lab.set_scenario(slow);
  EXPECT_EQ(lab.last_update_ms(), 0.0) << "the previous timing belongs to other settings";
  while (lab.runner().running_label().empty() || lab.runner().progress() <= 0.0) std::this_thread::sleep_for(1ms);
  lab.runner().cancel();
  ASSERT_TRUE(lab.runner().wait_idle(60s));
  EXPECT_TRUE(lab.cancelled());
  const std::string text = imgui.drawn_text(lab);
  EXPECT_EQ(text.find("Updating for the new settings"), std::string::npos) << text;
  EXPECT_NE(text.find("cancelled: partial result"), std::string::npos) << text;
  EXPECT_NE(text.find("Cancelled:"), std::string::npos) << text;
  EXPECT_EQ(text.find("updated in"), std::string::npos) << text;

  expert::ExpertScenario fast;
  fast.d = 6;
  lab.set_scenario(fast);  // what Resume or a knob change does
  ASSERT_TRUE(lab.runner().wait_idle(60s));
  EXPECT_FALSE(lab.cancelled());
  for (int i = 0; i < 2; ++i) lab.tick();  // timing is taken on tick, shown or not
  EXPECT_GT(lab.last_update_ms(), 0.0);
  const std::string after = imgui.drawn_text(lab);
  EXPECT_EQ(after.find("Cancelled"), std::string::npos) << after;
  EXPECT_NE(after.find("updated in"), std::string::npos) << after;
}

TEST(ExpertLabUi, ReadoutSaysWhySgWins) {
  ExpertLab lab(2);
  ASSERT_TRUE(lab.runner().wait_idle(60s));
  const auto r = lab.result();
  ASSERT_NE(r, nullptr);
  const std::string text = expert_readout_text(*r);
  EXPECT_NE(text.find("SG needs 1/32 of the samples BP needs"), std::string::npos) << text;
  EXPECT_NE(text.find("pools 32 states"), std::string::npos) << text;

  expert::ExpertScenario leak;
  leak.leak = 0.1;
  lab.set_scenario(leak);
  ASSERT_TRUE(lab.runner().wait_idle(60s));
  const std::string leak_text = expert_readout_text(*lab.result());
  EXPECT_NE(leak_text.find("breaks condition B"), std::string::npos) << leak_text;
  EXPECT_NE(leak_text.find("BP catches up at n"), std::string::npos) << leak_text;
}

TEST(ExpertLabUi, PlotSpecsAreTitledLabelledAndFilled) {
  ExpertLab lab(2);
  ASSERT_TRUE(lab.runner().wait_idle(60s));
  const auto specs = build_expert_plot_specs(lab.result().get(), lab.scenario());
  for (const auto& spec : specs) {
    SCOPED_TRACE(spec.id);
    EXPECT_FALSE(spec.title.empty());
    EXPECT_FALSE(spec.x.label.empty());
    EXPECT_FALSE(spec.y.label.empty());
    ASSERT_FALSE(spec.series.empty());
    bool legend = false;
    for (const auto& s : spec.series) legend |= s.in_legend && !s.name.empty();
    EXPECT_TRUE(legend);
  }
  EXPECT_EQ(specs[0].y.scale, plot::Scale::kLog);  // Figure 2a: log-scale ratio
  EXPECT_EQ(specs[1].x.scale, plot::Scale::kLog);  // MSE against n: log–log
  EXPECT_EQ(specs[1].y.scale, plot::Scale::kLog);
}

TEST(AppShellUi, BadScenarioOpensTheDefaultWithAVisibleError) {
  test::NullBackend imgui;
  AppShell shell(kAssets, 1);
  const fs::path dir = fs::temp_directory_path() / "sglab_shell_test";
  fs::create_directories(dir);
  const std::string range = (dir / "range.json").string();
  std::ofstream(range) << R"({"schema":"sglab-scenario","version":1,"lab":"expert","expert":{"d":40}})";
  const std::string malformed = (dir / "malformed.json").string();
  std::ofstream(malformed) << R"({"schema": "sglab-scenario", )";
  struct Case {
    std::string path, needle;
  };
  for (const Case& c : {Case{range, "expert.d: 40 is out of range"}, Case{malformed, "malformed JSON"},
                        Case{(dir / "missing.json").string(), "cannot open"}}) {
    SCOPED_TRACE(c.path);
    const std::string error = shell.open_scenario(c.path);
    EXPECT_NE(error.find(c.needle), std::string::npos) << error;
    EXPECT_NE(shell.error_banner().find(c.needle), std::string::npos);
    EXPECT_EQ(shell.lab_as<ExpertLab>("expert").scenario(), expert::ExpertScenario{});
    imgui.frame([&] { shell.draw(imgui.ui); });
  }
  EXPECT_EQ(shell.open_scenario(kAssets + "/presets/expert_1_default.json"), "");
  EXPECT_TRUE(shell.error_banner().empty());
}

TEST(AppShellUi, SavedScenarioReopensIdentically) {
  AppShell shell(kAssets, 1);
  ASSERT_EQ(shell.open_scenario(kAssets + "/presets/expert_4_leak_crossover.json"), "");
  const std::string path = (fs::temp_directory_path() / "sglab_saved.json").string();
  ASSERT_EQ(shell.save_scenario(path), "");
  const auto before = shell.lab_as<ExpertLab>("expert").scenario();
  ASSERT_EQ(shell.open_scenario(path), "");
  EXPECT_EQ(shell.lab_as<ExpertLab>("expert").scenario(), before);
}

TEST(AppSettingsUi, RoundTripAndDamagedFile) {
  const std::string path = (fs::temp_directory_path() / "sglab_settings_test" / "settings.json").string();
  AppSettings s;
  s.window_width = 1234;
  s.window_height = 777;
  s.presenter = true;
  s.projector = true;
  s.active_lab = "bandit";  // every registered lab is a valid active lab, not only the first two
  s.open_panels = {{"expert.pooling", false}, {"expert.controls", true}};
  ASSERT_EQ(save_settings(path, s), "");
  std::string warning;
  EXPECT_EQ(load_settings(path, &warning), s);
  EXPECT_TRUE(warning.empty());
  std::ofstream(path) << "{\"window_width\": \"wide\"}";
  EXPECT_EQ(load_settings(path, &warning), AppSettings{});
  EXPECT_NE(warning.find("window_width"), std::string::npos);

  AppShell shell(kAssets, 1);
  shell.apply_settings(s);
  EXPECT_TRUE(shell.presenter());
  EXPECT_FALSE(shell.lab_as<ExpertLab>("expert").panel_open(ExpertPanel::kPooling));
  AppSettings out;
  shell.store_settings(out);
  EXPECT_EQ(out.open_panels.at("expert.pooling"), false);
  EXPECT_EQ(out.presenter, true);
  EXPECT_EQ(out.projector, true);
  EXPECT_EQ(out.active_lab, "bandit");
}

}  // namespace
}  // namespace sglab::ui
