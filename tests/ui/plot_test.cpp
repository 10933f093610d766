// ui/plot: ticks, auto-fit, CSV export, and drawing on the null backend.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ui/app_shell.hpp"

#include <filesystem>
#include <fstream>

#include "null_backend.hpp"
#include "ui/plot/plot.hpp"
#include "ui/plot/plot_ticks.hpp"
#include "ui/dag/dag_bar_labels.hpp"

#include <algorithm>
#include <cfloat>

namespace sglab::ui::plot {
namespace {

std::vector<double> values(const std::vector<Tick>& ticks, bool labelled_only) {
  std::vector<double> v;
  for (const auto& t : ticks)
    if (!labelled_only || !t.label.empty()) v.push_back(t.value);
  return v;
}

TEST(PlotTicks, LinearStepsAreNice) {
  EXPECT_EQ(values(linear_ticks(0.0, 1.0, 5), true), (std::vector<double>{0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0}));
  const auto ints = values(linear_ticks(3.6, 12.4, 5, true), true);
  EXPECT_EQ(ints, (std::vector<double>{4, 6, 8, 10, 12}));
  EXPECT_TRUE(linear_ticks(1.0, 1.0).empty());
}

TEST(PlotTicks, LogTicksLabelDecades) {
  const auto t = log_ticks(0.8e-6, 2e-3, 7);
  EXPECT_EQ(values(t, true), (std::vector<double>{1e-6, 1e-5, 1e-4, 1e-3}));
  EXPECT_GT(t.size(), 4u);  // minor ticks at 2..9
  // Under two decades: 2 and 5 are labelled too.
  const auto short_range = values(log_ticks(1.0, 60.0, 7), true);
  EXPECT_EQ(short_range, (std::vector<double>{1, 2, 5, 10, 20, 50}));
  // Inside one decade there is no power of ten: every tick gets a label.
  EXPECT_GE(values(log_ticks(25.0, 45.0, 7), true).size(), 2u);
  // Many decades: labels thin out.
  EXPECT_LE(values(log_ticks(1e-12, 1e12, 6), true).size(), 7u);
}

// Issue 11, item 7: "Ratio against n" lost every y label at d = 10 and d = 20
// (ratio 2^(d−k) = 128 and 131072 at k = 3: a narrow log range holding no 1, 2
// or 5 × 10^e), while d = 8 (ratio 32: the range holds 30) was fine.
TEST(PlotTicks, NarrowLogRangesKeepAtLeastTwoLabelsInside) {
  const auto labels_inside = [](double lo, double hi) {
    int n = 0;
    for (const auto& t : log_ticks(lo, hi, 7))
      if (!t.label.empty() && t.value >= lo * (1 - 1e-12) && t.value <= hi * (1 + 1e-12)) ++n;
    return n;
  };
  for (const double ratio : {32.0, 128.0, 131072.0})  // d = 8, 10, 20 at k = 3
    EXPECT_GE(labels_inside(ratio * 0.88, ratio * 1.12), 2) << "ratio " << ratio;
  // A short plot asks for two labels: thinning must still leave two decades labelled
  // (it labelled only 1e-3 of [8.4e-5, 0.047] before).
  int inside = 0;
  for (const auto& t : log_ticks(8.4e-5, 0.047, 2))
    if (!t.label.empty() && t.value >= 8.4e-5 && t.value <= 0.047) ++inside;
  EXPECT_GE(inside, 2);
  for (double centre = 1e-6; centre < 1e9; centre *= 1.37)
    for (const double spread : {1.001, 1.01, 1.05, 1.2, 1.6, 3.0})
      EXPECT_GE(labels_inside(centre / spread, centre * spread), 2) << centre << " ×/÷ " << spread;
}

TEST(PlotTicks, NumbersAreShort) {
  EXPECT_EQ(format_number(0.25), "0.25");
  EXPECT_EQ(format_number(1000), "1000");
  EXPECT_EQ(format_number(1e-5), "1e-05");
  EXPECT_EQ(format_number(0), "0");
}

PlotSpec sample_spec() {
  PlotSpec spec;
  spec.id = "test_plot";
  spec.title = "A test plot";
  spec.x = {"n", Scale::kLog, false, {}, {}};
  spec.y = {"MSE", Scale::kLog, false, {}, {}};
  Series s;
  s.name = "BP, \"quoted\"";
  s.x = {1, 2, 4, 0};  // the 0 cannot go on a log axis: ignored
  s.y = {1e-3, 5e-4, 2.5e-4, 1.0};
  s.y_lo = {0.9e-3, 4e-4, 2e-4, 1.0};
  s.y_hi = {1.1e-3, 6e-4, 3e-4, 1.0};
  s.marker = Marker::kCircle;
  spec.series.push_back(s);
  Series band;
  band.name = "band";
  band.x = {1, 4};
  band.y = {1e-4, 1e-4};
  band.band_lo = {5e-5, 5e-5};
  band.band_hi = {2e-4, 2e-4};
  band.dashed = true;
  spec.series.push_back(band);
  spec.vlines.push_back({2.0, "n = 2", IM_COL32(0, 0, 0, 255), true});
  return spec;
}

TEST(Plot, AutoFitIgnoresNonPositiveOnLogAxes) {
  const PlotSpec spec = sample_spec();
  PlotState state;
  double b[4];
  ASSERT_TRUE(fit_bounds(spec, state, b));
  EXPECT_DOUBLE_EQ(b[0], 1.0);
  EXPECT_DOUBLE_EQ(b[1], 4.0);
  EXPECT_DOUBLE_EQ(b[2], 5e-5);
  EXPECT_DOUBLE_EQ(b[3], 1.1e-3);
  state.hidden.insert("band");  // hidden series do not count
  ASSERT_TRUE(fit_bounds(spec, state, b));
  EXPECT_DOUBLE_EQ(b[2], 2e-4);
}

TEST(Plot, CsvHoldsEverySeriesAndPoint) {
  const auto dir = std::filesystem::temp_directory_path() / "sglab_plot_test";
  const std::string path = export_path(dir.string(), "test_plot", "csv");
  EXPECT_NE(path.find("sglab-test_plot-"), std::string::npos);
  write_plot_csv(sample_spec(), path);
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_NE(text.find("series,x,y,y_low,y_high,band_low,band_high"), std::string::npos);
  EXPECT_NE(text.find("\"BP, \"\"quoted\"\"\",1,0.001"), std::string::npos);
  EXPECT_NE(text.find("\"band\",4,0.0001,,,5.0000000000000002e-05,0.00020000000000000001"), std::string::npos);
  EXPECT_NE(text.find("\"n = 2\",2"), std::string::npos);
}

// Issue 11: exported CSVs carry the scenario (the shell's preamble) and name an absolute path.
TEST(Plot, CsvStartsWithThePreambleAndThePathIsAbsolute) {
  const std::string path = export_path("sglab_plot_test_rel", "pre", "csv");
  EXPECT_TRUE(std::filesystem::path(path).is_absolute()) << path;
  write_plot_csv(sample_spec(), path, "# sglab test\n# scenario: {\"lab\":\"expert\"}\n");
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(text.rfind("# sglab test\n# scenario: {\"lab\":\"expert\"}\n# ", 0), 0u) << text.substr(0, 200);
  std::filesystem::remove_all(std::filesystem::path(path).parent_path());
}

// The shell's preamble is the whole current scenario, one JSON line.
TEST(Plot, ShellPreambleNamesTheScenario) {
  test::NullBackend imgui;
  AppShell shell(std::string(SGLAB_SOURCE_DIR) + "/assets", 1);
  const std::string pre = shell.csv_preamble();
  const std::size_t at = pre.find("# scenario: ");
  ASSERT_NE(at, std::string::npos) << pre;
  const std::string json_line = pre.substr(at + 12, pre.find('\n', at) - at - 12);
  const auto doc = nlohmann::json::parse(json_line);
  EXPECT_EQ(doc.at("expert").at("d"), shell.current_scenario().bodies.at("expert").at("d"));
}

TEST(Plot, DrawsWithAndWithoutDataOnTheNullBackend) {
  test::NullBackend imgui;
  PlotSpec spec = sample_spec();
  PlotSpec empty = spec;
  empty.id = "empty";
  empty.series.clear();
  empty.vlines.clear();
  PlotState state, state2;
  for (float scale : {1.0f, kPresenterScale}) {
    imgui.set_scale(scale);
    imgui.frame([&] {
      ImGui::SetNextWindowSize(ImVec2(600, 700));
      ImGui::Begin("plots");
      draw_plot(spec, ImVec2(0, 320), state, imgui.ui.plot_env);
      draw_plot(empty, ImVec2(0, 320), state2, imgui.ui.plot_env);
      ImGui::End();
    });
    EXPECT_GT(imgui.vertices, 800);  // whole-pixel lines: 2 vertices per point
  }
}

// Issue 11, item 7: at 1024×600 the dynamics lab's legends covered whole plots. A
// legend takes at most 30 % of the data area's height over the data; a larger one goes
// above the data or collapses to a "legend" tab, which a click opens and closes.
TEST(Plot, CrowdedLegendCollapsesToATabThatOpensOnClick) {
  test::NullBackend imgui;
  PlotSpec spec;
  spec.id = "crowded";
  spec.title = "Eight series";
  spec.x.label = "step";
  spec.y.label = "loss";
  for (int k = 0; k < 8; ++k) {
    Series s;
    s.name = "a rather long series name " + std::to_string(k);
    s.x = {0, 1, 2};
    s.y = {1.0 + k, 2.0 + k, 1.5 + k};
    spec.series.push_back(s);
  }
  PlotState state;
  PlotEnv& env = imgui.ui.plot_env;
  ImVec2 tab_at(0, 0);
  const auto draw = [&](ImVec2 size) {
    imgui.frame([&] {
      ImGui::SetNextWindowPos(ImVec2(0, 0));
      ImGui::SetNextWindowSize(ImVec2(size.x + 40, size.y + 60));
      ImGui::Begin("plots", nullptr, ImGuiWindowFlags_NoTitleBar);
      draw_plot(spec, size, state, env);
      ImGui::End();
    });
  };
  draw(ImVec2(300, 220));  // small: a tab only
  EXPECT_GT(env.last_legend_share, 0.0f);
  EXPECT_LE(env.last_legend_share, 0.3f);
  // The tab sits at the data area's top-left corner: click it open.
  ImGuiIO& io = ImGui::GetIO();
  const float area_top = env.last_max.y - 2.0f * ImGui::GetTextLineHeight() - env.last_area_h;
  bool opened = false;
  for (float y = area_top - 10.0f; y < area_top + 40.0f && !opened; y += 2.0f)
    for (float x = 20.0f; x < 140.0f && !opened; x += 6.0f) {
      io.MousePos = ImVec2(x, y);
      draw(ImVec2(300, 220));
      io.MouseDown[0] = true;
      draw(ImVec2(300, 220));
      io.MouseDown[0] = false;
      draw(ImVec2(300, 220));
      opened = state.legend_open;
      if (opened) tab_at = io.MousePos;
    }
  ASSERT_TRUE(opened) << "no click near the data area's corner opened the legend";
  EXPECT_GT(env.last_legend_share, 0.3f);  // the whole legend, over the data, on request
  io.MousePos = tab_at;
  io.MouseDown[0] = true;
  draw(ImVec2(300, 220));
  io.MouseDown[0] = false;
  draw(ImVec2(300, 220));
  EXPECT_FALSE(state.legend_open) << "a second click closes it";
  EXPECT_LE(env.last_legend_share, 0.3f);
  io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
  // Large: the whole legend, over the data's top band or above it, within the share.
  draw(ImVec2(1400, 800));
  EXPECT_LE(env.last_legend_share, 0.3f);
  spec.series.resize(2);
  draw(ImVec2(700, 450));
  EXPECT_GT(env.last_legend_share, 0.0f) << "two entries fit over the data";
  EXPECT_LE(env.last_legend_share, 0.3f);
}

}  // namespace
}  // namespace sglab::ui::plot

namespace sglab::ui {
namespace {

// Issue 11, item 7: from 11 nodes the per-node bar labels ran together
// ("node 10node 11"). Whatever the widths, two drawn labels keep a gap.
TEST(DagBarLabels, DrawnLabelsNeverOverlap) {
  const float gap = 6.0f, long_w = 62.0f, short_w = 18.0f, tag_w = 20.0f;
  for (int nodes = 1; nodes <= 64; ++nodes) {
    const float group_w = 600.0f / static_cast<float>(nodes);
    const float bar_w = std::min(group_w * 0.36f, 40.0f);
    const BarLabelPlan plan = plan_bar_labels(group_w, long_w, short_w, tag_w, bar_w, gap);
    const float label_w = plan.long_form ? long_w : short_w;
    EXPECT_GE(group_w * static_cast<float>(plan.stride), label_w + gap) << nodes << " nodes";
    if (plan.tags) {
      EXPECT_GE(bar_w + 2.0f, tag_w + gap) << nodes << " nodes";
    }
    EXPECT_LE(plan.stride, nodes) << "at least the first node keeps its label";
  }
  EXPECT_TRUE(plan_bar_labels(120.0f, long_w, short_w, tag_w, 40.0f, gap).long_form);  // few nodes: "node 3"
  EXPECT_FALSE(plan_bar_labels(40.0f, long_w, short_w, tag_w, 14.0f, gap).long_form);
}

}  // namespace
}  // namespace sglab::ui
