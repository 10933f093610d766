#include "ui/lab_widgets.hpp"

#include <imgui.h>

#include <algorithm>
#include <exception>

#include "ui/plot/plot.hpp"

namespace sglab::ui {

bool draw_job_progress(UiContext& ui, jobs::JobRunner& runner, const char* cancel_tooltip) {
  if (runner.busy()) {
    const std::string label = runner.running_label();
    ImGui::TextUnformatted(label.empty() ? "starting…" : label.c_str());
    ImGui::SameLine();
    ImGui::ProgressBar(static_cast<float>(runner.progress()), ImVec2(ui.px(160), 0));
    ImGui::SameLine();
    if (ImGui::SmallButton("Cancel")) runner.cancel();
    item_tooltip(cancel_tooltip);
    return true;
  }
  const std::string error = runner.last_error();
  if (error.empty()) return false;
  ImGui::TextColored(ImVec4(0.7f, 0.1f, 0.0f, 1.0f), "Job failed: %s", error.c_str());
  return true;
}

void queue_window_png(UiContext& ui, bool export_requested, const std::string& figure_id) {
  if (!export_requested || ui.plot_env.png_requests == nullptr) return;
  plot::PngRequest r;
  r.min = ImGui::GetWindowPos();
  r.max = ImVec2(r.min.x + ImGui::GetWindowSize().x, r.min.y + ImGui::GetWindowSize().y);
  r.path = plot::export_path(ui.plot_env.export_dir, figure_id, "png");
  ui.plot_env.png_requests->push_back(std::move(r));
}

void queue_plot_png(UiContext& ui, bool export_requested, const plot::PlotSpec& spec, const plot::PlotState& state) {
  if (!export_requested || ui.plot_env.png_requests == nullptr) return;
  ui.plot_env.png_requests->push_back(
      plot::plot_png_request(spec, state, ui.plot_env, plot::export_path(ui.plot_env.export_dir, spec.id, "png")));
}

void export_plots_csv(UiContext& ui, const plot::PlotSpec* specs, std::size_t count, const std::string& what,
                      const std::function<bool(std::size_t)>& include) {
  int saved = 0;
  std::string last_error;
  for (std::size_t i = 0; i < count; ++i) {
    if (specs[i].id.empty() || (include && !include(i))) continue;
    try {
      plot::write_plot_csv(specs[i], plot::export_path(ui.plot_env.export_dir, specs[i].id, "csv"),
                           ui.plot_env.describe ? ui.plot_env.describe() : std::string());
      ++saved;
    } catch (const std::exception& e) {
      last_error = e.what();
    }
  }
  ui.notify(last_error.empty() ? "Exported " + std::to_string(saved) + " " + what + " (CSV + PNG) to " +
                                     ui.plot_env.export_dir
                               : "Export failed: " + last_error);
}

ControlGate::ControlGate(const UiContext& ui, const char* lab, const char* key)
    : shown_(ui.control_shown(lab, key)), disabled_(shown_ && ui.control_locked(lab, key)) {
  if (disabled_) ImGui::BeginDisabled();
}

ControlGate::~ControlGate() {
  if (disabled_) {
    ImGui::EndDisabled();
    item_tooltip("Locked by this lesson step: it holds the step's value.");
  }
}

void draw_step_controls_note(const UiContext& ui, const char* lab) {
  const UiContext::StepControls& c = ui.step_controls;
  if (c.lab != lab || (c.shown.empty() && c.locked.empty())) return;
  std::string text;
  for (const std::string& k : c.shown) text += (text.empty() ? "" : ", ") + k;
  if (!c.shown.empty()) ImGui::TextDisabled("This lesson step shows: %s", text.c_str());
  text.clear();
  for (const std::string& k : c.locked) text += (text.empty() ? "" : ", ") + k;
  if (!c.locked.empty()) ImGui::TextDisabled("Locked: %s", text.c_str());
}

void hold_height_while_dragging(float& held) {
  const float end = ImGui::GetCursorPosY();
  const bool dragging = ImGui::IsMouseDown(ImGuiMouseButton_Left) &&
                        ImGui::IsWindowFocused(ImGuiFocusedFlags_ChildWindows) && ImGui::IsAnyItemActive();
  if (!dragging) {
    held = end;
    return;
  }
  held = std::max(held, end);
  if (held > end) {  // an invisible spacer down to the held height: the scroll range stays
    ImGui::SetCursorPosY(held);
    ImGui::Dummy(ImVec2(0.0f, 0.0f));
  }
}

void flush_plot_message(UiContext& ui) {
  if (ui.plot_env.last_message.empty()) return;
  ui.notify(ui.plot_env.last_message);
  ui.plot_env.last_message.clear();
}

}  // namespace sglab::ui
