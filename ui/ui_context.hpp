#pragma once
// What every panel may use: the presenter scale, fonts, the plot widget's
// environment (export folder, PNG queue), the state-grid renderer and a
// one-line status message. Owned by the application shell.

#include <string>
#include <vector>

#include "ui/image_textures.hpp"
#include "ui/plot/plot.hpp"
#include "ui/state_grid.hpp"
#include "ui/theme.hpp"

namespace sglab::ui {

class DagGraphRenderer;  // ui/dag/dag_graph_scene.hpp

/// Where a lab drew one of its figures this frame, and the part of the screen
/// it could be seen in (its window's clip rectangle, which the parent windows'
/// scrolling and sizes narrow). The presenter-mode test checks, per lab and
/// window size, that every main figure lies whole inside what can be seen.
struct FigureReport {
  std::string id;
  ImVec2 min, max;            ///< everything the figure drew, axis labels included
  ImVec2 clip_min, clip_max;  ///< the visible region of the window it was drawn in
  float area_h = -1.0f;       ///< a plot's data-area height (−1: not a plot)
  float legend_share = 0.0f;  ///< a plot's legend over its data: share of the area's height
};

struct UiContext {
  float scale = 1.0f;  ///< 1 normally, presenter_scale(window height) in presenter mode
  bool presenter = false;  ///< figures first: texts collapse to one line, figures fit the window
  ColourProfile profile = ColourProfile::kScreen;
  Fonts fonts;
  plot::PlotEnv plot_env;
  StateGridRenderer* grid_renderer = nullptr;  ///< nullptr without OpenGL (tests)
  DagGraphRenderer* dag_renderer = nullptr;    ///< nullptr without OpenGL: ImDrawList fallback
  ImageTextures* images = nullptr;             ///< nullptr without OpenGL: panels draw rectangles
  std::string status_message;
  double status_time = -1.0;  ///< ImGui time of the message
  std::vector<FigureReport> figures;  ///< this frame's figures (the shell clears it each frame)
  std::string requested_lesson;  ///< a lab asks the shell to open this lesson file (the shell clears it)

  /// The open lesson step's controls (issue 11), named by the scenario key each
  /// knob sets: in lab `lab`, a step that lists shown controls hides the others,
  /// and locked controls are drawn disabled. Set each frame by the lesson panel.
  struct StepControls {
    std::string lab;
    std::vector<std::string> shown, locked;
  } step_controls;
  /// Whether lab `lab` draws its control for scenario key `key` (a locked one is shown, disabled).
  bool control_shown(const char* lab, const char* key) const;
  bool control_locked(const char* lab, const char* key) const;

  /// Records a figure drawn in the current window, from `min` to `max` on screen.
  void report_figure(const std::string& id, ImVec2 min, ImVec2 max, float area_h = -1.0f);
  /// Records the plot plot::draw_plot drew last (its extent and data area).
  void report_last_plot(const std::string& id);
  /// Records the current (child) window as a figure.
  void report_window_figure(const std::string& id);

  void notify(std::string message) {
    status_message = std::move(message);
    status_time = ImGui::GetCurrentContext() ? ImGui::GetTime() : 0.0;
  }
  float px(float v) const { return v * scale; }
};

/// Sets fonts, style and the plot widget's sizes for presenter mode (or not),
/// the colour profile and the window's height (presenter text scales with it).
/// The caller re-uploads the font atlas when a renderer exists.
void apply_appearance(UiContext& ui, bool presenter, ColourProfile profile, float window_height);

/// A paragraph that, when `collapse` holds, shows only its first line (cut with
/// "…") and a "more" button; "less" folds it again. State kept per `id`.
void collapsible_text(const char* id, const std::string& text, bool collapse);

/// "(?)" marker with a wrapped tooltip, for explaining a knob in the paper's terms.
void help_marker(const char* text);
/// Tooltip on the last item, wrapped at a readable width.
void item_tooltip(const char* text);
/// Text wrapped at spaces only (ImGui's own wrapping also breaks after a
/// full stop, which splits numbers such as "32.9"). width ≤ 0: available width.
void text_wrapped_at_spaces(const std::string& text, float width = 0.0f);
/// `text` if it fits in `width` pixels, else its longest prefix of whole UTF-8
/// characters that fits with "…" appended.
std::string cut_to_width(const std::string& text, float width);

}  // namespace sglab::ui
