#pragma once
// What every panel may use: the presenter scale, fonts, the plot widget's
// environment (export folder, PNG queue), the state-grid renderer and a
// one-line status message. Owned by the application shell.

#include <string>

#include "ui/plot/plot.hpp"
#include "ui/state_grid.hpp"
#include "ui/theme.hpp"

namespace sglab::ui {

class DagGraphRenderer;  // ui/dag/dag_graph_scene.hpp

struct UiContext {
  float scale = 1.0f;  ///< 1 normally, kPresenterScale in presenter mode
  Fonts fonts;
  plot::PlotEnv plot_env;
  StateGridRenderer* grid_renderer = nullptr;  ///< nullptr without OpenGL (tests)
  DagGraphRenderer* dag_renderer = nullptr;    ///< nullptr without OpenGL: ImDrawList fallback
  std::string status_message;
  double status_time = -1.0;  ///< ImGui time of the message

  void notify(std::string message) {
    status_message = std::move(message);
    status_time = ImGui::GetCurrentContext() ? ImGui::GetTime() : 0.0;
  }
  float px(float v) const { return v * scale; }
};

/// "(?)" marker with a wrapped tooltip, for explaining a knob in the paper's terms.
void help_marker(const char* text);
/// Tooltip on the last item, wrapped at a readable width.
void item_tooltip(const char* text);
/// Text wrapped at spaces only (ImGui's own wrapping also breaks after a
/// full stop, which splits numbers such as "32.9"). width ≤ 0: available width.
void text_wrapped_at_spaces(const std::string& text, float width = 0.0f);

}  // namespace sglab::ui
