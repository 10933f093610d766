// The mixing-dynamics lab on ImGui's null backend: every network choice draws,
// play advances by at most the steps asked per frame, step / reset, the newest
// settings win, scrubbing reads recorded steps, and the engine's records are
// the core's (reset replays them bit for bit).
#include "ui/dynamics/dynamics_lab.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

#include "core/dynamics/dynamics_session.hpp"
#include "dynamics_play.hpp"
#include "null_backend.hpp"
#include "ui/app_shell.hpp"

namespace sglab::ui {
namespace {

using namespace std::chrono_literals;

const std::string kAssets = std::string(SGLAB_SOURCE_DIR) + "/assets";

std::shared_ptr<const jobs::DynamicsLabSnapshot> settled(DynamicsLab& lab) {
  EXPECT_TRUE(lab.engine().runner().wait_idle(60s));
  return lab.snapshot();
}

TEST(DynamicsLabUi, EveryNetworkChoiceTrainsAndDraws) {
  test::NullBackend imgui;
  AppShell shell(kAssets, 1);
  shell.select_lab("dynamics");
  DynamicsLab& lab = shell.lab_as<DynamicsLab>("dynamics");
  const auto choices = shell.lab_as<DynamicsLab>("dynamics").choices();
  ASSERT_EQ(choices.size(), 7u) << "T1-T5, the DAG lab's network, the 40-node sparse network";
  for (int i = 0; i < static_cast<int>(choices.size()); ++i) {
    SCOPED_TRACE(choices[static_cast<std::size_t>(i)].label);
    lab.choose_network(i);
    lab.set_steps_per_frame(25);
    EXPECT_TRUE(test::play_dynamics_until(imgui, shell, 100));
    for (float scale : {1.0f, kPresenterScale}) {
      imgui.set_scale(scale);
      for (int f = 0; f < 3; ++f) imgui.frame([&] { shell.draw(imgui.ui); });
      EXPECT_STREQ(shell.active_lab().id(), "dynamics");
      EXPECT_GT(imgui.vertices, 3000);
    }
    imgui.set_scale(1.0f);
    const auto s = lab.snapshot();
    ASSERT_TRUE(s);
    EXPECT_TRUE(s->error.empty()) << s->error;
    EXPECT_GE(s->steps_done, 100);
    EXPECT_EQ(s->records.size(), static_cast<std::size_t>(s->steps_done));
    EXPECT_GE(s->records.slot_of_node(lab.selected_node()), 0);
  }
}

// Issue 11, item 7: dragging a settings slider while playing restarted the runs
// every frame and blanked all four plots each time. While the new runs have no
// steps yet the plots keep the last curves.
TEST(DynamicsLabUi, DraggingASliderWhilePlayingKeepsThePlotsDrawn) {
  test::NullBackend imgui;
  AppShell shell(kAssets, 1);
  shell.select_lab("dynamics");
  DynamicsLab& lab = shell.lab_as<DynamicsLab>("dynamics");
  lab.set_steps_per_frame(25);
  EXPECT_TRUE(test::play_dynamics_until(imgui, shell, 100));
  const auto points = [&] {
    std::size_t n = 0;
    for (const auto& series : lab.plot_specs()[0].series) n += series.y.size();
    return n;
  };
  ASSERT_GT(points(), 0u);
  lab.set_playing(true);
  for (int frame = 0; frame < 20; ++frame) {  // a drag: a new value every frame
    dynamics::TrainConfig c = lab.config();
    c.learning_rate *= frame % 2 == 0 ? 1.01 : 1.0 / 1.01;
    lab.set_config(c);
    imgui.frame([&] { shell.draw(imgui.ui); });
    EXPECT_GT(points(), 0u) << "frame " << frame << ": the loss plot blanked";
  }
  lab.set_playing(false);
  settled(lab);
}

TEST(DynamicsLabUi, PlayAdvancesAtMostTheStepsPerFrame) {
  test::NullBackend imgui;
  AppShell shell(kAssets, 1);
  DynamicsLab& lab = shell.lab_as<DynamicsLab>("dynamics");
  settled(lab);
  lab.set_steps_per_frame(7);
  lab.set_playing(true);
  int frames = 0;
  for (; frames < 10; ++frames) {
    imgui.frame([&] { shell.draw(imgui.ui); });
    std::this_thread::sleep_for(30ms);  // time for the worker's chunk
  }
  lab.set_playing(false);
  const auto s = settled(lab);
  ASSERT_TRUE(s);
  EXPECT_LE(s->steps_done, 7 * frames) << "never more than the asked steps per drawn frame";
  EXPECT_GE(s->steps_done, 7) << "the worker trained (how many frames it kept up with depends on the machine)";
  EXPECT_FALSE(lab.engine().playing());
}

TEST(DynamicsLabUi, StepResetAndReplayAreExact) {
  test::NullBackend imgui;
  AppShell shell(kAssets, 1);
  DynamicsLab& lab = shell.lab_as<DynamicsLab>("dynamics");
  settled(lab);
  for (int i = 0; i < 5; ++i) {
    lab.step_once();
    settled(lab);
  }
  auto s = settled(lab);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->steps_done, 5);
  lab.set_steps_per_frame(45);
  EXPECT_TRUE(test::play_dynamics_until(imgui, shell, 50));
  const auto first = settled(lab);
  ASSERT_TRUE(first);
  const std::int64_t done = first->steps_done;
  // The engine's records are the core's own: a fresh session with the same settings gives them bit
  // for bit.
  dynamics::DynamicsSession session(
      shell.lab_as<DynamicsLab>("dynamics").choices()[static_cast<std::size_t>(lab.network())].spec,
      lab.config());
  session.step(done);
  EXPECT_TRUE(dynamics::identical_records(session.snapshot(), first->records));
  // Reset, then train as far again: the same records (deterministic replay).
  lab.reset();
  s = settled(lab);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->steps_done, 0);
  EXPECT_TRUE(s->records.empty());
  lab.engine().advance(done);
  s = settled(lab);
  EXPECT_TRUE(dynamics::identical_records(s->records, first->records));
}

TEST(DynamicsLabUi, TheNewestSettingsWin) {
  DagLab dag(kAssets, 1);
  DynamicsLab lab(dag);
  dynamics::TrainConfig c = lab.config();
  for (int i = 1; i <= 20; ++i) {  // settings and training jobs interleaved, faster than the worker
    c.momentum = 0.5 + 0.01 * i;
    lab.set_config(c);
    lab.engine().train(3);
  }
  c.momentum = 0.75;
  lab.set_config(c);
  ASSERT_TRUE(lab.engine().runner().wait_idle(60s));
  ASSERT_TRUE(lab.engine().advance(10));
  const auto s = settled(lab);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->epoch, lab.engine().epoch());
  EXPECT_EQ(s->steps_done, 10) << "a new configuration starts again from step 0";
  // What the last set_config changes downstream: the engine trained with
  // momentum 0.75 (its records are a fresh session's at 0.75, bit for bit),
  // not with any of the earlier settings (0.70 gives other records).
  const dag::DagSpec spec = dynamics_network_choices(dag)[static_cast<std::size_t>(lab.network())].spec;
  dynamics::DynamicsSession newest(spec, c);
  newest.step(10);
  EXPECT_TRUE(dynamics::identical_records(newest.snapshot(), s->records));
  dynamics::TrainConfig older = c;
  older.momentum = 0.70;
  dynamics::DynamicsSession earlier(spec, older);
  earlier.step(10);
  EXPECT_FALSE(dynamics::identical_records(earlier.snapshot(), s->records))
      << "the momentum reaches the training (else this test could not tell the settings apart)";
}

TEST(DynamicsLabUi, PlotsAndReadOutFollowTheScrubbedRecord) {
  DagLab dag(kAssets, 1);
  DynamicsLab lab(dag);
  settled(lab);
  lab.engine().advance(120);
  const auto s = settled(lab);
  ASSERT_TRUE(s && s->records.size() == 120u);
  const int slot = s->records.slot_of_node(6);  // T2: node 6 mixes and predicts
  ASSERT_GE(slot, 0);
  const auto specs = build_dynamics_plot_specs(s.get(), slot, 49);
  // Loss: raw, smoothed and held-out (the lab's default: every 50 steps) for the three runs.
  ASSERT_EQ(specs[0].series.size(), 9u);
  // The step axis spans a sixteenth of the 20,000-step run, [0, 2000]: 400 points
  // for it, one per 5 steps (the first record of each bin of 5 steps, and the newest).
  ASSERT_TRUE(specs[0].x.max.has_value());
  EXPECT_EQ(*specs[0].x.max, 2000.0);
  EXPECT_EQ(specs[0].series[0].x.size(), 25u);
  EXPECT_EQ(specs[0].series[0].x[1], 5.0);
  EXPECT_EQ(specs[0].series[3].x.size(), 25u);                 // smoothed BP
  EXPECT_EQ(specs[0].series[0].x.back(), specs[0].series[3].x.back());
  EXPECT_EQ(specs[0].series[6].x, (std::vector<double>{50.0, 100.0}));  // held-out BP at steps 50, 100
  // The EMA starts at the first batch loss and stays inside the range of the raw losses.
  EXPECT_EQ(specs[0].series[3].y.front(), specs[0].series[0].y.front());
  // Every estimator's λ is drawn for the node, beside the exact λ*.
  int estimators = 0;
  for (const auto& series : specs[1].series)
    estimators += series.name.rfind("paper", 0) == 0 || series.name.rfind("ratio", 0) == 0;
  EXPECT_EQ(estimators, 3);
  // The tracking error per node: one series per estimator over the 5 mixing nodes of T2.
  ASSERT_EQ(specs[4].series.size(), 3u) << specs[4].empty_message;
  EXPECT_EQ(specs[4].series[0].x.size(), 5u);
  ASSERT_EQ(specs[1].vlines.size(), 1u);
  EXPECT_DOUBLE_EQ(specs[1].vlines[0].x, static_cast<double>(s->records.step(49)));
  bool has_star = false;
  for (const auto& series : specs[1].series)
    has_star = has_star || series.name.find("exact") != std::string::npos;
  EXPECT_TRUE(has_star) << "T2 is small enough for the exact λ*";
  const auto lines = dynamics_readout(*s, slot, 49);
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(lines[0].rfind("Step 50:", 0), 0u) << lines[0];
}

// Long runs are thinned for drawing; the sparse exact λ* points must survive it
// (a stride over every record once skipped all of them).
TEST(DynamicsLabUi, ExactLambdaStarStaysVisibleOnLongRuns) {
  DagLab dag(kAssets, 1);
  DynamicsLab lab(dag);  // T2: small enough for the exact λ*, every 50 steps
  settled(lab);
  lab.engine().advance(12000);
  const auto s = settled(lab);
  ASSERT_TRUE(s && s->records.size() == 12000u);
  const auto specs = build_dynamics_plot_specs(s.get(), s->records.slot_of_node(6), -1);
  const plot::Series* star = nullptr;
  for (const auto& series : specs[1].series)
    if (series.name.find("exact") != std::string::npos) star = &series;
  ASSERT_NE(star, nullptr);
  EXPECT_GE(star->x.size(), 100u);
  EXPECT_LE(star->x.front(), 100.0);
  EXPECT_GE(star->x.back(), 11000.0);
}

TEST(DynamicsLabUi, StepAxisEndsAtARoundNumberPastTheNewestStepWithinTheRun) {
  EXPECT_EQ(dynamics_step_axis_end(1, 100), 10);
  EXPECT_EQ(dynamics_step_axis_end(10, 100), 10);
  EXPECT_EQ(dynamics_step_axis_end(11, 100), 20);
  EXPECT_EQ(dynamics_step_axis_end(1, 20000), 2000) << "at least a sixteenth of the run";
  EXPECT_EQ(dynamics_step_axis_end(3000, 20000), 5000);
  EXPECT_EQ(dynamics_step_axis_end(5001, 20000), 10000);
  EXPECT_EQ(dynamics_step_axis_end(16482, 20000), 20000) << "never past the run's end";
  EXPECT_EQ(dynamics_step_axis_end(16482, 15000), 15000);
  EXPECT_EQ(dynamics_step_axis_end(16482, 0), 20000) << "no known end";
}

// Issue 12 (GUI frames): while the step axis stays, an update only adds points at
// the curves' ends (the frame loop then redraws those ends, not six whole plots):
// every series drawn before, less its newest point, starts the series drawn after.
TEST(DynamicsLabUi, GrowingRunsOnlyAddPointsAtTheCurvesEnds) {
  DagLab dag(kAssets, 1);
  DynamicsLab lab(dag);  // T2
  settled(lab);
  lab.engine().advance(3000);
  const auto before = settled(lab);
  lab.engine().advance(140);
  const auto after = settled(lab);
  ASSERT_TRUE(before && after && after->records.size() == 3140u);
  const int slot = before->records.slot_of_node(6);
  const auto a = build_dynamics_plot_specs(before.get(), slot, -1);
  const auto b = build_dynamics_plot_specs(after.get(), slot, -1);
  for (std::size_t p = 0; p < 4; ++p) {  // the plots against the step
    SCOPED_TRACE(a[p].id);
    ASSERT_TRUE(a[p].x.max && b[p].x.max);
    EXPECT_EQ(*a[p].x.max, 5000.0);
    EXPECT_EQ(*b[p].x.max, 5000.0);
    ASSERT_EQ(a[p].series.size(), b[p].series.size());
    for (std::size_t k = 0; k < a[p].series.size(); ++k) {
      const plot::Series& old_series = a[p].series[k];
      const plot::Series& new_series = b[p].series[k];
      SCOPED_TRACE(old_series.name);
      ASSERT_FALSE(old_series.x.empty());
      const std::size_t kept = old_series.x.size() - 1;
      ASSERT_GE(new_series.x.size(), kept);
      for (std::size_t i = 0; i < kept; ++i) {
        ASSERT_EQ(old_series.x[i], new_series.x[i]) << "point " << i;
        ASSERT_EQ(old_series.y[i], new_series.y[i]) << "point " << i;
      }
      EXPECT_LE(new_series.x.size(), 400u + 1);
    }
  }
}

// Issue 10: records past the memory budget are thinned, and the lab says so in a line.
TEST(DynamicsLabUi, ThinnedRecordsAreAnnounced) {
  test::NullBackend imgui;
  DagLab dag(kAssets, 1);
  DynamicsLab lab(dag);
  lab.engine().set_record_budget(std::size_t{200} << 10);  // a few record chunks
  lab.reset();
  settled(lab);
  const std::string before = imgui.drawn_text(lab);
  EXPECT_NE(before.find("seed"), std::string::npos) << "the log captured nothing: " << before;
  EXPECT_EQ(before.find("records thinned"), std::string::npos);
  lab.engine().advance(3000);
  const auto s = settled(lab);
  ASSERT_TRUE(s && s->records.thinning_passes() > 0);
  const std::string after = imgui.drawn_text(lab);
  EXPECT_NE(after.find("records thinned"), std::string::npos) << after.substr(0, 3000);
}

}  // namespace
}  // namespace sglab::ui
