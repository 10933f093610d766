// Issue 11, item 1: presenter mode is figures first. At 1280×720 and 1920×1080,
// in every lab, the lab's main figures are drawn whole inside what can be seen
// of the window: no figure clipped by its window or pushed below the fold, and
// every plot keeps a legible data area. The labs report the rectangle of each
// figure they draw (UiContext::report_figure, from the widget's own extent and
// the clip rectangle ImGui draws it into); this test reads those reports.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>
#include <thread>

#include "null_backend.hpp"
#include "ui/app_shell.hpp"
#include "ui/dynamics/dynamics_lab.hpp"
#include "ui/figure_layout.hpp"

namespace sglab::ui {
namespace {

const std::string kAssets = std::string(SGLAB_SOURCE_DIR) + "/assets";

struct LabFigures {
  const char* lab;
  std::set<std::string> main;  ///< must be drawn on the first page
  std::size_t least_at_720;    ///< figures on the first page at 1280×720 (the expert lab showed 2 of 6)
};

// The figure a teacher opens each lab for, first; every other figure drawn on
// the first page must fit as well.
const LabFigures kLabs[] = {
    {"expert", {"expert.ratio_vs_d", "expert.mse_vs_n"}, 4},
    {"dag", {"dag_graph", "dag_bars"}, 2},  // the graph keeps its size: two a page
    {"dynamics", {}, 4},
    {"bandit", {}, 4},
};

void settle(test::NullBackend& backend, AppShell& shell, int frames) {
  for (int i = 0; i < frames; ++i) backend.frame([&] { shell.draw(backend.ui); });
}

// Draws until the labs' background jobs finish (bounded), then two frames more.
void draw_until_idle(test::NullBackend& backend, AppShell& shell) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  settle(backend, shell, 3);
  while (shell.busy() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    settle(backend, shell, 1);
  }
  settle(backend, shell, 2);
}

void expect_whole(const FigureReport& f, ImVec2 display, float line_h, const std::string& where) {
  const float tol = 1.0f;
  SCOPED_TRACE(where + ", figure " + f.id);
  EXPECT_GE(f.min.x, f.clip_min.x - tol) << "cut off on the left";
  EXPECT_GE(f.min.y, f.clip_min.y - tol) << "cut off at the top";
  EXPECT_LE(f.max.x, f.clip_max.x + tol) << "cut off on the right";
  EXPECT_LE(f.max.y, f.clip_max.y + tol) << "cut off at the bottom (" << f.max.y << " > " << f.clip_max.y << ")";
  EXPECT_GE(f.min.x, -tol);
  EXPECT_GE(f.min.y, -tol);
  EXPECT_LE(f.max.x, display.x + tol) << "outside the window";
  EXPECT_LE(f.max.y, display.y + tol) << "outside the window";
  // Legible: a figure is more than its title (the 1280×720 expert lab showed only Fig 2a's title).
  EXPECT_GE(f.max.y - f.min.y, 8.0f * line_h) << "too short to read";
  if (f.area_h >= 0.0f) {
    EXPECT_GE(f.area_h, 4.0f * line_h) << "the plot's data area is too short";
  }
}

TEST(PresenterLayout, MainFiguresFitEveryLabAtProjectorSizes) {
  // 1600×900: where the issue saw Fig 2a's x axis and the DAG network cut off.
  for (const ImVec2 display : {ImVec2(1280, 720), ImVec2(1600, 900), ImVec2(1920, 1080)}) {
    test::NullBackend backend(1.0f, display);
    apply_appearance(backend.ui, true, ColourProfile::kProjector, display.y);
    backend.upload_fonts();
    AppShell shell(kAssets, 1);
    shell.set_presenter(true);
    for (const LabFigures& lab : kLabs) {
      const std::string where = std::string(lab.lab) + " at " + std::to_string(static_cast<int>(display.x)) + "×" +
                                std::to_string(static_cast<int>(display.y));
      ASSERT_TRUE(shell.select_lab(lab.lab)) << where;
      if (std::string(lab.lab) == "dynamics") {  // a few real steps, so the plots have curves and legends
        auto& dynamics = shell.lab_as<DynamicsLab>("dynamics");
        dynamics.set_playing(true);
        settle(backend, shell, 20);
        dynamics.set_playing(false);
      }
      draw_until_idle(backend, shell);
      const std::vector<FigureReport>& figures = backend.ui.figures;
      EXPECT_GE(figures.size(), 2u) << where << ": presenter mode shows fewer than two figures";
      if (display.y == 720.0f) {
        EXPECT_GE(figures.size(), lab.least_at_720) << where << ": the page wastes space";
      }
      std::set<std::string> drawn;
      for (const FigureReport& f : figures) {
        drawn.insert(f.id);
        expect_whole(f, display, ImGui::GetTextLineHeight(), where);
      }
      for (const std::string& id : lab.main) EXPECT_EQ(drawn.count(id), 1u) << where << ": " << id << " not drawn";
    }
  }
}

// Issue 11, item 7: at 1024×600 the dynamics lab's legends covered whole plots. Every
// plot of every lab keeps its legend within 30 % of its data area's height (larger
// legends go above the data or collapse to a "legend" tab).
TEST(PresenterLayout, LegendsLeaveTheDataVisibleAt1024x600) {
  const ImVec2 display(1024, 600);
  test::NullBackend backend(1.0f, display);
  AppShell shell(kAssets, 1);
  for (const LabFigures& lab : kLabs) {
    ASSERT_TRUE(shell.select_lab(lab.lab));
    if (std::string(lab.lab) == "dynamics") {
      auto& dynamics = shell.lab_as<DynamicsLab>("dynamics");
      dynamics.set_playing(true);
      settle(backend, shell, 20);
      dynamics.set_playing(false);
    }
    draw_until_idle(backend, shell);
    int plots = 0;
    for (const FigureReport& f : backend.ui.figures) {
      if (f.area_h < 0.0f) continue;
      ++plots;
      EXPECT_LE(f.legend_share, 0.3f + 1e-3f) << lab.lab << ": " << f.id << "'s legend covers its data";
    }
    if (std::string(lab.lab) == "dynamics") {
      EXPECT_GT(plots, 0) << lab.lab;
    }
  }
}

// The layout itself: every page's cells fit the space, at least the least cell when possible.
TEST(PresenterLayout, FitFiguresKeepsCellsInsideTheSpace) {
  const ImVec2 min_cell(300, 220), spacing(8, 6);
  for (int total = 1; total <= 7; ++total)
    for (const ImVec2 avail : {ImVec2(900, 560), ImVec2(1500, 880), ImVec2(640, 300), ImVec2(2000, 400)})
      for (int page = 0; page < 8; ++page) {
        const FigureGrid g = fit_figures(total, avail, min_cell, spacing, page, 30.0f);
        SCOPED_TRACE(std::to_string(total) + " figures, page " + std::to_string(page));
        ASSERT_GE(g.count, 1);
        EXPECT_LE(g.first + g.count, total);
        EXPECT_LE(g.page, g.pages - 1);
        EXPECT_LE(static_cast<float>(g.cols) * g.cell_w + static_cast<float>(g.cols - 1) * spacing.x, avail.x);
        const float pager = 30.0f;  // the figure bar, always reserved
        const int rows_used = (g.count + g.cols - 1) / g.cols;
        EXPECT_LE(static_cast<float>(rows_used) * g.cell_h + static_cast<float>(rows_used - 1) * spacing.y + pager,
                  avail.y);
        if (avail.x >= min_cell.x && avail.y - 30.0f >= min_cell.y) {
          EXPECT_GE(g.cell_w, min_cell.x);
          EXPECT_GE(g.cell_h, min_cell.y);
        }
      }
}

}  // namespace
}  // namespace sglab::ui
