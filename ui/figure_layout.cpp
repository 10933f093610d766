#include "ui/figure_layout.hpp"

#include <algorithm>
#include <cmath>

namespace sglab::ui {

FigureGrid fit_figures(int total, ImVec2 avail, ImVec2 min_cell, ImVec2 spacing, int page, float bar_h,
                       float aspect) {
  FigureGrid best;
  if (total <= 0) return best;
  for (int per_page = total; per_page >= 1; --per_page) {
    const float height = avail.y - bar_h;
    float best_score = -1.0f;
    for (int cols = 1; cols <= per_page; ++cols) {
      const int rows = (per_page + cols - 1) / cols;
      const float w = std::floor((avail.x - spacing.x * static_cast<float>(cols - 1)) / static_cast<float>(cols));
      const float h = std::floor((height - spacing.y * static_cast<float>(rows - 1)) / static_cast<float>(rows));
      if (w < min_cell.x || h < min_cell.y) continue;
      const float score = std::min(w / aspect, h);
      if (score > best_score) {
        best_score = score;
        best.cols = cols;
        best.rows = rows;
        best.cell_w = w;
        best.cell_h = h;
      }
    }
    if (best_score > 0.0f || per_page == 1) {
      if (best_score <= 0.0f) {  // not even one figure fits at the least size: one, as large as can be
        best.cols = best.rows = 1;
        best.cell_w = std::floor(avail.x);
        best.cell_h = std::floor(avail.y - bar_h);
      }
      best.pages = (total + per_page - 1) / per_page;
      best.page = std::clamp(page, 0, best.pages - 1);
      best.first = best.page * per_page;
      best.count = std::min(per_page, total - best.first);
      return best;
    }
  }
  return best;
}

ImVec2 min_figure_cell(float scale, float lines) {
  const float line = ImGui::GetTextLineHeightWithSpacing();
  return ImVec2(260.0f * scale, line * lines);
}

float figure_bar_height() { return ImGui::GetFrameHeightWithSpacing(); }

void draw_figure_pager(const char* id, const FigureGrid& grid, int total, int& page) {
  if (grid.pages <= 1) return;
  ImGui::PushID(id);
  ImGui::BeginDisabled(grid.page == 0);
  if (ImGui::ArrowButton("prev", ImGuiDir_Left)) page = grid.page - 1;
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::Text("Figures %d–%d of %d", grid.first + 1, grid.first + grid.count, total);
  ImGui::SameLine();
  ImGui::BeginDisabled(grid.page + 1 >= grid.pages);
  if (ImGui::ArrowButton("next", ImGuiDir_Right)) page = grid.page + 1;
  ImGui::EndDisabled();
  ImGui::SameLine(0.0f, ImGui::GetStyle().ItemSpacing.x * 4.0f);  // the pins' row follows on this line
  ImGui::PopID();
}

}  // namespace sglab::ui
