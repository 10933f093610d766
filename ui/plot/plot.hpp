#pragma once
// Our own small plot widget on ImDrawList (no ImPlot in the registries):
// lines (solid or dashed), markers, error bars, shaded bands, linear or log
// axes with sensible ticks, a legend (click to hide a series), a hover
// read-out, auto-fit, and one-click CSV and PNG export.
//
// Immediate mode: describe the plot in a PlotSpec (cheap to keep between
// frames), call draw_plot every frame. The widget never computes science.

#include <imgui.h>

#include <optional>
#include <functional>
#include <set>
#include <string>
#include <vector>

namespace sglab::ui::plot {

enum class Scale { kLinear, kLog };
enum class Marker { kNone, kCircle, kSquare, kDiamond, kTriangle };

struct Axis {
  std::string label;  ///< with units, e.g. "n (repeats per state)"
  Scale scale = Scale::kLinear;
  bool integer_ticks = false;
  std::optional<double> min, max;  ///< fixed bounds; auto-fit when empty
  /// Auto-fit holds its range (with some headroom) while the data stay inside it
  /// and fill most of it, instead of following every new extreme: a live curve's
  /// axis then moves a few times per run, not on every update (y axis only).
  bool hold_range = false;
};

struct Series {
  std::string name;
  ImU32 colour = IM_COL32(0, 0, 0, 255);
  std::vector<double> x, y;
  std::vector<double> y_lo, y_hi;        ///< error bar ends (absolute), empty = none
  std::vector<double> band_lo, band_hi;  ///< shaded band (absolute), empty = none
  bool line = true;
  bool dashed = false;
  bool dotted = false;  ///< with dashed: short dots instead of dashes (pins' ghosts told apart)
  float width = 2.0f;  ///< at scale 1
  Marker marker = Marker::kNone;
  bool in_legend = true;
  /// Series sharing a group hide together when the legend entry named like
  /// the group is clicked (e.g. "BP": its closed form and its Monte Carlo points).
  std::string group;
  /// This legend entry hides and shows `group` though its name differs (a
  /// pin's entry: its label changes as the knobs move, its group stays).
  bool legend_hides_group = false;
};

/// A vertical marker line such as λ*.
struct VLine {
  double x = 0.0;
  std::string label;
  ImU32 colour = IM_COL32(0, 0, 0, 255);
  bool dashed = true;
};

struct PlotSpec {
  std::string id;     ///< unique, file-name safe: used for ImGui ids and export names
  std::string title;     ///< says what the plot shows
  std::string subtitle;  ///< the setting it shows it for, e.g. "d = 8, k = 3"
  Axis x, y;
  std::vector<Series> series;
  std::vector<VLine> vlines;
  bool legend_right = false;  ///< legend in the top-right corner instead of top-left
  std::string empty_message = "computing…";
  /// Lines written as "# " comments at the top of the CSV export (e.g. what each pin is).
  std::vector<std::string> notes;
};

/// Per-plot interaction state kept by the caller between frames.
struct PlotState {
  std::set<std::string> hidden;  ///< series hidden from the legend
  bool legend_open = false;      ///< a collapsed legend's tab was clicked open
  /// The y range held by Axis::hold_range (axis space), valid when `y_held`.
  bool y_held = false;
  double y_held_lo = 0.0, y_held_hi = 0.0;
};

/// A pending PNG export, served after the frame renders: a plot drawn alone
/// offscreen at width × height (ui/gl/plot_png_renderer), or else a window
/// region read back from the screen (figures that are not plots).
struct PngRequest {
  ImVec2 min, max;  ///< the screen region, in ImGui coordinates (used without `plot`)
  std::string path;
  std::optional<PlotSpec> plot;  ///< the plot to draw alone, without the app around it
  std::set<std::string> hidden;  ///< its series hidden from the legend
  int width = 0, height = 0;     ///< the image's size in pixels
  float line_boost = 1.0f;       ///< the colour profile's line thickening
  bool projector = false;        ///< the projector colour profile
};

/// The projector colour profile's line and marker thickening (PlotEnv::line_boost).
constexpr float kProjectorLineBoost = 1.6f;

/// What the widget needs from the application.
struct PlotEnv {
  float scale = 1.0f;              ///< presenter mode scales line widths and markers
  ImFont* title_font = nullptr;    ///< nullptr = current font
  std::string export_dir = ".";    ///< where CSV and PNG exports go
  std::vector<PngRequest>* png_requests = nullptr;  ///< nullptr disables PNG export
  /// The size of exported PNGs in pixels (File → PNG export size, --png-size).
  int png_width = 1600, png_height = 1000;
  std::string last_message;        ///< set by the widget after an export
  /// Lines (each starting "# ") naming what the plots show, e.g. the scenario: written
  /// at the top of every CSV export. Empty function: none.
  std::function<std::string()> describe;
  /// Plots draw without their export buttons (the offscreen PNG export).
  bool hide_buttons = false;
  /// The projector profile: lines and markers this much thicker, darker grid,
  /// black frame and axis labels (1: the screen profile).
  float line_boost = 1.0f;
  bool high_contrast = false;
  /// Presenter mode: titles take one line (cut with "…", whole on hover).
  bool one_line_titles = false;
  /// Set by draw_plot: everything the last plot drew on screen (header to the
  /// x-axis label) and the height of its data area.
  ImVec2 last_min{0, 0}, last_max{0, 0};
  float last_area_h = 0.0f;
  /// The share of the last plot's data-area height its legend took over the data
  /// (0: none, or drawn above the data; a collapsed legend: its tab).
  float last_legend_share = 0.0f;
};

/// The export of `spec` (as `state` shows it) drawn alone at env's PNG size into `path`.
PngRequest plot_png_request(const PlotSpec& spec, const PlotState& state, const PlotEnv& env, std::string path);

/// Draws a plot filling `size` (width ≤ 0: available width). Returns true
/// while the mouse hovers its plotting area.
bool draw_plot(const PlotSpec& spec, ImVec2 size, PlotState& state, PlotEnv& env);

/// The data bounds auto-fit would use ([x0, x1] × [y0, y1] in data units,
/// visible series only, log axes ignore non-positive values). False when empty.
bool fit_bounds(const PlotSpec& spec, const PlotState& state, double out[4]);

/// Writes the series as CSV (series,x,y,y_low,y_high,band_low,band_high) after
/// `preamble` (comment lines) and the plot's title and axes, through the one
/// writer (whole file or none); throws sglab::Error on I/O failure.
void write_plot_csv(const PlotSpec& spec, const std::string& path, const std::string& preamble = {});

/// "<dir>/sglab-<id>-<YYYYmmdd-HHMMSS>.<ext>" as an absolute path, creating dir if needed.
std::string export_path(const std::string& dir, const std::string& id, const std::string& ext);

}  // namespace sglab::ui::plot
