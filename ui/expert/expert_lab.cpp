// The expert-network lab: layout, jobs and snapshots. The panels themselves
// live in one file each (expert_*_panel.cpp, state_pooling_panel.cpp).
#include "ui/expert/expert_lab.hpp"

#include "core/config/json_reader.hpp"

#include "ui/figure_layout.hpp"
#include "ui/lab_widgets.hpp"
#include "ui/pin_bar.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <thread>

namespace sglab::ui {

namespace {

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct PanelInfo {
  const char* name;
  const char* title;
};
constexpr PanelInfo kPanels[] = {
    {"expert.controls", "Controls"},
    {"expert.readout", "Plain-language read-out"},
    {"expert.ratio_vs_d", "Ratio against d (Figure 2a)"},
    {"expert.mse_vs_n", "MSE against n"},
    {"expert.mse_vs_d", "MSE against d"},
    {"expert.ratio_vs_n", "Ratio against n"},
    {"expert.mse_vs_lambda", "MSE against λ"},
    {"expert.pooling", "State-pooling view"},
};

}  // namespace

const char* panel_name(ExpertPanel p) { return kPanels[static_cast<std::size_t>(p)].name; }
const char* panel_title(ExpertPanel p) { return kPanels[static_cast<std::size_t>(p)].title; }

ExpertLab::ExpertLab(int threads)
    : threads_(threads > 0 ? threads : std::max(1, static_cast<int>(std::thread::hardware_concurrency()))) {
  open_.fill(true);
  post_job();
}

void ExpertLab::set_scenario(const expert::ExpertScenario& s) {
  expert::validate(s);
  scenario_ = s;
  post_job();
}

void ExpertLab::post_job() {
  const expert::ExpertScenario s = scenario_;
  const int threads = threads_;
  jobs::LatestSnapshot<jobs::ExpertLabResult>* latest = &latest_;
  jobs::JobRunner* runner = &runner_;
  jobs::ExpertCellCache* cache = &cache_;
  posted_at_ = now_seconds();
  last_update_ms_ = 0.0;  // the previous timing belongs to other settings
  timed_job_ = runner_.post("expert d=" + std::to_string(s.d) + " k=" + std::to_string(s.k),
                            [s, threads, latest, runner, cache](const jobs::JobContext& context) {
                              jobs::compute_expert_lab(
                                  s, threads, context, [&](std::shared_ptr<const jobs::ExpertLabResult> r) {
                                    // A newer request may have arrived since the last check.
                                    if (context.id() == runner->last_posted_id()) latest->publish(std::move(r));
                                  },
                                  cache);
                            });
}

namespace {

std::vector<std::string> pinnable_plots() {
  const auto specs = build_expert_plot_specs(nullptr, expert::ExpertScenario{});
  return plot::plot_ids_of(specs.data(), specs.size());
}

}  // namespace

std::unique_ptr<Lab> make_expert_lab(const LabEnvironment& env) {
  return std::make_unique<ExpertLab>(env.threads);
}

void ExpertLab::load(const config::Scenario& scenario) {
  set_scenario(expert::expert_scenario_of(scenario));
  pooling_ = PoolingViewState{};
  if (const nlohmann::json* view = scenario.view(id())) {
    config::JsonObjectReader r(*view, std::string("view.") + id());
    pooling_.expert = static_cast<int>(r.integer("pooling_expert", 0, 0, scenario_.m - 1));
    pooling_.pinned = static_cast<int>(r.integer("pooling_state", 0, 0, (std::int64_t{1} << scenario_.d) - 1));
    pins_ = r.has(plot::PinSet::kViewKey) ? plot::PinSet::from_json(r.raw(plot::PinSet::kViewKey), r.child_path(plot::PinSet::kViewKey), pinnable_plots())
                          : plot::PinSet{};
    r.finish();
  } else {
    pins_.clear();
  }
  pins_.refresh_labels(expert::expert_scenario_to_json(scenario_));
}

void ExpertLab::store(config::Scenario& scenario) const {
  scenario.bodies["expert"] = expert::expert_scenario_to_json(scenario_);
  scenario.views[id()] = {{"pooling_expert", pooling_.expert}, {"pooling_state", pooling_.pinned}};
  if (!pins_.empty()) scenario.views[id()][plot::PinSet::kViewKey] = pins_.to_json();
}

void ExpertLab::pin_results(UiContext& ui) {
  // The pin is of what the plots show: the latest result's settings, which lag
  // the knobs while a job runs.
  const expert::ExpertScenario& shown = specs_result_ ? specs_result_->scenario : scenario_;
  take_pin(pins_, expert::expert_scenario_to_json(shown), specs_.data(), specs_.size(), ui);
  pins_.refresh_labels(expert::expert_scenario_to_json(scenario_));
}

const plot::PlotSpec* ExpertLab::shown_specs() {
  return pinned_.apply(specs_.data(), specs_.size(), specs_generation_, pins_);
}

std::vector<KeyHelp> ExpertLab::keyboard_help() const {
  return {{"hover the state grid", "light the states one expert pools together"},
          {"click a state", "keep it lit"}};
}

void ExpertLab::draw_view_menu(UiContext& /*ui*/) {
  for (int i = 0; i < static_cast<int>(ExpertPanel::kCount); ++i) {
    const auto p = static_cast<ExpertPanel>(i);
    bool open = panel_open(p);
    if (ImGui::MenuItem(panel_title(p), nullptr, &open)) set_panel_open(p, open);
  }
}

void ExpertLab::load_panels(const std::map<std::string, bool>& open) {
  for (std::size_t i = 0; i < open_.size(); ++i) {
    const auto it = open.find(kPanels[i].name);
    if (it != open.end()) open_[i] = it->second;
  }
}

void ExpertLab::save_panels(std::map<std::string, bool>& open) const {
  for (std::size_t i = 0; i < open_.size(); ++i) open[kPanels[i].name] = open_[i];
}

void ExpertLab::export_all(UiContext& ui) {
  export_plots_csv(ui, shown_specs(), specs_.size(), "plots", [this](std::size_t i) {
    return panel_open(static_cast<ExpertPanel>(static_cast<std::size_t>(ExpertPanel::kRatioVsD) + i));
  });
  export_requested_ = true;  // PNGs are queued while drawing the next frame
}

void ExpertLab::draw(UiContext& ui) {
  const std::shared_ptr<const jobs::ExpertLabResult> result = latest_.get();
  const std::uint64_t version = latest_.version();
  const bool stale = !result || result->scenario != scenario_ || !result->complete;
  const bool was_cancelled = stale && cancelled();
  refresh_specs(result, version, was_cancelled);

  // Controls: a knob change posts a job at once (cancelling the running one).
  if (panel_open(ExpertPanel::kControls)) {
    ImGui::BeginChild("controls", ImVec2(ui.scale > 1.0f ? ui.px(300) : ui.px(330), 0), true);
    expert::ExpertScenario edited = scenario_;
    if (draw_expert_controls(edited, ui) && edited != scenario_) {
      scenario_ = edited;
      post_job();
    }
    ImGui::EndChild();
    ImGui::SameLine();
  }

  ImGui::BeginChild("lab_main", ImVec2(0, 0), false);
  if (panel_open(ExpertPanel::kReadout)) {
    draw_expert_readout(result.get(),
                        was_cancelled ? ResultFreshness::kCancelled
                        : stale       ? ResultFreshness::kUpdating
                                      : ResultFreshness::kCurrent,
                        ui);
    ImGui::Separator();
  }
  pins_.refresh_labels(expert::expert_scenario_to_json(scenario_));  // labels follow the knobs
  draw_figures(result.get(), version, ui);
  ImGui::EndChild();
  flush_plot_message(ui);
}

void ExpertLab::refresh_specs(const std::shared_ptr<const jobs::ExpertLabResult>& result, std::uint64_t version,
                              bool was_cancelled) {
  if (version == specs_version_ && was_cancelled == specs_cancelled_ &&
      !(specs_result_ == nullptr && result == nullptr && specs_[0].id.empty()))
    return;
  specs_ = build_expert_plot_specs(result.get(), scenario_);
  if (was_cancelled)
    for (auto& spec : specs_) {
      spec.subtitle += spec.subtitle.empty() ? "" : " · ";
      spec.subtitle += "cancelled: partial";
      spec.empty_message = "cancelled before this plot";
    }
  specs_version_ = version;
  specs_result_ = result;
  specs_cancelled_ = was_cancelled;
  ++specs_generation_;
}

// The open figures: in presenter mode they fit the window, a page at a time,
// never scrolled; otherwise up to three columns of at least 300 px rows.
FigureGrid ExpertLab::layout_figures(int total, UiContext& ui) {
  FigureGrid grid;
  if (ui.presenter) {
    grid = fit_figures(total, ImGui::GetContentRegionAvail(), min_figure_cell(ui.scale), ImGui::GetStyle().ItemSpacing,
                       figure_page_, figure_bar_height());
    figure_page_ = grid.page;
    draw_figure_pager("expert_pager", grid, total, figure_page_);
    if (draw_pin_bar(pins_, ui)) pin_results(ui);
    return grid;
  }
  if (draw_pin_bar(pins_, ui)) pin_results(ui);
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  grid.cols = std::clamp(static_cast<int>((avail.x + spacing) / ui.px(410)), 1, std::min(3, std::max(1, total)));
  grid.rows = (total + grid.cols - 1) / grid.cols;
  grid.count = total;
  grid.cell_w = std::floor((avail.x - spacing * static_cast<float>(grid.cols - 1)) / static_cast<float>(grid.cols));
  const float fit_h = (avail.y - ImGui::GetStyle().ItemSpacing.y * static_cast<float>(grid.rows - 1)) /
                      static_cast<float>(std::max(grid.rows, 1));
  grid.cell_h = std::floor(std::max(ui.px(300), fit_h));
  return grid;
}

void ExpertLab::draw_figures(const jobs::ExpertLabResult* result, std::uint64_t version, UiContext& ui) {
  std::vector<ExpertPanel> shown;
  for (std::size_t i = static_cast<std::size_t>(ExpertPanel::kRatioVsD); i < static_cast<std::size_t>(ExpertPanel::kCount); ++i)
    if (open_[i]) shown.push_back(static_cast<ExpertPanel>(i));
  ImGui::BeginChild("plots", ImVec2(0, 0), false,
                    ui.presenter ? ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse : 0);
  if (shown.empty()) ImGui::TextDisabled("Every plot is closed: open them again from the View menu.");
  const FigureGrid grid = layout_figures(static_cast<int>(shown.size()), ui);
  const plot::PlotSpec* shown_specs_now = shown_specs();
  for (std::size_t i = static_cast<std::size_t>(grid.first); i < static_cast<std::size_t>(grid.first + grid.count); ++i) {
    if ((i - static_cast<std::size_t>(grid.first)) % static_cast<std::size_t>(grid.cols) != 0) ImGui::SameLine();
    const ExpertPanel p = shown[i];
    ImGui::BeginChild(panel_name(p), ImVec2(grid.cell_w, grid.cell_h), true,
                      ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    if (p == ExpertPanel::kPooling) {
      draw_state_pooling(result, version, pooling_, ui, ImGui::GetContentRegionAvail().y);
      ui.report_window_figure(panel_name(p));
    } else {
      const std::size_t index = static_cast<std::size_t>(p) - static_cast<std::size_t>(ExpertPanel::kRatioVsD);
      plot::draw_plot(shown_specs_now[index], ImGui::GetContentRegionAvail(), plot_states_[index], ui.plot_env);
      ui.report_last_plot(panel_name(p));
      queue_plot_png(ui, export_requested_, shown_specs_now[index], plot_states_[index]);
    }
    ImGui::EndChild();
  }
  export_requested_ = false;
  ImGui::EndChild();
}

void ExpertLab::tick() {
  const std::shared_ptr<const jobs::ExpertLabResult> result = latest_.get();
  if (result && result->complete && timed_job_ != 0 && result->scenario == scenario_) {
    last_update_ms_ = (now_seconds() - posted_at_) * 1000.0;
    timed_job_ = 0;
  }
}

bool ExpertLab::cancelled() const {
  if (runner_.busy() || !runner_.last_error().empty()) return false;
  const std::shared_ptr<const jobs::ExpertLabResult> result = latest_.get();
  // Nothing runs, yet the newest result is not the current settings' complete one.
  return !result || result->scenario != scenario_ || !result->complete;
}

void ExpertLab::draw_status(UiContext& ui) {
  if (!draw_job_progress(ui, runner_, "Stop the computation; the plots keep what was finished, labelled partial.")) {
    if (cancelled()) {
      ImGui::TextColored(ImVec4(0.7f, 0.3f, 0.0f, 1.0f), "cancelled: partial result");
      ImGui::SameLine();
      if (ImGui::SmallButton("Resume")) post_job();
      item_tooltip("Compute the current settings again (finished cells come from the cache).");
    } else if (last_update_ms_ > 0) {
      ImGui::Text("updated in %.0f ms", last_update_ms_);
    } else {
      ImGui::TextDisabled("idle");
    }
  }
  ImGui::SameLine();
  ImGui::Text("  seed %llu", static_cast<unsigned long long>(scenario_.seed));
}

}  // namespace sglab::ui
