#include "ui/lab_widgets.hpp"

#include <imgui.h>

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

void queue_window_png(UiContext& ui, bool export_requested, const std::string& plot_id) {
  if (!export_requested || ui.plot_env.png_requests == nullptr) return;
  const ImVec2 a = ImGui::GetWindowPos();
  const ImVec2 b(a.x + ImGui::GetWindowSize().x, a.y + ImGui::GetWindowSize().y);
  ui.plot_env.png_requests->push_back({a, b, plot::export_path(ui.plot_env.export_dir, plot_id, "png")});
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

void flush_plot_message(UiContext& ui) {
  if (ui.plot_env.last_message.empty()) return;
  ui.notify(ui.plot_env.last_message);
  ui.plot_env.last_message.clear();
}

}  // namespace sglab::ui
