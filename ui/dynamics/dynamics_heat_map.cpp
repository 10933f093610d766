// Every node's λ at once (issue 11): a node × step heat map, one texel per
// cell drawn as one textured quad (ui/image_textures.hpp; rectangles on the
// null backend). Rows are the mixing nodes in node order, columns bins of the
// recorded steps (the bin's last record, so a column shows the λ in force at
// its end); colour is the λ the adaptive run uses.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <string>

#include "ui/dynamics/dynamics_lab.hpp"
#include "ui/theme.hpp"
#include "ui/ui_context.hpp"

namespace sglab::ui {

// λ ∈ [0, 1] → a sequential ramp, light yellow (0) through teal to dark blue (1),
// readable on the light theme and without red–green contrast.
ImU32 lambda_heat_colour(double lambda) {
  static constexpr float kStops[][3] = {
      {255, 247, 188}, {161, 218, 180}, {65, 182, 196}, {34, 94, 168}, {8, 29, 88}};
  if (std::isnan(lambda)) return IM_COL32(200, 200, 200, 255);
  const double t = std::clamp(lambda, 0.0, 1.0) * 4.0;
  const int k = std::min(static_cast<int>(t), 3);
  const float f = static_cast<float>(t - k);
  auto mix = [&](int c) { return static_cast<int>(kStops[k][c] + f * (kStops[k + 1][c] - kStops[k][c])); };
  return IM_COL32(mix(0), mix(1), mix(2), 255);
}

std::size_t heat_map_record_of_column(std::size_t records, int columns, int column) {
  return std::min(records - 1,
                  (static_cast<std::size_t>(column) + 1) * records / static_cast<std::size_t>(columns) - 1);
}

void update_lambda_heat_map_image(const dynamics::TrainRecords& records, std::uint64_t records_version,
                                  const std::vector<int>& rows, int columns, LambdaHeatMapImage& image) {
  if (image.records_version == records_version && image.columns == columns &&
      image.rows == static_cast<int>(rows.size()) && image.pixels.size() == rows.size() * static_cast<std::size_t>(columns))
    return;
  const std::size_t n = records.size();
  image.pixels.resize(rows.size() * static_cast<std::size_t>(columns));
  for (int c = 0; c < columns; ++c) {
    const std::size_t r = heat_map_record_of_column(n, columns, c);
    for (std::size_t k = 0; k < rows.size(); ++k)
      image.pixels[k * static_cast<std::size_t>(columns) + static_cast<std::size_t>(c)] =
          lambda_heat_colour(records.value(dynamics::NodeSeries::lambda_adaptive, r, rows[k]));
  }
  image.records_version = records_version;
  image.columns = columns;
  image.rows = static_cast<int>(rows.size());
  ++image.version;
}

int draw_lambda_heat_map(const dynamics::TrainRecords& records, std::uint64_t records_version, int selected_node,
                         int scrub, ImVec2 size, UiContext& ui, LambdaHeatMapImage& image) {
  const float scale = ui.scale;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float label_w = ImGui::CalcTextSize("node 00").x + 6.0f * scale;
  const float legend_h = ImGui::GetTextLineHeightWithSpacing() * 2.0f;
  const float title_h = ImGui::GetTextLineHeightWithSpacing();
  ImGui::InvisibleButton("##lambda_heat_map", ImVec2(std::max(size.x, 1.0f), std::max(size.y, 1.0f)));
  const bool hovered = ImGui::IsItemHovered();
  const bool clicked = ImGui::IsItemClicked();
  const std::string title = cut_to_width("λ of every node against the step (adaptive run)", size.x);
  draw->AddText(origin, ImGui::GetColorU32(ImGuiCol_Text), title.c_str());
  std::vector<int> rows;
  if (!records.empty())
    for (int slot = 0; slot < records.slots(); ++slot)
      if (records.layout().mixes[static_cast<std::size_t>(slot)]) rows.push_back(slot);
  if (rows.empty()) {
    draw->AddText(ImVec2(origin.x, origin.y + title_h), ImGui::GetColorU32(ImGuiCol_TextDisabled),
                  records.empty() ? "no steps yet: press Play or Step" : "no node mixes");
    return -1;
  }
  const ImVec2 map_min(origin.x + label_w, origin.y + title_h);
  const ImVec2 map_max(origin.x + size.x - 4.0f * scale, origin.y + size.y - legend_h);
  const float map_w = std::max(map_max.x - map_min.x, 1.0f);
  const float row_h = std::max((map_max.y - map_min.y) / static_cast<float>(rows.size()), 1.0f);
  const std::size_t n = records.size();
  const int columns = static_cast<int>(std::min<std::size_t>(n, static_cast<std::size_t>(std::max(map_w / 2.0f, 1.0f))));
  const float col_w = map_w / static_cast<float>(columns);
  update_lambda_heat_map_image(records, records_version, rows, columns, image);
  // One textured quad: texel (c, k) covers the same [c·col_w, (c+1)·col_w) × [k·row_h, (k+1)·row_h)
  // cell the rectangles below draw (nearest sampling keeps the cells sharp).
  const ImVec2 cells_max(map_min.x + map_w, map_min.y + row_h * static_cast<float>(rows.size()));
  const ImTextureID texture =
      ui.images ? ui.images->image("dyn_lambda_heat_map", image.pixels.data(), columns, image.rows, image.version)
                : nullptr;
  if (texture != nullptr) {
    draw->AddImage(texture, map_min, cells_max);
  } else {
    for (std::size_t k = 0; k < rows.size(); ++k) {
      const float y0 = map_min.y + static_cast<float>(k) * row_h;
      for (int c = 0; c < columns; ++c)
        draw->AddRectFilled(ImVec2(map_min.x + static_cast<float>(c) * col_w, y0),
                            ImVec2(map_min.x + static_cast<float>(c + 1) * col_w + 0.5f, y0 + row_h + 0.5f),
                            image.pixels[k * static_cast<std::size_t>(columns) + static_cast<std::size_t>(c)]);
    }
  }
  // Row labels every few rows when rows are thinner than a line of text.
  // The selected node's row is always labelled; a regular label that would overlap it is left out.
  const int label_every = std::max(1, static_cast<int>(std::ceil(ImGui::GetTextLineHeight() / row_h)));
  int selected_row = -label_every;
  for (std::size_t k = 0; k < rows.size(); ++k)
    if (records.layout().node[static_cast<std::size_t>(rows[k])] == selected_node) selected_row = static_cast<int>(k);
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const int slot = rows[k];
    const float y0 = map_min.y + static_cast<float>(k) * row_h;
    const int node = records.layout().node[static_cast<std::size_t>(slot)];
    const int row = static_cast<int>(k);
    if ((row % label_every == 0 && std::abs(row - selected_row) >= label_every) || row == selected_row) {
      char label[16];
      std::snprintf(label, sizeof label, "%d", node);
      draw->AddText(ImVec2(origin.x, y0 + 0.5f * (row_h - ImGui::GetTextLineHeight())),
                    ImGui::GetColorU32(ImGuiCol_Text), label);
    }
    if (node == selected_node)
      draw->AddRect(ImVec2(map_min.x - 1.0f, y0), ImVec2(map_max.x + 1.0f, y0 + row_h), palette::kVermillion, 0.0f, 0,
                    2.0f * scale);
  }
  if (scrub >= 0 && static_cast<std::size_t>(scrub) < n) {
    const float x = map_min.x + map_w * (static_cast<float>(scrub) + 0.5f) / static_cast<float>(n);
    draw->AddLine(ImVec2(x, map_min.y), ImVec2(x, map_max.y), palette::kGrey, 1.5f * scale);
  }
  // Legend: the colour ramp 0 … 1 and the step range.
  const float ly = map_max.y + 4.0f * scale;
  const float ramp_w = std::min(map_w * 0.4f, 160.0f * scale);
  for (int i = 0; i < 32; ++i)
    draw->AddRectFilled(ImVec2(map_min.x + ramp_w * static_cast<float>(i) / 32.0f, ly),
                        ImVec2(map_min.x + ramp_w * static_cast<float>(i + 1) / 32.0f + 0.5f, ly + 8.0f * scale),
                        lambda_heat_colour(i / 31.0));
  // The range always; the click hint only when the line has room for it.
  char range[96];
  std::snprintf(range, sizeof range, "λ 0 … 1     steps %lld … %lld", static_cast<long long>(records.step(0)),
                static_cast<long long>(records.step(n - 1)));
  const std::string with_hint = std::string(range) + "  (click a row to pick its node)";
  const float legend_w = origin.x + size.x - map_min.x;
  const std::string legend =
      ImGui::CalcTextSize(with_hint.c_str()).x <= legend_w ? with_hint : cut_to_width(range, legend_w);
  draw->AddText(ImVec2(map_min.x, ly + 9.0f * scale), ImGui::GetColorU32(ImGuiCol_TextDisabled), legend.c_str());

  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const bool inside = hovered && mouse.x >= map_min.x && mouse.x < map_max.x && mouse.y >= map_min.y &&
                      mouse.y < map_min.y + row_h * static_cast<float>(rows.size());
  if (!inside) return -1;
  const auto k = std::min(rows.size() - 1, static_cast<std::size_t>((mouse.y - map_min.y) / row_h));
  const int c = std::clamp(static_cast<int>((mouse.x - map_min.x) / col_w), 0, columns - 1);
  const std::size_t r = heat_map_record_of_column(n, columns, c);
  const int node = records.layout().node[static_cast<std::size_t>(rows[k])];
  ImGui::SetTooltip("node %d, step %lld: λ %.3f", node, static_cast<long long>(records.step(r)),
                    records.value(dynamics::NodeSeries::lambda_adaptive, r, rows[k]));
  return clicked ? node : -1;
}

}  // namespace sglab::ui
