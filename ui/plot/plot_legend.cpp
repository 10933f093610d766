// The plot widget's legend (split from plot.cpp): its layout, the entries with
// their swatches (click to hide a series), and the tab a legend too tall for
// its plot collapses to.
#include <cfloat>

#include "ui/plot/marker_sprites.hpp"
#include "ui/plot/plot_internal.hpp"

namespace sglab::ui::plot::detail {

namespace {

void legend_swatch(ImDrawList* dl, ImVec2 a, float w, float h, const Series& s, float scale,
                   bool hidden) {
  const ImU32 col = hidden ? IM_COL32(170, 170, 170, 255) : s.colour;
  const float y = a.y + h * 0.5f;
  if (!s.band_lo.empty())
    dl->AddRectFilled(ImVec2(a.x, a.y + h * 0.2f), ImVec2(a.x + w, a.y + h * 0.8f),
                      with_alpha(col, 0.25f));
  if (s.line) {
    if (s.dashed)
      dashed_polyline(dl, {ImVec2(a.x, y), ImVec2(a.x + w, y)}, col, stroke_width(s.width * scale),
                      (s.dotted ? 2 : 6) * scale, (s.dotted ? 3 : 4) * scale);
    else
      dl->AddLine(ImVec2(a.x, y), ImVec2(a.x + w, y), col, stroke_width(s.width * scale));
  }
  if (!s.y_lo.empty())
    dl->AddLine(ImVec2(a.x + w * 0.5f, a.y + 2), ImVec2(a.x + w * 0.5f, a.y + h - 2), col,
                stroke_width(1.2f * scale));
  draw_marker(dl, ImVec2(a.x + w * 0.5f, y), s.marker, kMarkerRadius * scale, col);
}

}  // namespace

float legend_text_width(const LegendLayout& l, const std::string& text) {
  return ImGui::GetFont()->CalcTextSizeA(l.text_size, FLT_MAX, 0.0f, text.c_str()).x;
}

// Compact (above the data): shorter swatches, tight padding and text at 0.85 of
// the font, so on a projector's small plots the legend keeps one row more often.
LegendLayout layout_legend(const PlotSpec& spec, float max_width, float scale, bool compact) {
  LegendLayout l;
  l.swatch = (compact ? 16.0f : 26.0f) * scale;
  l.pad = (compact ? 2.0f : 5.0f) * scale;
  l.text_size = ImGui::GetFontSize() * (compact ? 0.85f : 1.0f);
  const float gap = (compact ? 10.0f : 14.0f) * scale;
  l.row_h = l.text_size + (compact ? 1.0f : 2.0f) * scale;
  const float row_h = l.row_h;
  float x = l.pad, y = l.pad, widest = 0.0f;
  for (const auto& series : spec.series) {
    if (!series.in_legend || series.name.empty()) continue;
    const float w = l.swatch + l.pad + legend_text_width(l, series.name);
    if (x > l.pad && x + w + l.pad > max_width) {
      x = l.pad;
      y += row_h;
    }
    l.rows.push_back(&series);
    l.offsets.push_back(ImVec2(x, y));
    widest = std::max(widest, x + w + l.pad);
    x += w + gap;
  }
  if (!l.rows.empty()) l.size = ImVec2(widest, y + row_h + l.pad);
  return l;
}

// Legend: clicking an entry hides or shows its series.
void draw_legend(const PlotSpec& spec, const LegendLayout& legend, const Frame& f, const Box& box,
                 bool above, PlotState& state, ImDrawList* dl) {
  if (legend.rows.empty()) return;
  const float s = box.s, sw = legend.swatch, pad_px = legend.pad;
  const ImU32 text_col = ImGui::GetColorU32(ImGuiCol_Text);
  const float top = above ? f.min.y - box.line_h * 0.5f - legend.size.y - s : f.min.y + 4 * s;
  const ImVec2 box_min = above               ? ImVec2(box.origin.x + 4 * s, top)
                         : spec.legend_right ? ImVec2(f.max.x - legend.size.x - 4 * s, top)
                                             : ImVec2(f.min.x + 4 * s, top);
  const ImVec2 box_max(box_min.x + legend.size.x, box_min.y + legend.size.y);
  dl->AddRectFilled(box_min, box_max, IM_COL32(255, 255, 255, 235));
  dl->AddRect(box_min, box_max, IM_COL32(190, 190, 195, 255));
  for (std::size_t r = 0; r < legend.rows.size(); ++r) {
    const Series& ser = *legend.rows[r];
    const ImVec2 at(box_min.x + legend.offsets[r].x, box_min.y + legend.offsets[r].y);
    const std::string& key = ser.legend_hides_group ? ser.group : ser.name;  // what a click hides
    const bool is_hidden = state.hidden.count(key) != 0;
    legend_swatch(dl, ImVec2(at.x, at.y + 1), sw, legend.text_size, ser, box.lw, is_hidden);
    dl->AddText(ImGui::GetFont(), legend.text_size, ImVec2(at.x + sw + pad_px, at.y + 1),
                is_hidden ? IM_COL32(150, 150, 150, 255) : text_col, ser.name.c_str());
    const ImVec2 entry_max(at.x + sw + pad_px + legend_text_width(legend, ser.name),
                           at.y + legend.row_h);
    if (ImGui::IsMouseHoveringRect(at, entry_max) &&
        ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem)) {
      ImGui::SetTooltip("Click to %s \"%s\"", is_hidden ? "show" : "hide", ser.name.c_str());
      if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
        if (is_hidden)
          state.hidden.erase(key);
        else
          state.hidden.insert(key);
      }
    }
  }
}

// A legend too tall for the plot: a small tab in the corner; hovering it shows
// the entries, clicking it opens the whole legend over the plot until clicked again.
// Returns the tab's height.
float draw_legend_tab(const PlotSpec& spec, const LegendLayout& legend, const Frame& f,
                      const Box& box, PlotState& state, ImDrawList* dl) {
  if (legend.rows.empty()) return 0.0f;
  const float s = box.s;
  const char* text = state.legend_open ? "legend ×" : "legend";
  const ImVec2 ts = ImGui::CalcTextSize(text);
  const ImVec2 a = spec.legend_right ? ImVec2(f.max.x - ts.x - 12 * s, f.min.y + 4 * s)
                                     : ImVec2(f.min.x + 4 * s, f.min.y + 4 * s);
  const ImVec2 b(a.x + ts.x + 8 * s, a.y + ts.y + 4 * s);
  dl->AddRectFilled(a, b, IM_COL32(255, 255, 255, 235));
  dl->AddRect(a, b, IM_COL32(120, 120, 125, 255));
  dl->AddText(ImVec2(a.x + 4 * s, a.y + 2 * s), ImGui::GetColorU32(ImGuiCol_Text), text);
  if (!ImGui::IsMouseHoveringRect(a, b) ||
      !ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem))
    return b.y - a.y;
  if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) state.legend_open = !state.legend_open;
  if (state.legend_open) return b.y - a.y;
  ImGui::BeginTooltip();
  for (const Series* ser : legend.rows)
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(ser->colour), "%s%s",
                       ser->dotted   ? "· · "
                       : ser->dashed ? "- - "
                                     : "—— ",
                       ser->name.c_str());
  ImGui::TextDisabled("click the tab to keep the legend open");
  ImGui::EndTooltip();
  return b.y - a.y;
}

}  // namespace sglab::ui::plot::detail
