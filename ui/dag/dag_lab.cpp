// The DAG lab: layout, jobs and snapshots. The panels live in one file each
// (dag_*_panel.cpp, dag_graph_view.cpp, dag_plot_specs.cpp).
#include "ui/dag/dag_lab.hpp"

#include "core/config/json_reader.hpp"
#include "core/dag/dag_spec_json.hpp"

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

// The lab's spec when no preset file can be read: T2's shape, drawn from seed 1.
dag::DagSpec fallback_spec() {
  dag::DagSpec s;
  s.inputs = 3;
  s.layers = {{3, dag::Activation::tanh, 0, 1.0, {}},
              {2, dag::Activation::tanh, 0, 1.0, {}},
              {1, dag::Activation::identity, 0, 1.0, {}}};
  s.sigma = 0.5;
  return s;
}

}  // namespace

DagLab::DagLab(std::string assets_dir, int threads)
    : threads_(threads > 0 ? threads
                           : std::max(1, static_cast<int>(std::thread::hardware_concurrency()))) {
  classroom_lesson_ = assets_dir + "/" + kDagClassroomLesson;
  presets_ = load_dag_presets(assets_dir, &preset_errors_);
  if (!open_preset(0)) set_spec(fallback_spec(), "DAG (no preset found)", preset_errors_);
}

bool DagLab::open_preset(int index) {
  if (index < 0 || index >= static_cast<int>(presets_.size())) return false;
  const DagPreset& p = presets_[static_cast<std::size_t>(index)];
  set_spec(p.spec, p.name, p.description);
  preset_index_ = index;
  preset_edited_ = false;
  return true;
}

void DagLab::set_spec(const dag::DagSpec& spec, std::string name, std::string description) {
  knobs_.spec = spec;
  name_ = std::move(name);
  description_ = std::move(description);
  preset_index_ = -1;
  for (std::size_t i = 0; i < presets_.size(); ++i)
    if (presets_[i].name == name_) preset_index_ = static_cast<int>(i);
  view_.selected = -1;
  post_job();
}

namespace {

std::vector<std::string> pinnable_plots() {
  const DagPlots plots = build_dag_plots(nullptr, -1);
  return plot::plot_ids_of(plots.specs.data(), plots.specs.size());
}

}  // namespace

std::unique_ptr<Lab> make_dag_lab(const LabEnvironment& env) {
  return std::make_unique<DagLab>(env.assets_dir, env.threads);
}

void DagLab::load(const config::Scenario& scenario) {
  const nlohmann::json* view = scenario.view(id());
  if (scenario.body("dag")) {
    // The lab's own name when the file kept it (a whole-state file names the active lab).
    std::string name = scenario.name;
    if (view && view->contains("name") && (*view)["name"].is_string()) name = (*view)["name"].get<std::string>();
    set_spec(dag::dag_spec_of(scenario), name, scenario.lab == id() ? scenario.description : std::string());
  } else {
    open_preset(0);
  }
  double n = 1.0;
  int selected = -1;
  bool relative = true;
  if (view) {
    config::JsonObjectReader r(*view, std::string("view.") + id());
    r.string("name", "");
    n = r.number("n", 1.0, 1.0, 1e12);
    selected = static_cast<int>(r.integer("selected", -1, -1, dag::dag_node_count(knobs_.spec) - 1));
    relative = r.boolean("bars_relative", true);
    pins_ = r.has(plot::PinSet::kViewKey) ? plot::PinSet::from_json(r.raw(plot::PinSet::kViewKey), r.child_path(plot::PinSet::kViewKey), pinnable_plots())
                          : plot::PinSet{};
    r.finish();
  } else {
    pins_.clear();
  }
  set_n(n);
  view_.selected = selected;
  bars_relative_ = relative;
  pins_.refresh_labels(pin_settings());
}

void DagLab::store(config::Scenario& scenario) const {
  scenario.bodies["dag"] = dag::dag_spec_to_json(knobs_.spec);  // throws for a spec the editor made invalid
  scenario.views[id()] = {{"name", name_}, {"n", knobs_.n}, {"selected", view_.selected}, {"bars_relative", bars_relative_}};
  if (!pins_.empty()) scenario.views[id()][plot::PinSet::kViewKey] = pins_.to_json();
}

nlohmann::json DagLab::pin_settings() const {
  nlohmann::json settings;
  try {
    settings = dag::dag_spec_to_json(knobs_.spec);
  } catch (const std::exception&) {
    settings = nlohmann::json::object();  // a spec the editor made invalid: compared by n and node only
  }
  settings["n"] = knobs_.n;
  settings["selected node"] = view_.selected;
  return settings;
}

void DagLab::pin_results(UiContext& ui) {
  take_pin(pins_, pin_settings(), plots_.specs.data(), plots_.specs.size(), ui);
}

const plot::PlotSpec* DagLab::shown_specs() {
  return pinned_.apply(plots_.specs.data(), plots_.specs.size(), specs_generation_, pins_);
}

std::vector<KeyHelp> DagLab::keyboard_help() const {
  return {{"click a node (graph or bars)", "select it: its MSE(n), λ*(n) and MSE(λ) plots"}};
}

void DagLab::set_n(double n) {
  knobs_.n = std::max(1.0, n);
  post_job();
}

void DagLab::post_job() {
  ++edits_;
  jobs::DagLabRequest request;
  request.spec = knobs_.spec;
  request.n = knobs_.n;
  request.sample_trials = sample_trials_;
  const std::uint64_t version = edits_;
  const int threads = threads_;
  jobs::LatestSnapshot<jobs::DagLabResult>* latest = &latest_;
  jobs::JobRunner* runner = &runner_;
  posted_at_ = now_seconds();
  exact_timed_ = complete_timed_ = false;
  runner_.post("DAG exact analysis",
               [request, version, threads, latest, runner](const jobs::JobContext& context) {
                 jobs::compute_dag_lab(request, version, threads, context,
                                       [&](std::shared_ptr<const jobs::DagLabResult> r) {
                                         if (context.id() == runner->last_posted_id())
                                           latest->publish(std::move(r));  // a newer edit wins
                                       });
               });
}

void DagLab::track_timing(const jobs::DagLabResult* r) {
  if (r == nullptr || r->request_version != edits_) return;
  const double ms = (now_seconds() - posted_at_) * 1000.0;
  if (!exact_timed_ && (r->stages_done >= 1 || !r->error.empty())) {
    last_exact_ms_ = ms;
    exact_timed_ = true;
  }
  if (!complete_timed_ && r->complete) {
    last_complete_ms_ = ms;
    complete_timed_ = true;
  }
}

void DagLab::export_all(UiContext& ui) {
  export_plots_csv(ui, shown_specs(), plots_.specs.size(), "DAG plots");
  export_requested_ = true;  // PNGs are queued while drawing the next frame
}

void DagLab::draw(UiContext& ui) {
  const std::shared_ptr<const jobs::DagLabResult> result = latest_.get();
  const std::uint64_t version = latest_.version();
  track_timing(result.get());
  refresh_plots(result.get(), version);
  draw_controls_column(ui);
  ImGui::SameLine();
  draw_figures(result.get(), version, ui);
  flush_plot_message(ui);
}

void DagLab::refresh_plots(const jobs::DagLabResult* result, std::uint64_t version) {
  // A selection that no longer exists (after an edit) falls back to the first hidden node.
  if (result && result->analysis && result->index_of(view_.selected) < 0 && !result->analysis->nodes.empty())
    view_.selected = result->analysis->nodes.front().node;
  if (version != specs_version_ || view_.selected != specs_selected_) {
    plots_ = build_dag_plots(result, view_.selected);
    specs_version_ = version;
    specs_selected_ = view_.selected;
    ++specs_generation_;
  }
}

// Left column: presets and editor.
void DagLab::draw_controls_column(UiContext& ui) {
  // The scrollbar is always there and the content keeps its height mid-drag: a
  // knob that removes rows scrolled the column 190–250 px under the mouse (issue 11).
  ImGui::BeginChild("dag_controls", ImVec2(ui.scale > 1.0f ? ui.px(290) : ui.px(340), 0), true,
                    ImGuiWindowFlags_AlwaysVerticalScrollbar);
  bool open_lesson = false;
  const int clicked = draw_dag_preset_picker(presets_, preset_index_, preset_edited_, open_lesson, ui);
  if (clicked >= 0) open_preset(clicked);
  if (open_lesson) ui.requested_lesson = classroom_lesson_;
  ImGui::Separator();
  DagLabKnobs edited = knobs_;
  if (draw_dag_editor(edited, view_.selected, ui)) {
    if (edited.n == knobs_.n) preset_edited_ = true;  // the spec changed, not just the lab's n
    knobs_ = edited;
    post_job();
  }
  if (!preset_errors_.empty())
    ImGui::TextColored(ImVec4(0.7f, 0.1f, 0.0f, 1.0f), "Presets: %s", preset_errors_.c_str());
  hold_height_while_dragging(controls_height_);
  ImGui::EndChild();
}

// Right: conditions, graph, bars, plots. Figures first: the condition lights and
// the verdict take a line each in presenter mode (or a short window), and the
// five figures (graph, bars, the selected node's three plots) share the rest, a
// page at a time if need be.
void DagLab::draw_figures(const jobs::DagLabResult* result, std::uint64_t version, UiContext& ui) {
  const bool stale = !result || result->request_version != edits_;
  ImGui::BeginChild("dag_main", ImVec2(0, 0), false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  const bool compact = ui.presenter || ImGui::GetContentRegionAvail().y < ui.px(620);
  draw_dag_conditions(result, stale, ui, compact);
  pins_.refresh_labels(pin_settings());  // labels follow the knobs
  const ImGuiWindowFlags cell_flags = ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse;
  const int total = 2 + static_cast<int>(plots_.specs.size());
  // Ten lines, not nine: the graph keeps room above its key.
  const FigureGrid grid = fit_figures(total, ImGui::GetContentRegionAvail(), min_figure_cell(ui.scale, 10.0f),
                                      ImGui::GetStyle().ItemSpacing, figure_page_, figure_bar_height());
  figure_page_ = grid.page;
  draw_figure_pager("dag_pager", grid, total, figure_page_);
  if (draw_pin_bar(pins_, ui)) pin_results(ui);
  for (int k = grid.first; k < grid.first + grid.count; ++k) {
    if ((k - grid.first) % grid.cols != 0) ImGui::SameLine();
    const ImVec2 cell(grid.cell_w, grid.cell_h);
    if (k == 0) {
      ImGui::BeginChild("dag_graph", cell, true, cell_flags);
      draw_dag_graph(result, version, view_, ui.dag_renderer, ui, ImGui::GetContentRegionAvail());
      ui.report_window_figure("dag_graph");
      ImGui::EndChild();
    } else if (k == 1) {
      ImGui::BeginChild("dag_bars", cell, true, cell_flags);
      draw_dag_node_bars(result, view_.selected, bars_relative_, ui, ImGui::GetContentRegionAvail());
      ui.report_window_figure("dag_bars");
      ImGui::EndChild();
    } else {
      draw_plot_cell(static_cast<std::size_t>(k - 2), cell, compact, ui);
    }
  }
  export_requested_ = false;
  ImGui::EndChild();
}

// One of the selected node's plots, with its note under it.
void DagLab::draw_plot_cell(std::size_t i, ImVec2 cell, bool compact, UiContext& ui) {
  const plot::PlotSpec& shown = shown_specs()[i];
  const plot::PlotSpec& spec = plots_.specs[i];
  const std::string& note = plots_.notes[i];
  ImGui::BeginChild(spec.id.c_str(), cell, true, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  const float wrap = ImGui::GetContentRegionAvail().x;
  const float note_h = note.empty() ? 0.0f
                                    : (compact ? ImGui::GetFrameHeight()
                                               : ImGui::CalcTextSize(note.c_str(), nullptr, false, wrap).y) +
                                          ImGui::GetStyle().ItemSpacing.y;
  const ImVec2 region = ImGui::GetContentRegionAvail();
  plot::draw_plot(shown, ImVec2(region.x, region.y - note_h), plot_states_[i], ui.plot_env);
  ui.report_last_plot(spec.id);
  if (!note.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    collapsible_text("note", note, compact);
    ImGui::PopStyleColor();
  }
  queue_plot_png(ui, export_requested_, shown, plot_states_[i]);
  ImGui::EndChild();
}

void DagLab::draw_status(UiContext& ui) {
  if (!draw_job_progress(ui, runner_, "Stop the computation; the views keep the last finished result.")) {
    if (exact_timed_ && last_exact_ms_ > 0)
      ImGui::Text("exact views in %.0f ms, sample points in %.0f ms", last_exact_ms_,
                  last_complete_ms_);
    else
      ImGui::TextDisabled("idle");
  }
  ImGui::SameLine();
  ImGui::Text("  seed %llu", static_cast<unsigned long long>(knobs_.spec.seed));
}

}  // namespace sglab::ui
