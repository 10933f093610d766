// Pin and compare (issue 11, item 3): pins keep earlier results as grey
// ghosts under the live curves, labelled with what differs, three at most,
// saved with the scenario (read strictly), and in the CSV export.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/config/json_diff.hpp"
#include "core/util/error.hpp"
#include "dynamics_play.hpp"
#include "null_backend.hpp"
#include "ui/app_shell.hpp"
#include "ui/bandit/bandit_lab.hpp"
#include "ui/dag/dag_lab.hpp"
#include "ui/dynamics/dynamics_lab.hpp"
#include "ui/expert/expert_lab.hpp"
#include "ui/plot/pin_set.hpp"

namespace sglab::ui {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using plot::PinSet;
using plot::PlotSpec;
using plot::Series;

const std::string kAssets = std::string(SGLAB_SOURCE_DIR) + "/assets";

// Looking at pins in the real window needs a scenario holding some: with
// SGLAB_PINS_SCENARIO_DIR set, the lab tests leave theirs there
// (`sglab --scenario DIR/pins_expert.json --screenshot …`).
void keep_scenario_for_screenshots(const std::string& name, const config::Scenario& s) {
  if (const char* dir = std::getenv("SGLAB_PINS_SCENARIO_DIR")) {
    std::ofstream out(fs::path(dir) / name);
    out << config::scenario_to_text(s);
  }
}

PlotSpec line_plot(const std::string& id, double slope) {
  PlotSpec p;
  p.id = id;
  p.title = "a line";
  Series s;
  s.name = "BP";
  for (int i = 0; i < 5; ++i) {
    s.x.push_back(i);
    s.y.push_back(slope * i);
  }
  p.series.push_back(s);
  Series legend_only;  // no points: not pinned
  legend_only.name = "closed form";
  p.series.push_back(legend_only);
  return p;
}

const Series* find_series(const PlotSpec& spec, const std::string& name) {
  for (const auto& s : spec.series)
    if (s.name == name) return &s;
  return nullptr;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(PinSet, GhostsGoUnderTheLiveSeriesLabelledWithWhatDiffers) {
  PinSet pins;
  const PlotSpec live = line_plot("p", 1.0);
  ASSERT_TRUE(pins.add({{"k", 3}, {"d", 8}}, &live, 1));
  EXPECT_TRUE(pins.refresh_labels({{"k", 4}, {"d", 8}}));
  EXPECT_EQ(pins.legend_name(0), "pin 1: k = 3 → 4");
  PlotSpec shown = line_plot("p", 2.0);
  pins.overlay(shown);
  ASSERT_EQ(shown.series.size(), 4u);  // pin's legend entry, its ghost, then the live BP and legend entry
  EXPECT_EQ(shown.series[0].name, "pin 1: k = 3 → 4");
  EXPECT_TRUE(shown.series[0].x.empty());
  EXPECT_EQ(shown.series[1].name, "pin 1: BP");
  // The legend entry hides them together, by a group that stays while the label follows the knobs.
  EXPECT_TRUE(shown.series[0].legend_hides_group);
  EXPECT_EQ(shown.series[0].group, "pin 1");
  EXPECT_EQ(shown.series[1].group, "pin 1");
  EXPECT_FALSE(shown.series[1].in_legend);
  EXPECT_EQ(shown.series[1].y, (std::vector<double>{0, 1, 2, 3, 4}));  // the pinned values, not the live ones
  EXPECT_EQ(shown.series[2].y, (std::vector<double>{0, 2, 4, 6, 8}));
  EXPECT_EQ(find_series(shown, "pin 1: closed form"), nullptr);
  ASSERT_EQ(shown.notes.size(), 1u);
  EXPECT_NE(shown.notes[0].find("pin 1: k = 3 → 4"), std::string::npos);
  // Back at the pinned settings the label says so; the pin stays.
  EXPECT_TRUE(pins.refresh_labels({{"k", 3}, {"d", 8}}));
  EXPECT_EQ(pins.legend_name(0), "pin 1: same settings");
  PlotSpec again = line_plot("p", 2.0);
  pins.overlay(again);
  EXPECT_EQ(again.series[0].name, "pin 1: same settings");
  EXPECT_EQ(again.series[0].group, "pin 1") << "a hidden pin stays hidden when its label changes";
  EXPECT_FALSE(pins.refresh_labels({{"k", 3}, {"d", 8}}));
}

TEST(PinSet, ThreePinsAreToldApartAndAFourthIsRefused) {
  PinSet pins;
  const PlotSpec live = line_plot("p", 1.0);
  for (int k = 1; k <= 3; ++k) ASSERT_TRUE(pins.add({{"k", k}}, &live, 1));
  EXPECT_TRUE(pins.full());
  const std::uint64_t version = pins.version();
  EXPECT_FALSE(pins.add({{"k", 4}}, &live, 1));
  EXPECT_EQ(pins.pins().size(), 3u);
  EXPECT_EQ(pins.version(), version);
  PlotSpec shown = live;
  pins.overlay(shown);
  const Series* g1 = find_series(shown, "pin 1: BP");
  const Series* g2 = find_series(shown, "pin 2: BP");
  const Series* g3 = find_series(shown, "pin 3: BP");
  ASSERT_TRUE(g1 && g2 && g3);
  EXPECT_NE(g1->colour, g2->colour);
  EXPECT_NE(g2->colour, g3->colour);
  EXPECT_TRUE(!g1->dashed && g2->dashed && !g2->dotted && g3->dashed && g3->dotted);
  for (const Series* g : {g1, g2, g3}) {  // grey: red, green and blue equal, and dark enough for a projector
    const unsigned r = g->colour & 0xFF, gr = (g->colour >> 8) & 0xFF, b = (g->colour >> 16) & 0xFF;
    EXPECT_TRUE(r == gr && gr == b);
    EXPECT_LE(r, 130u);
  }
  pins.remove(0);
  EXPECT_EQ(pins.pins().size(), 2u);
  EXPECT_TRUE(pins.add({{"k", 4}}, &live, 1));
}

TEST(PinSet, LongSeriesAreThinnedToTheCapKeepingTheirExtremes) {
  PlotSpec p;
  p.id = "loss";
  Series s;
  s.name = "loss";
  for (int i = 0; i < 100000; ++i) {
    s.x.push_back(i);
    s.y.push_back(i == 54321 ? 1e6 : (i == 77777 ? -1e6 : std::sin(i * 0.01)));
  }
  s.x[10] = NAN;  // dropped, not written as a number JSON cannot hold
  p.series.push_back(s);
  const auto pinned = plot::pinned_series_of(p);
  ASSERT_EQ(pinned.size(), 1u);
  EXPECT_LE(pinned[0].x.size(), plot::kMaxPinnedPoints);
  EXPECT_GT(pinned[0].x.size(), plot::kMaxPinnedPoints / 2);
  EXPECT_EQ(*std::max_element(pinned[0].y.begin(), pinned[0].y.end()), 1e6);
  EXPECT_EQ(*std::min_element(pinned[0].y.begin(), pinned[0].y.end()), -1e6);
  EXPECT_TRUE(std::is_sorted(pinned[0].x.begin(), pinned[0].x.end()));
  EXPECT_EQ(pinned[0].x.front(), 0.0);
  EXPECT_EQ(pinned[0].x.back(), 99999.0);
}

TEST(PinSet, JsonRoundTripsAndBadEntriesNameTheirKey) {
  PinSet pins;
  PlotSpec live = line_plot("ratio_vs_d", 1.0);
  live.series[0].y_lo = {0, 0.5, 1.5, 2.5, 3.5};
  live.series[0].y_hi = {0, 1.5, 2.5, 3.5, 4.5};
  live.series[0].line = false;
  ASSERT_TRUE(pins.add({{"k", 3}}, &live, 1));
  const nlohmann::json j = pins.to_json();
  const PinSet back = PinSet::from_json(j, "view.expert.pins", {"ratio_vs_d", "mse_vs_n"});
  ASSERT_EQ(back.pins().size(), 1u);
  EXPECT_EQ(back.pins()[0].plots, pins.pins()[0].plots);
  EXPECT_EQ(back.to_json(), j);

  const auto error_of = [](const nlohmann::json& bad) -> std::string {
    try {
      PinSet::from_json(bad, "view.expert.pins", {"ratio_vs_d", "mse_vs_n"});
    } catch (const Error& e) {
      return e.what();
    }
    return "no error";
  };
  nlohmann::json bad = j;
  bad[0]["plots"]["ratio_vs_d"][0]["y"].push_back(9.0);
  EXPECT_NE(error_of(bad).find("view.expert.pins[0].plots.ratio_vs_d[0].y"), std::string::npos) << error_of(bad);
  bad = j;
  bad[0]["plots"]["fig_9"] = nlohmann::json::array();
  EXPECT_NE(error_of(bad).find("view.expert.pins[0].plots.fig_9: unknown plot"), std::string::npos) << error_of(bad);
  bad = j;
  bad[0]["colour"] = "red";
  EXPECT_NE(error_of(bad).find("colour"), std::string::npos) << error_of(bad);
  bad = j;
  bad[0]["plots"]["ratio_vs_d"][0]["x"] = "many";
  EXPECT_NE(error_of(bad).find("view.expert.pins[0].plots.ratio_vs_d[0].x"), std::string::npos) << error_of(bad);
  bad = j;
  bad[0].erase("settings");
  EXPECT_NE(error_of(bad).find("view.expert.pins[0].settings"), std::string::npos) << error_of(bad);
  bad = nlohmann::json::array({j[0], j[0], j[0], j[0]});
  EXPECT_NE(error_of(bad).find("4 pins; at most 3"), std::string::npos) << error_of(bad);
}

TEST(PinSet, CsvExportHasThePinsRowsAndNotes) {
  PinSet pins;
  const PlotSpec live = line_plot("p", 1.0);
  ASSERT_TRUE(pins.add({{"k", 3}}, &live, 1));
  pins.refresh_labels({{"k", 4}});
  PlotSpec shown = line_plot("p", 2.0);
  pins.overlay(shown);
  const fs::path file = fs::temp_directory_path() / "sglab_pin_csv_test.csv";
  plot::write_plot_csv(shown, file.string());
  const std::string csv = read_text(file);
  fs::remove(file);
  EXPECT_NE(csv.find("# pin 1: k = 3 → 4"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\"pin 1: BP\",4,4"), std::string::npos) << csv;  // the pinned line: y = x
  EXPECT_NE(csv.find("\"BP\",4,8"), std::string::npos) << csv;         // the live line: y = 2x
}

// The expert lab end to end: pin at k = 3, move k to 4, the ghost stays with
// its label in every plot that had data and in the drawn text; save, reopen.
TEST(PinsInLabs, ExpertPinSurvivesAKnobChangeAndTheScenarioFile) {
  test::NullBackend imgui;
  AppShell shell(kAssets, 1);
  auto& lab = shell.lab_as<ExpertLab>("expert");
  expert::ExpertScenario e;
  e.d = 6;
  e.k = 3;
  e.m = 3;
  e.n = 2;
  e.trials = 10;
  lab.set_scenario(e);
  ASSERT_TRUE(lab.runner().wait_idle(120s));
  for (int i = 0; i < 2; ++i) imgui.frame([&] { shell.draw(imgui.ui); });
  lab.pin_results(imgui.ui);
  ASSERT_EQ(lab.pins().pins().size(), 1u);
  EXPECT_GE(lab.pins().pins()[0].plots.size(), 4u);  // the plots with data at pin time
  e.k = 4;
  lab.set_scenario(e);
  ASSERT_TRUE(lab.runner().wait_idle(120s));
  const std::string text = imgui.drawn_text(lab);
  EXPECT_NE(text.find("pin 1: k = 3 → 4"), std::string::npos) << text;
  const PlotSpec* shown = lab.shown_specs();
  const Series* ghost = find_series(shown[1], "pin 1: BP, Monte Carlo ± SE");  // MSE against n
  ASSERT_NE(ghost, nullptr);
  EXPECT_FALSE(ghost->x.empty());
  EXPECT_NE(find_series(shown[1], "pin 1: k = 3 → 4"), nullptr);
  EXPECT_EQ(&shown[1].series.front(), find_series(shown[1], "pin 1: k = 3 → 4"));  // drawn first: under

  // A second pin at k = 4, then k = 5: both labels follow the knob.
  lab.pin_results(imgui.ui);
  e.k = 5;
  lab.set_scenario(e);
  ASSERT_TRUE(lab.runner().wait_idle(120s));
  const std::string text2 = imgui.drawn_text(lab);
  EXPECT_NE(text2.find("pin 1: k = 3 → 5"), std::string::npos) << text2;
  EXPECT_NE(text2.find("pin 2: k = 4 → 5"), std::string::npos) << text2;

  const config::Scenario saved = shell.current_scenario();
  keep_scenario_for_screenshots("pins_expert.json", saved);
  ASSERT_TRUE(saved.view("expert")->contains("pins"));
  const std::string file_text = config::scenario_to_text(saved);
  AppShell fresh(kAssets, 1);
  ASSERT_EQ(fresh.open_scenario_text(file_text, "clipboard"), "") << fresh.error_banner();
  EXPECT_EQ(fresh.current_scenario(), saved);
  EXPECT_EQ(fresh.lab_as<ExpertLab>("expert").pins().legend_name(1), "pin 2: k = 4 → 5");

  // A bad pins entry in a file: the default scenario and an error naming the key.
  nlohmann::json doc = config::scenario_to_json(saved);
  doc["view"]["expert"]["pins"][0]["plots"]["mse_vs_n"][0]["y"] = nlohmann::json::array({1.0});
  const std::string error = fresh.open_scenario_text(doc.dump(), "clipboard");
  EXPECT_NE(error.find("view.expert.pins[0].plots.mse_vs_n[0].y"), std::string::npos) << error;
}

TEST(PinsInLabs, CtrlPPinsTheActiveLabAndAFourthIsRefused) {
  test::NullBackend imgui;
  AppShell shell(kAssets, 1);
  shell.select_lab("expert");
  ImGuiIO& io = ImGui::GetIO();
  const auto press_ctrl_p = [&] {
    io.KeyCtrl = true;
    io.KeysDown['P'] = true;
    imgui.frame([&] { shell.draw(imgui.ui); });
    io.KeysDown['P'] = false;
    io.KeyCtrl = false;
    imgui.frame([&] { shell.draw(imgui.ui); });
  };
  imgui.frame([&] { shell.draw(imgui.ui); });
  press_ctrl_p();
  EXPECT_EQ(shell.lab_as<ExpertLab>("expert").pins().pins().size(), 1u);
  for (int i = 0; i < 3; ++i) press_ctrl_p();
  EXPECT_EQ(shell.lab_as<ExpertLab>("expert").pins().pins().size(), 3u);
  EXPECT_NE(imgui.ui.status_message.find("three pins"), std::string::npos) << imgui.ui.status_message;
}

TEST(PinsInLabs, DagPinIsLabelledWithTheNewN) {
  test::NullBackend imgui;
  AppShell shell(kAssets, 1);
  auto& dag = shell.lab_as<DagLab>("dag");
  dag.set_sample_trials(0);
  ASSERT_TRUE(dag.open_preset(1));
  dag.set_n(4);
  shell.select_lab("dag");  // the shell draws the active tab only
  ASSERT_TRUE(dag.runner().wait_idle(120s));
  for (int i = 0; i < 2; ++i) imgui.frame([&] { shell.draw(imgui.ui); });
  ASSERT_FALSE(dag.pins().full());
  dag.pin_results(imgui.ui);
  ASSERT_FALSE(dag.pins().pins()[0].plots.empty());
  dag.set_n(16);
  ASSERT_TRUE(dag.runner().wait_idle(120s));
  const std::string text = imgui.drawn_text(dag);
  EXPECT_NE(text.find("pin 1: n = 4 → 16"), std::string::npos) << text;
  const PlotSpec* shown = dag.shown_specs();
  bool any_ghost = false;
  for (std::size_t i = 0; i < kDagPlotCount; ++i)
    for (const auto& s : shown[i].series) any_ghost |= s.name.rfind("pin 1: ", 0) == 0 && !s.x.empty();
  EXPECT_TRUE(any_ghost);
  config::Scenario saved = shell.current_scenario();
  saved.lab = "dag";
  keep_scenario_for_screenshots("pins_dag.json", saved);
}

// The mixing-dynamics lab: curves of a run pinned, the learning rate doubled,
// a second run: the first run's loss stays as a ghost under the new one.
TEST(PinsInLabs, DynamicsPinKeepsTheEarlierRunsCurves) {
  test::NullBackend imgui;
  AppShell shell(kAssets, 1);
  ASSERT_TRUE(shell.select_lab("dynamics"));
  auto& lab = shell.lab_as<DynamicsLab>("dynamics");
  ASSERT_TRUE(lab.choose_network("T2"));
  const auto play_until = [&](std::int64_t steps) {
    ASSERT_TRUE(test::play_dynamics_until(imgui, shell, steps));
    for (int i = 0; i < 2; ++i) imgui.frame([&] { shell.draw(imgui.ui); });
  };
  play_until(300);
  lab.pin_results(imgui.ui);
  ASSERT_EQ(lab.pins().pins().size(), 1u);
  ASSERT_TRUE(lab.pins().pins()[0].plots.count("dyn_loss"));
  dynamics::TrainConfig c = lab.config();
  const double lr = c.learning_rate;
  c.learning_rate = 2 * lr;
  lab.set_config(c);
  play_until(300);
  const std::string legend = lab.pins().legend_name(0);
  EXPECT_NE(legend.find(" → "), std::string::npos) << legend;
  EXPECT_NE(legend.find(config::describe_changes(config::json_changes({{"learning_rate", lr}}, {{"learning_rate", 2 * lr}}))),
            std::string::npos)
      << legend;
  const PlotSpec* shown = lab.shown_specs();
  std::size_t ghosts = 0;
  for (const auto& s : shown[0].series) ghosts += s.name.rfind("pin 1: ", 0) == 0 && !s.x.empty();
  EXPECT_GE(ghosts, 1u);
  keep_scenario_for_screenshots("pins_dynamics.json", shell.current_scenario());
}

// Every lab's pins (with or without data yet) go into the file and come back.
TEST(PinsInLabs, EveryLabsPinsRoundTrip) {
  test::NullBackend imgui;
  AppShell shell(kAssets, 1);
  shell.lab_as<DagLab>("dag").set_sample_trials(0);
  imgui.frame([&] { shell.draw(imgui.ui); });
  for (const auto& l : shell.labs()) l->pin_results(imgui.ui);
  auto& bandit_lab = shell.lab_as<BanditLab>("bandit");
  const int default_steps = bandit_lab.config().steps;
  bandit::BanditConfig b = bandit_lab.config();
  b.steps = 321;
  bandit_lab.set_config(b);
  imgui.frame([&] { shell.draw(imgui.ui); });
  const config::Scenario saved = shell.current_scenario();
  for (const auto& l : shell.labs()) {
    ASSERT_NE(saved.view(l->id()), nullptr) << l->id();
    EXPECT_TRUE(saved.view(l->id())->contains("pins")) << l->id();
  }
  AppShell fresh(kAssets, 1);
  fresh.lab_as<DagLab>("dag").set_sample_trials(0);
  ASSERT_EQ(fresh.open_scenario_text(config::scenario_to_text(saved), "clipboard"), "") << fresh.error_banner();
  EXPECT_EQ(fresh.current_scenario(), saved);
  EXPECT_EQ(fresh.lab_as<BanditLab>("bandit").pins().legend_name(0),
            "pin 1: steps = " + std::to_string(default_steps) + " → 321");
}

}  // namespace
}  // namespace sglab::ui
