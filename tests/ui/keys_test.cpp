// Keys and undo (issue 11) on ImGui's null backend: each shortcut does its job
// when pressed the way the GLFW backend reports keys, nothing fires while a text
// field has the keys, undo restores a knob and the results follow, redo
// re-applies, a slider drag is one undo step, Esc closes the dialogs, and Help
// lists every shortcut and the version (and the README's table matches).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include <unistd.h>

#include "core/labs/scenario_files.hpp"
#include "null_backend.hpp"
#include "sglab/version.hpp"
#include "ui/app_shell.hpp"
#include "ui/bandit/bandit_lab.hpp"
#include "ui/dag/dag_lab.hpp"
#include "ui/dynamics/dynamics_lab.hpp"
#include "ui/expert/expert_lab.hpp"
#include "ui/shortcuts.hpp"

namespace sglab::ui {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

const std::string kAssets = std::string(SGLAB_SOURCE_DIR) + "/assets";

struct Harness {
  test::NullBackend imgui;
  AppShell shell{kAssets, 1};

  void frames(int n = 1) {
    for (int i = 0; i < n; ++i) imgui.frame([&] { shell.draw(imgui.ui); });
  }
  void press(Key key, bool ctrl = false, bool shift = false) {
    imgui.press(key, [&] { shell.draw(imgui.ui); }, ctrl, shift);
  }
  /// A click where no widget is (the status bar's right end): the mouse going up
  /// ends an edit made outside ImGui, as a click on a widget would.
  void click_nowhere() {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(io.DisplaySize.x - 3.0f, io.DisplaySize.y - 3.0f);
    frames();
    io.MouseDown[0] = true;
    frames();
    io.MouseDown[0] = false;
    frames();
  }
  int open_popups() const { return GImGui->OpenPopupStack.Size; }
  const std::string& status() const { return imgui.ui.status_message; }
};

std::shared_ptr<const jobs::ExpertLabResult> expert_settled(Harness& h) {
  ExpertLab& lab = h.shell.lab_as<ExpertLab>("expert");
  EXPECT_TRUE(lab.runner().wait_idle(120s));
  h.frames(3);
  return lab.result();
}

TEST(KeysAndUndo, UndoRestoresAKnobTheResultsFollowAndRedoReapplies) {
  Harness h;
  ExpertLab& lab = h.shell.lab_as<ExpertLab>("expert");
  expert_settled(h);
  ASSERT_EQ(lab.scenario().k, 3);
  expert::ExpertScenario s = lab.scenario();
  s.k = 4;
  lab.set_scenario(s);
  h.click_nowhere();
  auto r = expert_settled(h);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->scenario.k, 4);

  h.press(Key::kZ, /*ctrl=*/true);
  EXPECT_EQ(lab.scenario().k, 3);
  EXPECT_EQ(h.status(), "Undo: k = 4 → 3");
  r = expert_settled(h);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->scenario.k, 3) << "the results recompute for the restored knob";
  EXPECT_TRUE(r->complete);

  h.press(Key::kZ, true, /*shift=*/true);
  EXPECT_EQ(lab.scenario().k, 4);
  EXPECT_EQ(h.status(), "Redo: k = 3 → 4");
  r = expert_settled(h);
  EXPECT_EQ(r->scenario.k, 4);

  h.press(Key::kZ, true);
  EXPECT_EQ(lab.scenario().k, 3);
  h.press(Key::kY, true);  // Ctrl+Y redoes too
  EXPECT_EQ(lab.scenario().k, 4);
  h.press(Key::kY, true);
  EXPECT_EQ(lab.scenario().k, 4);
  EXPECT_EQ(h.status(), "Nothing to redo in Expert network");
}

TEST(KeysAndUndo, ANewEditAfterUndoDropsTheRedoSteps) {
  Harness h;
  ExpertLab& lab = h.shell.lab_as<ExpertLab>("expert");
  h.frames(2);
  for (int m : {4, 6}) {
    expert::ExpertScenario s = lab.scenario();
    s.m = m;
    lab.set_scenario(s);
    h.click_nowhere();
  }
  h.press(Key::kZ, true);
  EXPECT_EQ(lab.scenario().m, 4);
  expert::ExpertScenario s = lab.scenario();
  s.m = 10;
  lab.set_scenario(s);
  h.click_nowhere();
  EXPECT_FALSE(h.shell.history("expert").can_redo());
  h.press(Key::kZ, true);
  EXPECT_EQ(lab.scenario().m, 4);
  h.press(Key::kZ, true);
  EXPECT_NE(lab.scenario().m, 4) << "back to the default m";
  EXPECT_FALSE(h.shell.history("expert").can_undo());
}

// Walks the mouse down the expert lab's control column until a press grabs a
// slider (moving the mouse right then changes the knob again and again), drags it
// over several frames and lets go: the whole drag is one undo step.
TEST(KeysAndUndo, ASliderDragIsOneUndoStep) {
  Harness h;
  ExpertLab& lab = h.shell.lab_as<ExpertLab>("expert");
  h.frames(3);
  ImGuiIO& io = ImGui::GetIO();
  bool dragged = false;
  for (float y = 60.0f; y < 800.0f && !dragged; y += 6.0f) {
    const nlohmann::json before = expert::expert_scenario_to_json(lab.scenario());
    const std::size_t steps_before = h.shell.history("expert").size();
    io.MousePos = ImVec2(30.0f, y);
    h.frames();
    io.MouseDown[0] = true;
    h.frames();
    std::set<std::string> seen;
    if (ImGui::IsAnyItemActive()) {
      for (int f = 0; f < 12; ++f) {
        io.MousePos.x += 12.0f;
        h.frames();
        seen.insert(expert::expert_scenario_to_json(lab.scenario()).dump());
      }
    }
    io.MouseDown[0] = false;
    h.frames(2);
    if (seen.size() < 4) continue;  // a button, a radio button or nothing: walk on
    dragged = true;
    SCOPED_TRACE("slider at y = " + std::to_string(y));
    EXPECT_EQ(h.shell.history("expert").size(), steps_before + 1) << "one drag, one step";
    h.press(Key::kZ, true);
    EXPECT_EQ(expert::expert_scenario_to_json(lab.scenario()), before) << "one undo takes the whole drag back";
  }
  EXPECT_TRUE(dragged) << "no slider found in the control column";
  ASSERT_TRUE(lab.runner().wait_idle(120s));
}

TEST(KeysAndUndo, TheDagEditorsNIsUndoneAndTheSelectionKept) {
  Harness h;
  ASSERT_TRUE(h.shell.select_lab("dag"));
  DagLab& dag = h.shell.lab_as<DagLab>("dag");
  dag.set_sample_trials(0);
  h.frames(2);
  ASSERT_TRUE(dag.runner().wait_idle(120s));
  h.frames(2);
  const double n0 = dag.n();
  dag.set_n(n0 + 7);
  h.click_nowhere();
  const int selected = dag.spec().inputs;  // the first non-input node
  dag.select(selected);
  h.click_nowhere();  // a view change: no undo step
  h.press(Key::kZ, true);
  EXPECT_EQ(dag.n(), n0);
  EXPECT_EQ(dag.selected(), selected) << "undo restores knobs, not the selection";
  EXPECT_NE(h.status().find("n = "), std::string::npos) << h.status();
  ASSERT_TRUE(dag.runner().wait_idle(120s));
}

TEST(KeysAndUndo, OpeningAPresetIsOneUndoStep) {
  Harness h;
  ExpertLab& lab = h.shell.lab_as<ExpertLab>("expert");
  h.frames(2);
  const nlohmann::json before = expert::expert_scenario_to_json(lab.scenario());
  std::string other;
  for (const auto& p : h.shell.presets())
    if (p.lab == "expert" && p.path.find("d18") == std::string::npos &&
        labs::read_scenario(p.path).bodies.at("expert") != before)
      other = p.path;
  ASSERT_FALSE(other.empty());
  ASSERT_EQ(h.shell.open_scenario(other), "");
  h.frames();
  ASSERT_NE(expert::expert_scenario_to_json(lab.scenario()), before);
  h.press(Key::kZ, true);
  EXPECT_EQ(expert::expert_scenario_to_json(lab.scenario()), before);
  ASSERT_TRUE(lab.runner().wait_idle(120s));
}

TEST(KeysAndUndo, ShortcutsWaitWhileATextFieldHasTheKeys) {
  Harness h;
  ASSERT_TRUE(h.shell.select_lab("dynamics"));
  DynamicsLab& dyn = h.shell.lab_as<DynamicsLab>("dynamics");
  h.frames(2);
  dynamics::TrainConfig c = dyn.config();
  const std::uint64_t seed0 = c.seed;
  c.seed = seed0 + 1;
  dyn.set_config(c);
  h.click_nowhere();

  char text[64] = "";
  bool focus = true;
  auto with_field = [&] {
    h.shell.draw(h.imgui.ui);
    ImGui::Begin("typing");
    if (focus) ImGui::SetKeyboardFocusHere();
    focus = false;
    ImGui::InputText("field", text, sizeof text);
    ImGui::End();
  };
  for (int f = 0; f < 3; ++f) h.imgui.frame(with_field);  // focus, activate, then io says so
  ASSERT_TRUE(ImGui::GetIO().WantTextInput) << "the field has the keys";
  h.imgui.press(Key::kSpace, with_field);
  EXPECT_FALSE(dyn.playing()) << "space types a space, it does not play";
  h.imgui.press(Key::kZ, with_field, /*ctrl=*/true);
  EXPECT_EQ(dyn.config().seed, seed0 + 1) << "Ctrl+Z is the field's own undo";
  h.imgui.press(Key::kS, with_field, true);
  EXPECT_EQ(h.open_popups(), 0) << "Ctrl+S waits too";
  h.imgui.press(Key::kF11, with_field);
  EXPECT_TRUE(h.shell.presenter()) << "F11 types nothing: it works while typing";

  h.imgui.press(Key::kEscape, with_field);  // the field lets go of the keys
  h.imgui.frame(with_field);
  ASSERT_FALSE(ImGui::GetIO().WantTextInput);
  h.imgui.press(Key::kZ, with_field, true);
  EXPECT_EQ(dyn.config().seed, seed0);
  h.imgui.press(Key::kSpace, with_field);
  EXPECT_TRUE(dyn.playing());
  dyn.set_playing(false);
  ASSERT_TRUE(dyn.engine().runner().wait_idle(60s));
}

std::shared_ptr<const jobs::DynamicsLabSnapshot> dynamics_settled(Harness& h) {
  DynamicsLab& dyn = h.shell.lab_as<DynamicsLab>("dynamics");
  EXPECT_TRUE(dyn.engine().runner().wait_idle(60s));
  h.frames();
  return dyn.snapshot();
}

TEST(KeysAndUndo, SpaceAndArrowsPlayStepAndScrubTheMixingDynamics) {
  Harness h;
  ASSERT_TRUE(h.shell.select_lab("dynamics"));
  DynamicsLab& dyn = h.shell.lab_as<DynamicsLab>("dynamics");
  dyn.set_steps_per_frame(7);
  dynamics_settled(h);
  h.press(Key::kSpace);
  EXPECT_TRUE(dyn.playing());
  h.frames(3);
  h.press(Key::kSpace);
  EXPECT_FALSE(dyn.playing());
  dyn.reset();
  dynamics_settled(h);

  for (int i = 0; i < 5; ++i) {  // Right at the newest step trains one step
    h.press(Key::kRight);
    dynamics_settled(h);
  }
  auto s = dynamics_settled(h);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->steps_done, 5);
  const int records = static_cast<int>(s->records.size());
  ASSERT_GE(records, 4);
  EXPECT_EQ(dyn.scrub(), -1);
  h.press(Key::kLeft);
  EXPECT_EQ(dyn.scrub(), records - 2);
  h.press(Key::kLeft);
  EXPECT_EQ(dyn.scrub(), records - 3);
  h.press(Key::kRight);
  EXPECT_EQ(dyn.scrub(), records - 2);
  h.press(Key::kRight);
  EXPECT_EQ(dyn.scrub(), -1) << "back at the newest: follow it again";
  EXPECT_EQ(dynamics_settled(h)->steps_done, 5) << "scrubbing trains nothing";
  h.press(Key::kRight, false, /*shift=*/true);
  EXPECT_EQ(dynamics_settled(h)->steps_done, 5 + 7) << "Shift+Right: one frame of play";

  // Quick presses while the worker is still busy all count (none replaces the one before).
  dyn.set_steps_per_frame(1);
  dyn.set_playing(true);  // the worker is busy with the play job when the presses come
  h.frames();
  dyn.set_playing(false);
  const std::int64_t played = dynamics_settled(h)->steps_done;
  dyn.set_playing(true);
  h.frames();
  for (int i = 0; i < 4; ++i) h.press(Key::kRight);
  for (int i = 0; i < 10; ++i) dynamics_settled(h);  // steps asked while busy go out on later frames
  ASSERT_TRUE(dyn.engine().runner().wait_idle(60s));
  const std::int64_t after = dyn.snapshot()->steps_done;
  EXPECT_GE(after, played + 4) << "no press lost";
  EXPECT_LE(after, played + 4 + 3) << "the play job ran at most a few frames of 1 step";

  dyn.engine().advance(200);
  s = dynamics_settled(h);
  const int many = static_cast<int>(s->records.size());
  ASSERT_GE(many, 40);
  h.press(Key::kLeft, false, true);
  EXPECT_EQ(dyn.scrub(), many - 1 - many / 20) << "Shift+Left: a twentieth of the record";
}

TEST(KeysAndUndo, SpaceAndRightPlayAndStepTheBandit) {
  Harness h;
  ASSERT_TRUE(h.shell.select_lab("bandit"));
  BanditLab& lab = h.shell.lab_as<BanditLab>("bandit");
  bandit::BanditConfig c;
  c.data = bandit::DataSource::kSynthetic;
  c.synthetic_features = 32;
  c.synthetic_actions = 5;
  c.synthetic_train = 512;
  c.synthetic_eval = 256;
  c.eval_contexts = 200;
  c.layers = 2;
  c.width = 8;
  c.batch_size = 16;
  c.steps = 400;
  c.eval_points = 8;
  c.seeds = 2;
  lab.set_config(c);
  lab.set_steps_per_frame(3);
  ASSERT_TRUE(lab.engine().runner().wait_idle(60s));
  h.frames();
  h.press(Key::kRight);
  ASSERT_TRUE(lab.engine().runner().wait_idle(60s));
  auto s = lab.snapshot();
  ASSERT_TRUE(s && s->session);
  const auto runs = static_cast<std::int64_t>(s->session->runs.size());
  EXPECT_EQ(s->session->steps_done, runs) << "Right: one step of every run";
  h.press(Key::kRight, false, true);
  ASSERT_TRUE(lab.engine().runner().wait_idle(60s));
  EXPECT_EQ(lab.snapshot()->session->steps_done, 4 * runs) << "Shift+Right: one frame of play";
  h.press(Key::kLeft);
  ASSERT_TRUE(lab.engine().runner().wait_idle(60s));
  EXPECT_EQ(lab.snapshot()->session->steps_done, 4 * runs) << "Left means nothing here";
  h.press(Key::kSpace);
  EXPECT_TRUE(lab.playing());
  h.press(Key::kSpace);
  EXPECT_FALSE(lab.playing());
  ASSERT_TRUE(lab.engine().runner().wait_idle(60s));
}

TEST(KeysAndUndo, F11TogglesPresenterModeAndSpaceNeverPressesAFocusedButton) {
  Harness h;
  h.frames();
  EXPECT_FALSE(h.shell.presenter());
  h.press(Key::kF11);
  EXPECT_TRUE(h.shell.presenter());
  h.press(Key::kF11);
  EXPECT_FALSE(h.shell.presenter());
  // Keyboard navigation would make space press the focused widget as well.
  ImGui::GetIO().ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  h.frames();
  EXPECT_EQ(ImGui::GetIO().ConfigFlags & ImGuiConfigFlags_NavEnableKeyboard, 0);
}

TEST(KeysAndUndo, CtrlSAsksWhereFirstThenWritesThatFile) {
  Harness h;
  h.frames();
  h.press(Key::kS, /*ctrl=*/true);
  EXPECT_EQ(h.open_popups(), 1) << "the first Ctrl+S is Save as…";
  h.press(Key::kEscape);
  EXPECT_EQ(h.open_popups(), 0) << "Esc closes the Save dialog";

  const fs::path file = fs::temp_directory_path() / ("sglab_keys_" + std::to_string(::getpid()) + ".json");
  ASSERT_EQ(h.shell.save_scenario(file.string()), "");
  EXPECT_EQ(h.shell.quick_save_path(), fs::absolute(file).lexically_normal().string());
  ExpertLab& lab = h.shell.lab_as<ExpertLab>("expert");
  expert::ExpertScenario s = lab.scenario();
  s.k = 5;
  lab.set_scenario(s);
  h.press(Key::kS, true);
  EXPECT_EQ(h.open_popups(), 0) << "no dialog: it writes the same file";
  EXPECT_EQ(h.status(), "Saved " + h.shell.quick_save_path());
  EXPECT_EQ(labs::read_scenario(file.string()).bodies.at("expert").at("k"), 5);
  fs::remove(file);

  // Another scenario opened: Ctrl+S must not write it over the file saved before.
  ASSERT_EQ(h.shell.open_scenario(kAssets + "/presets/expert_1_default.json"), "");
  EXPECT_EQ(h.shell.quick_save_path(), "");
  h.press(Key::kS, true);
  EXPECT_EQ(h.open_popups(), 1);
  EXPECT_FALSE(fs::exists(file));
  ASSERT_TRUE(lab.runner().wait_idle(120s));
}

TEST(KeysAndUndo, EscClosesTheOpenLessonDialog) {
  Harness h;
  h.frames();
  h.shell.lesson_panel().request_open_dialog();
  h.frames(2);
  ASSERT_EQ(h.open_popups(), 1);
  h.press(Key::kEscape);
  EXPECT_EQ(h.open_popups(), 0);
}

TEST(KeysAndUndo, HelpListsEveryShortcutAndTheVersion) {
  Harness h;
  h.frames();
  h.press(Key::kF1);
  ASSERT_TRUE(h.shell.keyboard_help_shown());
  ImGuiWindow* window = ImGui::FindWindowByName("Keyboard and mouse");
  ASSERT_NE(window, nullptr);
  EXPECT_TRUE(window->Active) << "the Help window is drawn";

  const auto lines = h.shell.keyboard_help_lines();
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.front().text, std::string("sglab ") + kVersion);
  std::string all;
  for (const auto& l : lines) all += l.text + "\n";
  for (const char* keys : {"Space", "Left", "Right", "Ctrl+Z", "Ctrl+Shift+Z", "Ctrl+Y", "Ctrl+S", "F11", "F1", "Esc"})
    EXPECT_NE(all.find(keys), std::string::npos) << keys;
  for (const auto& k : app_shortcuts()) EXPECT_NE(all.find(k.keys + ": " + k.action), std::string::npos) << k.keys;
  for (const auto& lab : h.shell.labs()) {
    for (const auto& k : lab->keyboard_help())
      EXPECT_NE(all.find(k.keys + ": " + k.action), std::string::npos) << lab->id() << ": " << k.keys;
  }
  // The labs that train say what space and the arrows do there.
  for (const char* id : {"dynamics", "bandit"}) {
    std::string keys;
    for (const auto& k : h.shell.lab(id)->keyboard_help()) keys += k.keys + "|";
    EXPECT_NE(keys.find("Space"), std::string::npos) << id;
    EXPECT_NE(keys.find("Right"), std::string::npos) << id;
  }
  h.press(Key::kF1);
  EXPECT_FALSE(h.shell.keyboard_help_shown());
}

TEST(KeysAndUndo, TheReadmeTableMatchesTheShortcutsInCode) {
  std::ifstream in(std::string(SGLAB_SOURCE_DIR) + "/README.md");
  ASSERT_TRUE(in) << "README.md";
  std::stringstream text;
  text << in.rdbuf();
  const std::string readme = text.str();
  for (const auto& k : app_shortcuts())
    EXPECT_NE(readme.find("| " + k.keys + " | " + k.action + " |"), std::string::npos)
        << "README.md lacks the row for " << k.keys;
}

}  // namespace
}  // namespace sglab::ui
