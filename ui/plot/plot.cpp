#include "ui/plot/plot.hpp"

#include "core/config/output_files.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "core/util/error.hpp"
#include "ui/plot/marker_sprites.hpp"
#include "ui/plot/plot_decimate.hpp"
#include "ui/plot/plot_internal.hpp"
#include "ui/plot/plot_ticks.hpp"
#include "ui/ui_context.hpp"

namespace sglab::ui::plot {

using namespace detail;  // the parts plot_legend.cpp shares (plot_internal.hpp)

// [SECTION] transforms and bounds ------------------------------------------------------

namespace {

void extend(double v, Scale s, double& lo, double& hi) {
  if (!usable(v, s)) return;
  const double a = to_axis(v, s);
  lo = std::min(lo, a);
  hi = std::max(hi, a);
}

bool visible(const Series& series, const PlotState& state) {
  return state.hidden.count(series.name) == 0 && (series.group.empty() || state.hidden.count(series.group) == 0);
}

}  // namespace

namespace detail {

namespace {

// Dashes along the path: the pattern runs on across vertices.
void dashed_along_path(ImDrawList* dl, const std::vector<ImVec2>& pts, ImU32 col, float width, float dash,
                       float gap) {
  float phase = 0.0f;
  bool on = true;
  for (std::size_t i = 1; i < pts.size(); ++i) {
    ImVec2 a = pts[i - 1];
    const ImVec2 b = pts[i];
    float len = std::hypot(b.x - a.x, b.y - a.y);
    if (len <= 0.0f) continue;
    const ImVec2 dir((b.x - a.x) / len, (b.y - a.y) / len);
    while (len > 0.0f) {
      const float seg = std::min(len, (on ? dash : gap) - phase);
      const ImVec2 c(a.x + dir.x * seg, a.y + dir.y * seg);
      if (on) dl->AddLine(a, c, col, width);
      phase += seg;
      len -= seg;
      a = c;
      if (phase >= (on ? dash : gap) - 1e-3f) {
        phase = 0.0f;
        on = !on;
      }
    }
  }
}

}  // namespace

std::vector<std::vector<ImVec2>> dashes_along_x(const std::vector<ImVec2>& pts, float dash, float gap) {
  std::vector<std::vector<ImVec2>> dashes;
  if (pts.empty()) return dashes;
  std::vector<ImVec2> run{pts.front()};
  bool on = true;
  float next_switch = pts.front().x + dash;
  for (std::size_t i = 1; i < pts.size(); ++i) {
    const ImVec2 a = pts[i - 1], b = pts[i];
    while (b.x > next_switch) {  // a.x <= next_switch < b.x: cut the segment there
      const float t = (next_switch - a.x) / (b.x - a.x);
      const ImVec2 cut(next_switch, a.y + t * (b.y - a.y));
      if (on) {
        run.push_back(cut);
        if (run.size() >= 2) dashes.push_back(std::move(run));
        run.clear();
      } else {
        run.assign(1, cut);
      }
      on = !on;
      next_switch += on ? dash : gap;
    }
    if (on) run.push_back(b);
  }
  if (on && run.size() >= 2) dashes.push_back(std::move(run));
  return dashes;
}

// Dashed polyline, dash and gap lengths in pixels. A series drawn against the
// step (x never decreasing) is dashed along x: dashing a dense, jagged series
// along its path cut it into tiny dashes, hundreds of vertices per pixel column
// (the λ plot of the dynamics lab: 28k of a frame's 40k vertices while
// playing); along x each dash is one polyline and the pattern stays regular.
// Anything else (a vertical marker line) is dashed along the path.
void dashed_polyline(ImDrawList* dl, const std::vector<ImVec2>& pts, ImU32 col, float width, float dash,
                     float gap) {
  if (pts.size() < 2) return;
  bool along_x = pts.back().x > pts.front().x;
  for (std::size_t i = 1; i < pts.size() && along_x; ++i) along_x = pts[i].x >= pts[i - 1].x;
  if (!along_x) return dashed_along_path(dl, pts, col, width, dash, gap);
  for (const std::vector<ImVec2>& d : dashes_along_x(pts, dash, gap))
    dl->AddPolyline(d.data(), static_cast<int>(d.size()), col, 0, width);
}

void draw_marker(ImDrawList* dl, ImVec2 c, Marker m, float r, ImU32 col) {
  if (draw_marker_sprite(dl, c, m, r, col)) return;  // 2 triangles from the atlas (marker_sprites.hpp)
  switch (m) {
    case Marker::kNone: break;
    // Segments from the radius (ImGui's tessellation error bound, 0.3 px): 8 at the
    // screen's 3.5 px instead of a fixed 16, half the vertices of a marker-heavy plot.
    case Marker::kCircle: dl->AddCircleFilled(c, r, col); break;
    case Marker::kSquare: dl->AddRectFilled(ImVec2(c.x - r, c.y - r), ImVec2(c.x + r, c.y + r), col); break;
    case Marker::kDiamond:
      dl->AddQuadFilled(ImVec2(c.x, c.y - r * 1.3f), ImVec2(c.x + r * 1.3f, c.y), ImVec2(c.x, c.y + r * 1.3f),
                        ImVec2(c.x - r * 1.3f, c.y), col);
      break;
    case Marker::kTriangle:
      dl->AddTriangleFilled(ImVec2(c.x, c.y - r * 1.3f), ImVec2(c.x + r * 1.2f, c.y + r * 0.8f),
                            ImVec2(c.x - r * 1.2f, c.y + r * 0.8f), col);
      break;
  }
}

ImU32 with_alpha(ImU32 col, float alpha) {
  const unsigned a = static_cast<unsigned>(std::clamp(alpha, 0.0f, 1.0f) * 255.0f);
  return (col & ~IM_COL32_A_MASK) | (a << IM_COL32_A_SHIFT);
}

}  // namespace detail

bool fit_bounds(const PlotSpec& spec, const PlotState& state, double out[4]) {
  const double inf = std::numeric_limits<double>::infinity();
  double x0 = inf, x1 = -inf, y0 = inf, y1 = -inf;
  for (const auto& s : spec.series) {
    if (!visible(s, state)) continue;
    const std::size_t n = std::min(s.x.size(), s.y.size());
    for (std::size_t i = 0; i < n; ++i) {
      if (!usable(s.x[i], spec.x.scale) || !usable(s.y[i], spec.y.scale)) continue;
      extend(s.x[i], spec.x.scale, x0, x1);
      extend(s.y[i], spec.y.scale, y0, y1);
      if (i < s.y_lo.size()) extend(s.y_lo[i], spec.y.scale, y0, y1);
      if (i < s.y_hi.size()) extend(s.y_hi[i], spec.y.scale, y0, y1);
      if (i < s.band_lo.size()) extend(s.band_lo[i], spec.y.scale, y0, y1);
      if (i < s.band_hi.size()) extend(s.band_hi[i], spec.y.scale, y0, y1);
    }
  }
  for (const auto& v : spec.vlines) extend(v.x, spec.x.scale, x0, x1);
  if (!(x0 <= x1) || !(y0 <= y1)) return false;
  out[0] = from_axis(x0, spec.x.scale);
  out[1] = from_axis(x1, spec.x.scale);
  out[2] = from_axis(y0, spec.y.scale);
  out[3] = from_axis(y1, spec.y.scale);
  return true;
}

// [SECTION] export ------------------------------------------------------------------------

std::string export_path(const std::string& dir, const std::string& id, const std::string& ext) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
  const std::filesystem::path file = std::filesystem::path(dir) / ("sglab-" + id + "-" + stamp + "." + ext);
  const std::filesystem::path absolute = std::filesystem::absolute(file, ec);
  return (ec ? file : absolute.lexically_normal()).string();
}

void write_plot_csv(const PlotSpec& spec, const std::string& path, const std::string& preamble) {
  std::ostringstream out;
  out.precision(17);
  out << preamble;
  const auto quoted = [](const std::string& s) {
    std::string q = "\"";
    for (char c : s) q += (c == '"') ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  };
  out << "# " << spec.title << "\n# x: " << spec.x.label << "\n# y: " << spec.y.label << "\n";
  for (const auto& note : spec.notes) out << "# " << note << "\n";
  out << "series,x,y,y_low,y_high,band_low,band_high\n";
  const auto opt = [](const std::vector<double>& v, std::size_t i) -> std::string {
    if (i >= v.size() || !std::isfinite(v[i])) return "";
    std::ostringstream s;
    s.precision(17);
    s << v[i];
    return s.str();
  };
  for (const auto& s : spec.series) {
    const std::size_t n = std::min(s.x.size(), s.y.size());
    for (std::size_t i = 0; i < n; ++i)
      out << quoted(s.name) << ',' << opt(s.x, i) << ',' << opt(s.y, i) << ',' << opt(s.y_lo, i) << ','
          << opt(s.y_hi, i) << ',' << opt(s.band_lo, i) << ',' << opt(s.band_hi, i) << '\n';
  }
  for (const auto& v : spec.vlines) out << quoted(v.label) << ',' << v.x << ",,,,,\n";
  config::write_file(path, out.str(), "the CSV export");
}

// [SECTION] drawing -----------------------------------------------------------------------

namespace {

struct ExportWish {
  bool csv = false, png = false;
};

// One line of text cut with "…" to `width`; the whole text on hover when cut.
void text_cut_to_width(const std::string& text, float width) {
  const std::string shown = cut_to_width(text, width);
  ImGui::TextUnformatted(shown.c_str());
  if (shown.size() != text.size() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text.c_str());
}

// Header: title on the left (wrapping at spaces), export buttons on the right,
// then the y label with the subtitle right-aligned on the same line.
ExportWish draw_header(const PlotSpec& spec, const Box& box, const PlotEnv& env, bool capturing) {
  const ImGuiStyle& style = ImGui::GetStyle();
  // Presenter mode leaves the export buttons out (File → Export still writes every plot).
  const float buttons_w = env.one_line_titles ? 0.0f
                                              : ImGui::CalcTextSize("CSV").x + ImGui::CalcTextSize("PNG").x +
                                                    style.FramePadding.x * 4 + style.ItemSpacing.x;
  if (env.title_font) ImGui::PushFont(env.title_font);
  const float title_w = box.width - buttons_w - style.ItemSpacing.x;
  if (env.one_line_titles) {  // presenter mode: the figure gets the lines, the full title is on hover
    text_cut_to_width(spec.title, title_w);
  } else {
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + title_w);
    ImGui::TextUnformatted(spec.title.c_str());
    ImGui::PopTextWrapPos();
  }
  if (env.title_font) ImGui::PopFont();
  const float header_bottom = ImGui::GetCursorScreenPos().y;
  ExportWish wish;
  if (!env.one_line_titles) {
    ImGui::SetCursorScreenPos(ImVec2(box.origin.x + box.width - buttons_w, box.origin.y));
    if (capturing) {  // a captured frame shows the plot, not the app's buttons
      ImGui::Dummy(ImVec2(buttons_w, ImGui::GetFrameHeight()));
    } else {
      wish.csv = ImGui::SmallButton("CSV");
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("Save this plot's data as CSV (with the scenario in its header)");
      ImGui::SameLine();
      wish.png = ImGui::SmallButton("PNG");
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("Save this plot as a PNG image (without these buttons)");
    }
  }
  ImGui::SetCursorScreenPos(ImVec2(box.origin.x, std::max(header_bottom, ImGui::GetCursorScreenPos().y)));
  ImGui::TextDisabled("%s", spec.y.label.c_str());
  if (!spec.subtitle.empty()) {  // the plot's context, right-aligned on the same line, cut to fit
    const float sw_text = ImGui::CalcTextSize(spec.subtitle.c_str()).x;
    ImGui::SameLine();
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const float left = at.x + 8.0f * box.s, right = box.origin.x + box.width - 10.0f * box.s;
    ImGui::SetCursorScreenPos(ImVec2(std::max(left, right - sw_text), at.y));
    text_cut_to_width(spec.subtitle, right - std::max(left, right - sw_text));
  }
  return wish;
}

// Bounds in axis space: auto-fit, then fixed overrides, then 5 % padding.
// Axis::hold_range: the held range is kept while the fitted one lies inside it
// and spans at least this share of it; else it is refitted with this much
// headroom (a share of the fitted span) on each side that is not fixed.
constexpr double kHoldMinShare = 0.6;
constexpr double kHoldHeadroom = 0.1;

Frame axis_bounds(const PlotSpec& spec, PlotState& state, bool& has_data) {
  double b[4] = {0, 1, 0, 1};
  has_data = fit_bounds(spec, state, b);
  if (spec.x.min) b[0] = *spec.x.min;
  if (spec.x.max) b[1] = *spec.x.max;
  if (spec.y.min) b[2] = *spec.y.min;
  if (spec.y.max) b[3] = *spec.y.max;
  Frame f;
  f.sx = spec.x.scale;
  f.sy = spec.y.scale;
  f.bx0 = to_axis(b[0], f.sx);
  f.bx1 = to_axis(b[1], f.sx);
  f.by0 = to_axis(b[2], f.sy);
  f.by1 = to_axis(b[3], f.sy);
  const auto pad = [](double& lo, double& hi, Scale sc, bool fixed_lo, bool fixed_hi) {
    if (!(hi > lo)) {
      const double w = sc == Scale::kLog ? 0.5 : (lo == 0 ? 1.0 : std::abs(lo) * 0.5);
      lo -= w;
      hi += w;
    }
    const double p = (hi - lo) * 0.05;
    if (!fixed_lo) lo -= p;
    if (!fixed_hi) hi += p;
  };
  pad(f.bx0, f.bx1, f.sx, spec.x.min.has_value(), spec.x.max.has_value());
  pad(f.by0, f.by1, f.sy, spec.y.min.has_value(), spec.y.max.has_value());
  if (spec.y.hold_range && has_data) {
    const double span = f.by1 - f.by0;
    const bool inside = state.y_held && f.by0 >= state.y_held_lo && f.by1 <= state.y_held_hi &&
                        span >= kHoldMinShare * (state.y_held_hi - state.y_held_lo);
    if (!inside) {
      state.y_held = true;
      state.y_held_lo = f.by0 - (spec.y.min ? 0.0 : kHoldHeadroom * span);
      state.y_held_hi = f.by1 + (spec.y.max ? 0.0 : kHoldHeadroom * span);
    }
    f.by0 = state.y_held_lo;
    f.by1 = state.y_held_hi;
  }
  return f;
}

/// The most of a data area's height a legend may take (over the data or above it).
constexpr float kLegendMaxShare = 0.3f;
/// Above the data a legend covers nothing, so it may take a little more: the
/// legend stays readable on a projector's small plots instead of becoming a tab.
constexpr float kLegendMaxAboveShare = 0.4f;

struct Axes {
  std::vector<Tick> x_ticks, y_ticks;
  float bottom_space = 0.0f;
  /// False when the legend would cover much of a small plot (many series, or a
  /// 1024×600 window): then only a "legend" tab is drawn, the entries on hover.
  bool legend_inline = true;
  bool legend_above = false;  ///< drawn in a band above the data area
};

// Ticks, then the plotting rectangle sized around their labels. The legend takes
// a band at the top; the y range stretches so no data hides under it.
Axes place_axes(const PlotSpec& spec, const Box& box, const LegendLayout& legend, const LegendLayout& wide_legend,
                bool has_data, Frame& f) {
  const ImGuiStyle& style = ImGui::GetStyle();
  Axes axes;
  const ImVec2 top = ImGui::GetCursorScreenPos();
  axes.bottom_space = box.line_h * 2.0f + style.ItemSpacing.y * 2.0f;
  float area_h = std::max(40.0f * box.s, box.origin.y + box.height - top.y - axes.bottom_space);
  const float legend_band = legend.rows.empty() ? 0.0f : legend.size.y + 8.0f * box.s;
  // The legend lies over the data's top band only while that band stays a small
  // share of the data area (the data is squeezed below it); a taller legend goes
  // above the data, outside, while the data keeps most of the height; beyond that
  // only a "legend" tab remains, expanded on hover or click.
  axes.legend_inline = legend_band <= area_h * kLegendMaxShare;
  const float wide_band = wide_legend.rows.empty() ? 0.0f : wide_legend.size.y + 2.0f * box.s;
  axes.legend_above = !axes.legend_inline && wide_band <= area_h * kLegendMaxAboveShare &&
                      area_h - wide_band >= 4.0f * box.line_h;
  const float above = axes.legend_above ? wide_band : 0.0f;
  area_h -= above;
  if (has_data && legend_band > 0.0f && axes.legend_inline && !spec.y.max)
    f.by1 = f.by0 + (f.by1 - f.by0) * area_h / (area_h - legend_band);
  const int y_target = std::clamp(static_cast<int>(area_h / (box.line_h * 1.5f)), 2, 8);
  axes.y_ticks = f.sy == Scale::kLog ? log_ticks(from_axis(f.by0, f.sy), from_axis(f.by1, f.sy), y_target)
                                     : linear_ticks(f.by0, f.by1, y_target, spec.y.integer_ticks);
  float label_w = 0.0f;
  for (const auto& t : axes.y_ticks) label_w = std::max(label_w, ImGui::CalcTextSize(t.label.c_str()).x);
  f.min = ImVec2(top.x + label_w + 8.0f * box.s, top.y + above + box.line_h * 0.5f);
  f.max = ImVec2(box.origin.x + box.width - 10.0f * box.s, top.y + above + area_h);
  if (f.max.x - f.min.x < 40.0f) f.max.x = f.min.x + 40.0f;
  const int x_target =
      std::clamp(static_cast<int>((f.max.x - f.min.x) / (ImGui::CalcTextSize("00000").x * 1.5f)), 2, 10);
  axes.x_ticks = f.sx == Scale::kLog ? log_ticks(from_axis(f.bx0, f.sx), from_axis(f.bx1, f.sx), x_target)
                                     : linear_ticks(f.bx0, f.bx1, x_target, spec.x.integer_ticks);
  return axes;
}

// White area, grid lines with tick labels, frame and the x-axis label.
void draw_axes(const PlotSpec& spec, const Frame& f, const Axes& axes, const Box& box, ImDrawList* dl) {
  const float s = box.s;
  dl->AddRectFilled(f.min, f.max, IM_COL32(255, 255, 255, 255));
  // A projector washes light greys out: its grid is darker and its frame black.
  const ImU32 grid_major = box.high_contrast ? IM_COL32(165, 165, 170, 255) : IM_COL32(215, 215, 218, 255);
  const ImU32 grid_minor = box.high_contrast ? IM_COL32(210, 210, 214, 255) : IM_COL32(236, 236, 238, 255);
  const ImU32 text_col = ImGui::GetColorU32(ImGuiCol_Text);
  for (const auto& t : axes.y_ticks) {
    if (!usable(t.value, f.sy)) continue;
    const float y = f.py(t.value);
    if (y < f.min.y - 0.5f || y > f.max.y + 0.5f) continue;
    dl->AddLine(ImVec2(f.min.x, y), ImVec2(f.max.x, y), t.major ? grid_major : grid_minor, 1.0f);
    if (!t.label.empty()) {
      const ImVec2 ts = ImGui::CalcTextSize(t.label.c_str());
      dl->AddText(ImVec2(f.min.x - ts.x - 5.0f * s, y - ts.y * 0.5f), text_col, t.label.c_str());
    }
  }
  for (const auto& t : axes.x_ticks) {
    if (!usable(t.value, f.sx)) continue;
    const float x = f.px(t.value);
    if (x < f.min.x - 0.5f || x > f.max.x + 0.5f) continue;
    dl->AddLine(ImVec2(x, f.min.y), ImVec2(x, f.max.y), t.major ? grid_major : grid_minor, 1.0f);
    if (!t.label.empty()) {
      const ImVec2 ts = ImGui::CalcTextSize(t.label.c_str());
      // Centred under its tick, but kept inside the plot's box (a tick at the
      // axis' very end, e.g. a fixed x.max).
      const float left = std::min(x - ts.x * 0.5f, box.origin.x + box.width - ts.x);
      dl->AddText(ImVec2(left, f.max.y + 3.0f * s), text_col, t.label.c_str());
    }
  }
  dl->AddRect(f.min, f.max, box.high_contrast ? IM_COL32(0, 0, 0, 255) : IM_COL32(120, 120, 125, 255), 0.0f, 0,
              box.high_contrast ? 1.5f * s : 1.0f);
  const ImVec2 ts = ImGui::CalcTextSize(spec.x.label.c_str());  // centred under the tick labels
  dl->AddText(ImVec2((f.min.x + f.max.x - ts.x) * 0.5f, f.max.y + box.line_h + 6.0f * s),
              ImGui::GetColorU32(ImGuiCol_TextDisabled), spec.x.label.c_str());
}

// The "no data" message and the vertical marker lines (labels stack upwards from the bottom).
void draw_empty_and_vlines(const PlotSpec& spec, const Frame& f, bool has_data, float s, float lw, ImDrawList* dl) {
  if (!has_data) {
    const ImVec2 ts = ImGui::CalcTextSize(spec.empty_message.c_str());
    dl->AddText(ImVec2((f.min.x + f.max.x - ts.x) * 0.5f, (f.min.y + f.max.y - ts.y) * 0.5f),
                ImGui::GetColorU32(ImGuiCol_TextDisabled), spec.empty_message.c_str());
  }
  int vline_row = 0;
  for (const auto& v : spec.vlines) {
    if (!usable(v.x, f.sx)) continue;
    const float x = f.px(v.x);
    if (v.dashed)
      dashed_polyline(dl, {ImVec2(x, f.min.y), ImVec2(x, f.max.y)}, v.colour, stroke_width(1.5f * lw), 6 * s, 4 * s);
    else
      dl->AddLine(ImVec2(x, f.min.y), ImVec2(x, f.max.y), v.colour, stroke_width(1.5f * lw));
    if (!v.label.empty()) {  // at the bottom: the legend sits at the top
      const ImVec2 ts = ImGui::CalcTextSize(v.label.c_str());
      const float lx = x + 4 * s + ts.x > f.max.x ? x - 4 * s - ts.x : x + 4 * s;
      dl->AddText(ImVec2(lx, f.max.y - (ts.y + 3 * s) * static_cast<float>(1 + vline_row)), v.colour, v.label.c_str());
      ++vline_row;
    }
  }
}

struct Nearest {
  const Series* series = nullptr;
  std::size_t index = 0;
  float dist2 = 0.0f;
};

// A series' band: one quad per segment, under everything else.
void draw_band(const Series& series, std::size_t n, const Frame& f, ImDrawList* dl) {
  if (series.band_lo.size() < n || series.band_hi.size() < n) return;
  const ImU32 fill = with_alpha(series.colour, 0.18f);
  for (std::size_t i = 1; i < n; ++i) {
    if (!usable(series.x[i - 1], f.sx) || !usable(series.x[i], f.sx) || !usable(series.band_lo[i - 1], f.sy) ||
        !usable(series.band_lo[i], f.sy) || !usable(series.band_hi[i - 1], f.sy) || !usable(series.band_hi[i], f.sy))
      continue;
    dl->AddQuadFilled(f.p(series.x[i - 1], series.band_lo[i - 1]), f.p(series.x[i], series.band_lo[i]),
                      f.p(series.x[i], series.band_hi[i]), f.p(series.x[i - 1], series.band_hi[i - 1]), fill);
  }
}

// Error bars and markers, above the line.
void draw_points(const Series& series, std::size_t n, const Frame& f, float s, float lw, ImDrawList* dl) {
  for (std::size_t i = 0; i < n; ++i) {
    if (!usable(series.x[i], f.sx) || !usable(series.y[i], f.sy)) continue;
    const ImVec2 p = f.p(series.x[i], series.y[i]);
    if (i < series.y_lo.size() && i < series.y_hi.size()) {
      const double lo = usable(series.y_lo[i], f.sy) ? series.y_lo[i] : from_axis(f.by0 - 1, f.sy);
      const double hi = series.y_hi[i];
      if (usable(hi, f.sy)) {
        const float cap = 4.0f * s;
        const float y0 = f.py(lo), y1 = f.py(hi);
        const float bar = stroke_width(1.5f * lw);
        dl->AddLine(ImVec2(p.x, y0), ImVec2(p.x, y1), series.colour, bar);
        dl->AddLine(ImVec2(p.x - cap, y0), ImVec2(p.x + cap, y0), series.colour, bar);
        dl->AddLine(ImVec2(p.x - cap, y1), ImVec2(p.x + cap, y1), series.colour, bar);
      }
    }
    draw_marker(dl, p, series.marker, kMarkerRadius * lw, series.colour);
  }
}

// Every visible series (band, line, error bars, markers); returns the point
// nearest the mouse while the area is hovered.
Nearest draw_series(const PlotSpec& spec, const PlotState& state, const Frame& f, bool hovered, float s,
                    float line_scale, ImDrawList* dl) {
  Nearest nearest;
  nearest.dist2 = (14.0f * s) * (14.0f * s);
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  for (const auto& series : spec.series) {
    if (!visible(series, state)) continue;
    const std::size_t n = std::min(series.x.size(), series.y.size());
    draw_band(series, n, f, dl);
    std::vector<ImVec2> pts;
    const float lw = stroke_width(series.width * line_scale);
    const auto flush = [&] {
      decimate_to_pixel_columns(pts);  // what is drawn; the hover search below used every point
      if (pts.size() >= 2) {
        if (series.dashed)
          dashed_polyline(dl, pts, series.colour, lw, (series.dotted ? 2.5f : 7.0f) * s, (series.dotted ? 3.5f : 5.0f) * s);
        else dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), series.colour, 0, lw);
      }
      pts.clear();
    };
    for (std::size_t i = 0; i < n; ++i) {
      if (!usable(series.x[i], f.sx) || !usable(series.y[i], f.sy)) {
        flush();
        continue;
      }
      const ImVec2 p = f.p(series.x[i], series.y[i]);
      if (series.line) pts.push_back(p);
      const float dx = p.x - mouse.x, dy = p.y - mouse.y;
      if (hovered && dx * dx + dy * dy < nearest.dist2) nearest = {&series, i, dx * dx + dy * dy};
    }
    flush();
    draw_points(series, n, f, s, line_scale, dl);
  }
  return nearest;
}

// Hover read-out: the nearest point, highlighted, with its values; else the cursor's coordinates.
void draw_hover(const PlotSpec& spec, const Frame& f, const Nearest& nearest, bool has_data, float s,
                ImDrawList* dl) {
  if (nearest.series != nullptr) {
    const Series& ser = *nearest.series;
    const std::size_t i = nearest.index;
    dl->AddCircle(f.p(ser.x[i], ser.y[i]), 6.0f * s, IM_COL32(0, 0, 0, 255), 20, 1.5f * s);
    ImGui::BeginTooltip();
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(ser.colour), "%s", ser.name.c_str());
    ImGui::Text("%s = %s", spec.x.label.c_str(), format_number(ser.x[i], 5).c_str());
    ImGui::Text("%s = %s", spec.y.label.c_str(), format_number(ser.y[i], 5).c_str());
    if (i < ser.y_lo.size() && i < ser.y_hi.size())
      ImGui::Text("error bar [%s, %s]", format_number(ser.y_lo[i], 4).c_str(), format_number(ser.y_hi[i], 4).c_str());
    if (i < ser.band_lo.size() && i < ser.band_hi.size())
      ImGui::Text("band [%s, %s]", format_number(ser.band_lo[i], 4).c_str(), format_number(ser.band_hi[i], 4).c_str());
    ImGui::EndTooltip();
  } else if (has_data) {
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const double cx = from_axis(f.bx0 + (mouse.x - f.min.x) / (f.max.x - f.min.x) * (f.bx1 - f.bx0), f.sx);
    const double cy = from_axis(f.by0 + (f.max.y - mouse.y) / (f.max.y - f.min.y) * (f.by1 - f.by0), f.sy);
    ImGui::SetTooltip("x = %s, y = %s", format_number(cx, 4).c_str(), format_number(cy, 4).c_str());
  }
}

void run_exports(const PlotSpec& spec, ExportWish wish, const PlotState& state, PlotEnv& env) {
  if (wish.csv) {
    try {
      const std::string path = export_path(env.export_dir, spec.id, "csv");
      write_plot_csv(spec, path, env.describe ? env.describe() : std::string());
      env.last_message = "Saved " + path;
    } catch (const std::exception& e) {
      env.last_message = std::string("CSV export failed: ") + e.what();
    }
  }
  if (!wish.png) return;
  if (env.png_requests == nullptr) {
    env.last_message = "PNG export needs the OpenGL window";
    return;
  }
  // Drawn alone offscreen once this frame has rendered (ui/gl/plot_png_renderer).
  const std::string path = export_path(env.export_dir, spec.id, "png");
  env.png_requests->push_back(plot_png_request(spec, state, env, path));
  env.last_message = "Saving " + path + " (" + std::to_string(env.png_width) + "×" +
                     std::to_string(env.png_height) + ")";
}

}  // namespace

PngRequest plot_png_request(const PlotSpec& spec, const PlotState& state, const PlotEnv& env, std::string path) {
  PngRequest r;
  r.path = std::move(path);
  r.plot = spec;
  r.hidden = state.hidden;
  r.width = env.png_width;
  r.height = env.png_height;
  r.line_boost = env.line_boost;
  r.projector = env.high_contrast;
  return r;
}

bool draw_plot(const PlotSpec& spec, ImVec2 size, PlotState& state, PlotEnv& env) {
  ImGui::PushID(spec.id.c_str());
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  Box box;
  box.origin = ImGui::GetCursorScreenPos();
  box.width = size.x > 0 ? size.x : avail.x;
  box.height = size.y > 0 ? size.y : avail.y;
  box.s = env.scale;
  box.lw = env.scale * env.line_boost;
  box.high_contrast = env.high_contrast;
  box.line_h = ImGui::GetTextLineHeight();
  ImDrawList* dl = ImGui::GetWindowDrawList();

  ImGui::BeginGroup();
  const bool capturing = env.hide_buttons;
  const ExportWish wish = draw_header(spec, box, env, capturing);
  bool has_data = false;
  Frame f = axis_bounds(spec, state, has_data);
  const LegendLayout legend = layout_legend(spec, box.width - 80.0f * box.s, box.s);
  // Above the data: the whole width, compact, so a projector's small plots keep a legend.
  const LegendLayout wide_legend = layout_legend(spec, box.width - 12.0f * box.s, box.s, true);
  const Axes axes = place_axes(spec, box, legend, wide_legend, has_data, f);

  ImGui::SetCursorScreenPos(f.min);
  ImGui::InvisibleButton("area", ImVec2(f.max.x - f.min.x, f.max.y - f.min.y));
  const bool hovered = ImGui::IsItemHovered();
  draw_axes(spec, f, axes, box, dl);
  dl->PushClipRect(f.min, f.max, true);  // series are clipped to the plotting area
  draw_empty_and_vlines(spec, f, has_data, box.s, box.lw, dl);
  const Nearest nearest = draw_series(spec, state, f, hovered, box.s, box.lw, dl);
  dl->PopClipRect();
  if (hovered) draw_hover(spec, f, nearest, has_data, box.s, dl);
  env.last_legend_share = 0.0f;
  if (axes.legend_inline) {
    draw_legend(spec, legend, f, box, false, state, dl);
    if (!legend.rows.empty()) env.last_legend_share = (legend.size.y + 8.0f * box.s) / (f.max.y - f.min.y);
  } else if (axes.legend_above) {
    draw_legend(spec, wide_legend, f, box, true, state, dl);
  } else if (env.hide_buttons) {  // an exported image cannot be hovered: the whole legend, over the data
    draw_legend(spec, legend, f, box, false, state, dl);
  } else {
    const float tab_h = draw_legend_tab(spec, legend, f, box, state, dl);
    env.last_legend_share = tab_h / (f.max.y - f.min.y);
    if (state.legend_open) {  // opened by a click: over the data, below the tab
      const Frame below_tab = [&] {
        Frame g = f;
        g.min.y += tab_h + 4.0f * box.s;
        return g;
      }();
      draw_legend(spec, legend, below_tab, box, false, state, dl);
      env.last_legend_share = (tab_h + legend.size.y + 8.0f * box.s) / (f.max.y - f.min.y);
    }
  }

  const float bottom = std::max(box.origin.y + box.height, f.max.y + axes.bottom_space);
  env.last_min = box.origin;
  env.last_max = ImVec2(std::max(box.origin.x + box.width, f.max.x + 10.0f * box.s), bottom);
  env.last_area_h = f.max.y - f.min.y;
  ImGui::SetCursorScreenPos(ImVec2(box.origin.x, bottom));
  ImGui::Dummy(ImVec2(box.width, 0.0f));
  ImGui::EndGroup();
  run_exports(spec, wish, state, env);
  ImGui::PopID();
  return hovered;
}

}  // namespace sglab::ui::plot
