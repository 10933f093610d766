// The DAG lab on ImGui's null backend: every preset draws (normal and
// presenter size) with the core's verdicts, clicking the graph selects a node,
// edits post a job and the newest edit wins, spec edits stay resolvable, a DAG
// scenario opens the DAG tab and saves back, and the classroom texts' claims hold.
#include "ui/dag/dag_lab.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "core/dag/dag_generation.hpp"
#include "core/dag/dag_limits.hpp"
#include "core/dag/dag_spec_json.hpp"
#include "core/dag/dag_verdict_text.hpp"
#include "null_backend.hpp"
#include "core/labs/scenario_files.hpp"
#include "ui/app_shell.hpp"
#include "ui/dag/dag_spec_edits.hpp"

namespace sglab::ui {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

const std::string kAssets = std::string(SGLAB_SOURCE_DIR) + "/assets";

void draw_until_idle(test::NullBackend& imgui, AppShell& shell) {
  for (int i = 0; i < 3; ++i) imgui.frame([&] { shell.draw(imgui.ui); });
  ASSERT_TRUE(shell.lab_as<DagLab>("dag").runner().wait_idle(120s));
  for (int i = 0; i < 3; ++i) imgui.frame([&] { shell.draw(imgui.ui); });
}

std::shared_ptr<const jobs::DagLabResult> settled(DagLab& lab) {
  EXPECT_TRUE(lab.runner().wait_idle(120s));
  return lab.result();
}

TEST(DagLabUi, LoadsTheFivePresetsInClassroomOrder) {
  DagLab lab(kAssets, 1);
  ASSERT_EQ(lab.presets().size(), 5u);
  const char* ids[] = {"T1", "T2", "T3", "T4", "T5"};
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(lab.presets()[i].id, ids[i]);
    EXPECT_FALSE(lab.presets()[i].name.empty());
    EXPECT_FALSE(lab.presets()[i].description.empty());  // the picker's tooltip
  }
  EXPECT_EQ(lab.preset_index(), 0);
}

TEST(DagLabUi, EveryPresetDrawsAtBothSizesWithTheCoreVerdict) {
  test::NullBackend imgui;
  AppShell shell(kAssets, 2);
  shell.select_lab("dag");
  DagLab& lab = shell.lab_as<DagLab>("dag");
  lab.set_sample_trials(40);
  for (int p = 0; p < 5; ++p) {
    SCOPED_TRACE(lab.presets()[static_cast<std::size_t>(p)].name);
    ASSERT_TRUE(lab.open_preset(p));
    for (float scale : {1.0f, kPresenterScale}) {
      imgui.set_scale(scale);
      draw_until_idle(imgui, shell);
      EXPECT_STREQ(shell.active_lab().id(), "dag");
      EXPECT_GT(imgui.vertices, 5000) << "graph, bars and plots draw something";
      const auto r = lab.result();
      ASSERT_NE(r, nullptr);
      EXPECT_TRUE(r->error.empty()) << r->error;
      EXPECT_TRUE(r->complete);
      EXPECT_EQ(r->request_version, lab.edits());
      ASSERT_TRUE(r->analysis);
      EXPECT_EQ(r->curves.size(), r->analysis->nodes.size());
      EXPECT_EQ(r->samples.size(), r->request.sample_ns.size());
      ASSERT_FALSE(r->conditions.verdicts.empty());
      EXPECT_GE(r->index_of(lab.selected()), 0) << "a node is selected once the analysis is in";
    }
    const auto r = lab.result();
    const dag::DagVerdict& verdict = r->conditions.verdicts.front();
    const dag::DagVerdictKind expected =
        p == 0 ? dag::DagVerdictKind::theorem1_applies
               : (p == 1 ? dag::DagVerdictKind::theorem2_applies : dag::DagVerdictKind::theorem2_does_not_apply);
    EXPECT_EQ(verdict.kind, expected) << dag::describe(verdict, r->conditions);
  }
}

TEST(DagLabUi, ClickingTheGraphSelectsANode) {
  test::NullBackend imgui;
  AppShell shell(kAssets, 1);
  shell.select_lab("dag");
  DagLab& lab = shell.lab_as<DagLab>("dag");
  lab.set_sample_trials(0);
  ASSERT_TRUE(lab.open_preset(1));  // T2: nodes 3..8
  draw_until_idle(imgui, shell);
  const int first = lab.selected();
  ASSERT_EQ(first, 3) << "the first hidden node is selected by default";
  ImGuiIO& io = ImGui::GetIO();
  // Walk the mouse over the upper-left quarter of the lab (where the graph is), clicking.
  bool changed = false;
  for (float y = 150.0f; y < 520.0f && !changed; y += 10.0f) {
    for (float x = 360.0f; x < 900.0f && !changed; x += 10.0f) {
      io.MousePos = ImVec2(x, y);
      imgui.frame([&] { shell.draw(imgui.ui); });
      io.MouseDown[0] = true;
      imgui.frame([&] { shell.draw(imgui.ui); });
      io.MouseDown[0] = false;
      imgui.frame([&] { shell.draw(imgui.ui); });
      changed = lab.selected() != first;
    }
  }
  EXPECT_TRUE(changed) << "no click on the graph changed the selection";
  const auto r = lab.result();
  EXPECT_GE(r->index_of(lab.selected()), 0) << "only analysed (non-input) nodes can be selected";
  // The plots follow the selection.
  const DagPlots plots = build_dag_plots(r.get(), lab.selected());
  EXPECT_NE(plots.specs[0].title.find("node " + std::to_string(lab.selected())), std::string::npos)
      << plots.specs[0].title;
}

TEST(DagLabUi, AnEditPostsAJobAndTheConditionsFollow) {
  DagLab lab(kAssets, 1);
  lab.set_sample_trials(0);
  ASSERT_TRUE(lab.open_preset(1));  // T2: σ = 0.5, A.1 holds
  auto r = settled(lab);
  ASSERT_TRUE(r && r->analysis);
  EXPECT_TRUE(r->conditions.a1.effective);
  const auto posted = lab.runner().last_posted_id();
  dag::DagSpec spec = lab.spec();
  set_sigma(spec, 0.0);
  lab.set_spec(spec, lab.name());
  EXPECT_GT(lab.runner().last_posted_id(), posted);
  r = settled(lab);
  ASSERT_TRUE(r && r->analysis);
  EXPECT_EQ(r->request_version, lab.edits());
  EXPECT_FALSE(r->conditions.a1.declared);
  EXPECT_EQ(r->conditions.verdicts.front().kind, dag::DagVerdictKind::theorem1_applies)
      << "σ = 0 on dense T2 is T1's case";
}

TEST(DagLabUi, TheNewestEditWins) {
  DagLab lab(kAssets, 1);
  lab.set_sample_trials(20);
  ASSERT_TRUE(lab.open_preset(3));
  for (int i = 1; i <= 30; ++i) lab.set_n(static_cast<double>(i));
  const auto r = settled(lab);
  ASSERT_TRUE(r && r->analysis);
  EXPECT_EQ(r->request_version, lab.edits());
  EXPECT_DOUBLE_EQ(r->request.n, 30.0);
  EXPECT_TRUE(r->complete);
}

TEST(DagLabUi, EditorEditsKeepTheSpecResolvable) {
  DagLab lab(kAssets, 1);
  for (const DagPreset& p : lab.presets()) {
    SCOPED_TRACE(p.name);
    dag::DagSpec s = p.spec;
    set_layer_width(s, 1, 4);
    EXPECT_NO_THROW(dag::resolve_dag_spec(s));
    set_layer_fan_in(s, 1, 2);
    EXPECT_NO_THROW(dag::resolve_dag_spec(s));
    add_hidden_layer(s);
    EXPECT_NO_THROW(dag::resolve_dag_spec(s));
    set_node_lambda(s, s.inputs, 0.25);
    EXPECT_EQ(node_lambda(s, s.inputs), std::optional<double>(0.25));
    remove_hidden_layer(s, 2);
    EXPECT_NO_THROW(dag::resolve_dag_spec(s));
    set_inputs(s, 2);
    EXPECT_NO_THROW(dag::resolve_dag_spec(s));
    set_teacher_mode(s, DagTeacherMode::kInputs);
    EXPECT_EQ(teacher_mode(dag::resolve_dag_spec(s)), DagTeacherMode::kInputs);
    reseed(s, 99);
    EXPECT_EQ(teacher_mode(dag::resolve_dag_spec(s)), DagTeacherMode::kInputs)
        << "a new seed keeps the teacher mode";
    set_global_lambda(s, 0.5);
    EXPECT_FALSE(has_node_lambdas(s));
    EXPECT_NO_THROW(dag::resolve_dag_spec(s));
  }
}

// The T3 classroom text says: dropout on the first hidden layer instead makes
// oracle SG identical to BP (THEORY.md §7, last paragraph).
TEST(DagLabUi, TheT3CounterExampleHolds) {
  DagLab lab(kAssets, 1);
  lab.set_sample_trials(0);
  dag::DagSpec s = lab.presets()[2].spec;
  set_layer_q(s, 1, 0.5);
  set_layer_q(s, 2, 1.0);
  lab.set_spec(s, "T3 moved");
  const auto r = settled(lab);
  ASSERT_TRUE(r && r->analysis) << (r ? r->error : "");
  for (const auto& node : r->analysis->nodes) {
    const double scale = node.bp.total_variance + node.mu.squaredNorm();
    EXPECT_LE(node.sg_bp_distance, 1e-10 * scale) << "node " << node.node;
  }
}

TEST(DagLabUi, BHeadlineNamesTheWorstNode) {
  DagLab lab(kAssets, 1);
  lab.set_sample_trials(0);
  ASSERT_TRUE(lab.open_preset(4));  // T5: B fails, worst at node 6
  const auto r = settled(lab);
  ASSERT_TRUE(r && r->analysis);
  const std::string line = dag_b_headline(*r);
  EXPECT_EQ(
      line.rfind("B fails at node " + std::to_string(r->conditions.b.measured_node) + ": Bgap = ", 0),
      0u)
      << line;
  EXPECT_NE(line.find("% of E‖g‖²"), std::string::npos) << line;
}

TEST(DagLabUi, ADagScenarioOpensTheDagTabAndSavesBack) {
  test::NullBackend imgui;
  AppShell shell(kAssets, 1);
  shell.lab_as<DagLab>("dag").set_sample_trials(0);
  const std::string t4 = kAssets + "/presets/T4_imperfect_predictor.json";
  ASSERT_EQ(shell.open_scenario(t4), "");
  EXPECT_TRUE(shell.error_banner().empty()) << shell.error_banner();
  draw_until_idle(imgui, shell);
  EXPECT_STREQ(shell.active_lab().id(), "dag");
  EXPECT_EQ(shell.lab_as<DagLab>("dag").name(), "T4 imperfect-predictor");
  EXPECT_EQ(shell.lab_as<DagLab>("dag").preset_index(), 3);
  const fs::path out = fs::temp_directory_path() / "sglab_dag_lab_test_T4.json";
  ASSERT_EQ(shell.save_scenario(out.string()), "");
  const config::Scenario saved = labs::read_scenario(out.string());
  const config::Scenario original = labs::read_scenario(t4);
  EXPECT_EQ(*saved.body("dag"), *original.body("dag"));
  EXPECT_EQ(saved.name, original.name);
  EXPECT_EQ(saved.lab, "dag");
  // The saved whole-state file opens in the CLI's reader of every command too.
  EXPECT_EQ(dag::dag_spec_to_json(labs::load_dag_spec(out.string())), *original.body("dag"));
  fs::remove(out);
}

// Issue 5, end to end: an edit reaches the screen — the frames drawn after an
// edit show that edit's exact views (conditions, graph, bars, lines) while the
// UI keeps drawing. The times are printed, not asserted (a busy machine would
// fail a wall-clock bound for the wrong reason); the speed target (< 100 ms)
// is measured by bench/dag_lab_job_bench.cpp (tools/bench.sh).
TEST(DagLabUi, AnEditReachesTheScreen) {
  test::NullBackend imgui;
  AppShell shell(kAssets, 1);
  shell.select_lab("dag");
  DagLab& lab = shell.lab_as<DagLab>("dag");
  lab.set_sample_trials(200);
  for (int p = 0; p < 5; ++p) {
    ASSERT_TRUE(lab.open_preset(p));
    draw_until_idle(imgui, shell);
    std::vector<double> times;
    for (double sigma : {0.3, 0.0, 0.7}) {
      dag::DagSpec spec = lab.spec();
      set_sigma(spec, sigma);
      const auto start = std::chrono::steady_clock::now();
      lab.set_spec(spec, lab.name());
      double ms = -1;
      while (ms < 0 && std::chrono::steady_clock::now() - start < 60s) {  // frames drawn meanwhile
        imgui.frame([&] { shell.draw(imgui.ui); });
        const auto r = lab.result();
        if (r && r->request_version == lab.edits() && r->stages_done >= 1)
          ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                   .count();
      }
      ASSERT_GE(ms, 0.0) << "the edit's exact views never reached a drawn frame";
      times.push_back(ms);
      ASSERT_TRUE(lab.runner().wait_idle(60s));
    }
    std::sort(times.begin(), times.end());
    std::printf("%s: edit to exact views on screen, median %.1f ms (%.1f .. %.1f)\n",
                lab.presets()[static_cast<std::size_t>(p)].id.c_str(), times[1], times[0],
                times[2]);
  }
}

// Issue 11, item 7: the editor's limits were silent. Its tooltips quote the
// numbers of core/dag/dag_limits.hpp (the editor's and the files' ranges).
TEST(DagEditorLimits, TooltipsQuoteTheLimitsFile) {
  const std::string width = editor_limit_text("Width stops at", dag::DagLimits::kMaxWidthInteractive, "nodes per layer");
  EXPECT_NE(width.find("Width stops at " + std::to_string(dag::DagLimits::kMaxWidthInteractive) + " nodes per layer"),
            std::string::npos)
      << width;
  EXPECT_NE(width.find(std::to_string(dag::DagLimits::kMaxLayerWidth)), std::string::npos) << width;
  const std::string layers =
      editor_limit_text("The editor stops at", dag::DagLimits::kMaxHiddenLayersInteractive, "hidden layers");
  EXPECT_NE(layers.find(std::to_string(dag::DagLimits::kMaxHiddenLayersInteractive) + " hidden layers"),
            std::string::npos)
      << layers;
}

}  // namespace
}  // namespace sglab::ui

namespace sglab::ui {
namespace {

// Issue 11: a node with no path to a terminal showed "computing…" forever and a
// meaningless λ axis; its plots now say why there is nothing to compare, and an
// input (not analysed) is named as such.
TEST(DagLabUi, ANodeWithoutAPathToATerminalSaysSo) {
  DagLab lab(kAssets, 1);
  lab.set_sample_trials(0);
  // Node 3 reads both inputs, but the terminal (node 4) reads node 2 only.
  lab.load(labs::parse_scenario(
      R"({"schema": "sglab-scenario", "version": 1, "lab": "dag", "dag": {"inputs": 2, "seed": 3, "sigma": 0.5,
          "layers": [{"activation": "tanh", "width": 2, "nodes": [{"parents": [0, 1]}, {"parents": [0, 1]}]},
                     {"activation": "identity", "width": 1, "nodes": [{"parents": [2]}]}]}})",
      "orphan"));
  const auto r = settled(lab);
  ASSERT_TRUE(r && r->analysis);
  const DagPlots orphan = build_dag_plots(r.get(), 3);
  for (const auto& spec : orphan.specs) {
    EXPECT_TRUE(spec.series.empty()) << spec.id;
    EXPECT_EQ(spec.empty_message, "this node's gradient is always 0 (no path to a terminal)") << spec.id;
  }
  const DagPlots live = build_dag_plots(r.get(), 2);
  EXPECT_FALSE(live.specs[0].series.empty()) << "node 2 reaches the terminal and has curves";
  const DagPlots input = build_dag_plots(r.get(), 0);
  EXPECT_EQ(input.specs[0].empty_message, "an input: no gradient to estimate");
}

// Issue 11: Theorem 3 on screen. On T4 (best-linear predictor) node 3's two
// sides are drawn against n, they cross where the variance side V/n meets the
// bias side, and λ*(n) is positive before the crossing and 0 after it; the
// note carries the numbers at the lab's n. MSE(λ)'s note says which λ varies.
TEST(DagLabUi, TheoremThreeSidesCrossWhereLambdaStarReachesZero) {
  DagLab lab(kAssets, 1);
  lab.set_sample_trials(0);
  ASSERT_TRUE(lab.open_preset(3));  // T4
  const auto r = settled(lab);
  ASSERT_TRUE(r && r->analysis);
  const DagPlots plots = build_dag_plots(r.get(), 3);
  const plot::PlotSpec& sides = plots.specs[2];
  ASSERT_EQ(sides.series.size(), 2u) << plots.notes[2];
  const auto& variance = sides.series[0];
  const auto& bias = sides.series[1];
  ASSERT_EQ(variance.x.size(), r->n_grid.size());
  const plot::VLine* cross = nullptr;
  for (const auto& v : sides.vlines)
    if (v.label.find("cross") != std::string::npos) cross = &v;
  ASSERT_NE(cross, nullptr);
  // At the crossing V/n equals the bias side (exact arithmetic: relative 1e-12).
  const double v_at_1 = variance.y[0] * variance.x[0];
  EXPECT_NEAR(v_at_1 / cross->x, bias.y[0], 1e-12 * bias.y[0]);
  // λ*(n) on the same grid: > 0 below the crossing, 0 above it (eq 18's numerator is V/n − bias).
  const auto& star = r->curves[static_cast<std::size_t>(r->index_of(3))].lambda_star;
  for (std::size_t k = 0; k < r->n_grid.size(); ++k) {
    if (r->n_grid[k] < 0.99 * cross->x) {
      EXPECT_GT(star[k], 0.0) << "n = " << r->n_grid[k];
    }
    if (r->n_grid[k] > 1.01 * cross->x) {
      EXPECT_EQ(star[k], 0.0) << "n = " << r->n_grid[k];
    }
  }
  EXPECT_NE(plots.notes[2].find("λ* = "), std::string::npos) << plots.notes[2];
  // Node 3 feeds nodes 6 and 7, which mix (T4: λ = 1 everywhere): λ = 0 is not BP at node 3.
  EXPECT_NE(plots.notes[3].find("not BP here: nodes 6, 7"), std::string::npos) << plots.notes[3];
  const DagPlots last_hidden = build_dag_plots(r.get(), 6);  // node 6 feeds only the terminal
  EXPECT_NE(last_hidden.notes[3].find("No node below mixes"), std::string::npos) << last_hidden.notes[3];
}

}  // namespace
}  // namespace sglab::ui
