#pragma once
// Presenter mode's figures-first layout (issue 11): the figures share the space
// left by the controls and a one-line read-out, in the grid that makes them
// largest; when they cannot all be legible at once, a pager shows them a page
// at a time (the lab's most important figure first) instead of a scrollbar
// that hides an axis.

#include <imgui.h>

namespace sglab::ui {

struct FigureGrid {
  int first = 0;   ///< index of the page's first figure
  int count = 0;   ///< figures on this page
  int cols = 1, rows = 1;
  int pages = 1;
  int page = 0;    ///< clamped
  float cell_w = 0.0f, cell_h = 0.0f;
};

/// Lays out `total` figures in `avail`: the most per page whose cells are at
/// least `min_cell`, in the column count that makes the smaller of cell width
/// (divided by `aspect`) and height largest. `bar_h` is always reserved: the
/// figure bar above the cells (the pager when paged, and the pins' row).
FigureGrid fit_figures(int total, ImVec2 avail, ImVec2 min_cell, ImVec2 spacing, int page, float bar_h,
                       float aspect = 1.4f);

/// The least cell a figure stays legible in: width for a y axis and some
/// ticks, height (`lines` text lines) for title, axis labels and a data area of
/// several lines. Nine lines let a 1280×720 projector show four plots a page
/// (with ten, a pixel short, it showed two of six).
ImVec2 min_figure_cell(float scale, float lines = 9.0f);

/// "◀ Figures 1–4 of 6 ▶" (nothing when there is one page) at the start of the
/// figure bar, leaving the line open for the pins' row (ui/pin_bar.hpp); updates `page`.
void draw_figure_pager(const char* id, const FigureGrid& grid, int total, int& page);

/// The figure bar's height (one frame line and spacing).
float figure_bar_height();

}  // namespace sglab::ui
