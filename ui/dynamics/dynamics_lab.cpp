// The mixing-dynamics lab: network choice, transport (play / pause / step /
// reset, steps per frame, scrub bar), node picker, layout. Settings and plots
// live in dynamics_settings_panel.cpp and dynamics_plot_specs.cpp.
#include "ui/dynamics/dynamics_lab.hpp"

#include "core/dynamics/divergence_note.hpp"

#include "ui/figure_layout.hpp"
#include "ui/lab_widgets.hpp"
#include "ui/pin_bar.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/config/json_reader.hpp"
#include "core/dag/dag_spec_json.hpp"
#include "core/dynamics/reference_networks.hpp"
#include "core/util/error.hpp"
#include "ui/theme.hpp"

namespace sglab::ui {

std::vector<DynamicsNetworkChoice> dynamics_network_choices(const DagLab& dag) {
  std::vector<DynamicsNetworkChoice> out;
  for (const DagPreset& p : dag.presets()) out.push_back({p.id, p.name, p.spec});
  out.push_back({"dag", "the DAG lab's network now (" + dag.name() + ")", dag.spec()});
  out.push_back({"sparse40", "40-node sparse: 8 → 16 → 12 → 8 → 4, fan-in 3, σ = 0.5", dynamics::sparse40_spec()});
  return out;
}

dynamics::TrainConfig default_dynamics_config() {
  dynamics::TrainConfig c;
  c.steps = 20000;
  c.batch_size = 64;
  c.fixed_lambda = 0.5;
  c.initial_lambda = 0.5;
  c.exact_every = 50;
  c.eval_every = 50;
  return c;
}

std::unique_ptr<Lab> make_dynamics_lab(const LabEnvironment& env) {
  const auto* dag = dynamic_cast<const DagLab*>(env.find ? env.find("dag") : nullptr);
  if (!dag) throw Error("the mixing-dynamics lab needs the DAG lab registered before it");
  return std::make_unique<DynamicsLab>(*dag);
}

std::vector<DynamicsNetworkChoice> DynamicsLab::choices() const {
  std::vector<DynamicsNetworkChoice> out = dynamics_network_choices(dag_);
  if (from_file_) out.push_back(*from_file_);
  return out;
}

bool DynamicsLab::choose_network(const std::string& id) {
  const auto all = choices();
  for (std::size_t i = 0; i < all.size(); ++i)
    if (all[i].id == id) {
      choose_network(static_cast<int>(i));
      return true;
    }
  return false;
}

namespace {

std::vector<std::string> pinnable_plots() {
  const auto specs = build_dynamics_plot_specs(nullptr, -1, -1);
  return plot::plot_ids_of(specs.data(), specs.size());
}

}  // namespace

void DynamicsLab::load(const config::Scenario& scenario) {
  set_playing(false);
  dynamics::TrainConfig c = default_dynamics_config();
  std::string network = dag_.presets().size() > 1 ? dag_.presets()[1].id : "dag";  // T2 by default
  from_file_.reset();
  if (scenario.body("train")) {
    c = dynamics::train_config_of(scenario);
    switch (c.network.kind) {
      case dynamics::TrainNetwork::Kind::kScenarioDag: network = "dag"; break;
      case dynamics::TrainNetwork::Kind::kSparse40: network = "sparse40"; break;
      case dynamics::TrainNetwork::Kind::kOwnSpec: {
        // A preset of the same name and network is that preset; anything else is the file's own.
        network = "file";
        const nlohmann::json spec = dag::dag_spec_to_json(c.network.spec);
        for (const DagPreset& p : dag_.presets())
          if (p.name == c.network.name && dag::dag_spec_to_json(p.spec) == spec) network = p.id;
        if (network == "file") from_file_ = DynamicsNetworkChoice{"file", c.network.name, c.network.spec};
        break;
      }
    }
  }
  int selected = -1, steps_per_frame = 40;
  if (const nlohmann::json* view = scenario.view(id())) {
    config::JsonObjectReader r(*view, std::string("view.") + id());
    selected = static_cast<int>(r.integer("selected_node", -1, -1, 1 << 20));
    steps_per_frame = static_cast<int>(r.integer("steps_per_frame", 40, 1, 100000));
    pins_ = r.has(plot::PinSet::kViewKey) ? plot::PinSet::from_json(r.raw(plot::PinSet::kViewKey), r.child_path(plot::PinSet::kViewKey), pinnable_plots())
                          : plot::PinSet{};
    r.finish();
  } else {
    pins_.clear();
  }
  config_ = c;
  choose_network(network);  // restarts the runs with config_
  selected_node_ = selected;
  set_steps_per_frame(steps_per_frame);
  pins_.refresh_labels(pin_settings());
}

nlohmann::json DynamicsLab::train_body() const {
  dynamics::TrainConfig c = config_;
  const auto all = choices();
  const DynamicsNetworkChoice& choice = all.at(static_cast<std::size_t>(network_));
  if (choice.id == "dag") {
    c.network = {};
  } else if (choice.id == "sparse40") {
    c.network.kind = dynamics::TrainNetwork::Kind::kSparse40;
  } else {
    c.network.kind = dynamics::TrainNetwork::Kind::kOwnSpec;
    c.network.name = choice.label;
    c.network.spec = choice.spec;
  }
  return dynamics::train_config_to_json(c);
}

void DynamicsLab::store(config::Scenario& scenario) const {
  scenario.bodies["train"] = train_body();
  scenario.views[id()] = {{"selected_node", selected_node_}, {"steps_per_frame", steps_per_frame_}};
  if (!pins_.empty()) scenario.views[id()][plot::PinSet::kViewKey] = pins_.to_json();
}

nlohmann::json DynamicsLab::pin_settings() const {
  nlohmann::json settings = train_body();
  settings["selected node"] = selected_node_;
  return settings;
}

void DynamicsLab::pin_results(UiContext& ui) {
  take_pin(pins_, pin_settings(), specs_.data(), specs_.size(), ui);
}

const plot::PlotSpec* DynamicsLab::shown_specs() {
  return pinned_.apply(specs_.data(), specs_.size(), specs_generation_, pins_);
}

std::vector<KeyHelp> DynamicsLab::keyboard_help() const {
  return {{"Space", "play / pause the three runs"},
          {"Left (Shift+Left)", "pause and show the recorded step before (a twentieth of the record back)"},
          {"Right (Shift+Right)",
           "show the next recorded step; at the newest, train one step (as many as one frame of play)"},
          {"Play / Step / Reset", "train, one step, back to step 0 (the same seed replays exactly)"},
          {"scrub bar", "show an earlier recorded step"}};
}

bool DynamicsLab::on_transport_key(TransportKey key) {
  const auto s = engine_.latest();
  const bool current = s && s->epoch == engine_.epoch();
  const bool finished = current && s->finished;
  const int records = current ? static_cast<int>(s->records.size()) : 0;
  const int shown = scrub_ < 0 ? records - 1 : std::min(scrub_, records - 1);
  const bool far = key == TransportKey::kBackFar || key == TransportKey::kForwardFar;
  const int jump = far ? std::max(1, records / 20) : 1;
  switch (key) {
    case TransportKey::kPlayPause:
      if (finished && !playing_) return false;  // as the Play button: nothing left to train
      set_playing(!playing_);
      scrub_ = -1;
      return true;
    case TransportKey::kBack:
    case TransportKey::kBackFar:
      if (records == 0) return false;
      set_playing(false);
      scrub_ = std::max(0, shown - jump);
      return true;
    case TransportKey::kForward:
    case TransportKey::kForwardFar:
      if (scrub_ >= 0 && shown < records - 1) {
        const int next = std::min(records - 1, shown + jump);
        scrub_ = next == records - 1 ? -1 : next;  // at the newest: follow it again
        return true;
      }
      if (finished) return false;
      train_steps(far ? steps_per_frame_ : 1);
      return true;
  }
  return false;
}

DynamicsLab::DynamicsLab(const DagLab& dag) : dag_(dag), config_(default_dynamics_config()) {
  choices_ = choices();
  network_ =
      dag_.presets().size() > 1 ? 1 : 0;  // T2: noisy feedback, where λ has something to learn
  restart();
}

void DynamicsLab::restart() {
  if (network_ < 0 || network_ >= static_cast<int>(choices_.size())) return;
  engine_.configure(choices_[static_cast<std::size_t>(network_)].spec, config_);
  scrub_ = -1;
  pending_steps_ = 0;
}

void DynamicsLab::choose_network(int index) {
  choices_ = choices();
  if (index < 0 || index >= static_cast<int>(choices_.size())) return;
  network_ = index;
  selected_node_ = -1;
  restart();
}

void DynamicsLab::set_config(const dynamics::TrainConfig& config) {
  config_ = config;
  restart();
}

void DynamicsLab::set_playing(bool on) {
  playing_ = on;
  if (!on) engine_.pause();
}

void DynamicsLab::step_once() { train_steps(1); }

// Steps asked while the worker is busy (a paused play job still stopping, a
// step before) add up and go out on a later frame: engine_.train() would
// replace a queued job, so quick Step clicks or Right presses lost steps.
void DynamicsLab::train_steps(std::int64_t steps) {
  set_playing(false);
  scrub_ = -1;
  pending_steps_ += steps;
  flush_pending_steps();
}

void DynamicsLab::flush_pending_steps() {
  if (pending_steps_ <= 0 || engine_.busy()) return;
  engine_.train(pending_steps_);
  pending_steps_ = 0;
}

void DynamicsLab::reset() {
  set_playing(false);
  pending_steps_ = 0;
  engine_.reset();
  scrub_ = -1;
}

void DynamicsLab::tick() {
  engine_.note_frame();
  const auto s = engine_.latest();
  if (s && s->epoch == engine_.epoch() && (s->finished || !s->error.empty())) playing_ = false;
  if (playing_ && !engine_.playing() && !engine_.busy()) engine_.play(steps_per_frame_);
  if (!playing_ && engine_.playing()) engine_.pause();
  if (!playing_) flush_pending_steps();
}

void DynamicsLab::export_all(UiContext& ui) {
  export_plots_csv(ui, shown_specs(), specs_.size(), "dynamics plots");
  export_requested_ = true;  // PNGs are queued while drawing the next frame
}

void DynamicsLab::draw_network_picker(UiContext& ui) {
  ControlGate gate(ui, "dynamics", "network");
  if (!gate.shown()) return;
  ImGui::TextUnformatted("Network");
  ImGui::SetNextItemWidth(-1);
  const std::string preview = choices_.empty() ? "" : choices_[static_cast<std::size_t>(network_)].label;
  if (ImGui::BeginCombo("##network", preview.c_str())) {
    const auto fresh = choices();
    for (std::size_t i = 0; i < fresh.size(); ++i)
      if (ImGui::Selectable(fresh[i].label.c_str(), static_cast<int>(i) == network_)) choose_network(static_cast<int>(i));
    ImGui::EndCombo();
  }
}

// Play / Pause, Step, Reset and the steps asked per frame.
void DynamicsLab::draw_transport(UiContext& ui, bool finished) {
  ImGui::BeginDisabled(finished);
  if (ImGui::Button(playing_ ? "Pause" : "Play", ImVec2(ui.px(70), 0))) {
    set_playing(!playing_);
    scrub_ = -1;
  }
  ImGui::SameLine();
  if (ImGui::Button("Step")) step_once();
  item_tooltip("One SGD step of each run.");
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button("Reset")) reset();
  item_tooltip("Back to step 0: the same seed replays exactly the same steps.");
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.5f);
  if (ImGui::SliderInt("steps / frame", &steps_per_frame_, 1, 500, "%d", ImGuiSliderFlags_Logarithmic))
    engine_.set_steps_per_frame(steps_per_frame_);
  item_tooltip(
      "While playing, each drawn frame asks the worker for this many more steps (fewer when it is "
      "still busy: the window never waits for training).");
}

// The scrub bar over the recorded steps.
void DynamicsLab::draw_scrub_bar(const jobs::DynamicsLabSnapshot& s, int records) {
  int shown = scrub_ < 0 ? records - 1 : std::min(scrub_, records - 1);
  char label[64];
  std::snprintf(label, sizeof label, "step %lld", static_cast<long long>(s.records.step(static_cast<std::size_t>(shown))));
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.7f);
  if (ImGui::SliderInt("##scrub", &shown, 0, records - 1, label)) {
    scrub_ = shown;
    set_playing(false);
  }
  item_tooltip("Scrub through the recorded steps (the plots mark the step; the read-out shows its values).");
  ImGui::SameLine();
  ImGui::BeginDisabled(scrub_ < 0);
  if (ImGui::SmallButton("newest")) scrub_ = -1;
  ImGui::EndDisabled();
}

// The non-input nodes that mix (have a λ); by default the first that mixes and
// also predicts (so every plot has data), else the first that mixes.
void DynamicsLab::draw_node_picker(const dynamics::TrainRecords& records) {
  const auto& layout = records.layout();
  const auto slot_of = [](int k) { return static_cast<std::size_t>(k); };
  if (records.slot_of_node(selected_node_) < 0 || !layout.mixes[slot_of(records.slot_of_node(selected_node_))]) {
    selected_node_ = -1;
    for (int pass = 0; pass < 2 && selected_node_ < 0; ++pass)
      for (int k = 0; k < layout.slots() && selected_node_ < 0; ++k)
        if (layout.mixes[slot_of(k)] && (pass == 1 || layout.has_predictor[slot_of(k)]))
          selected_node_ = layout.node[slot_of(k)];
  }
  char current[32];
  std::snprintf(current, sizeof current, "node %d", selected_node_);
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.5f);
  if (!ImGui::BeginCombo("node shown", current)) return;
  for (int k = 0; k < layout.slots(); ++k) {
    if (!layout.mixes[slot_of(k)]) continue;
    char item[48];
    std::snprintf(item, sizeof item, "node %d (layer %d)", layout.node[slot_of(k)], layout.layer[slot_of(k)]);
    if (ImGui::Selectable(item, layout.node[slot_of(k)] == selected_node_)) selected_node_ = layout.node[slot_of(k)];
  }
  ImGui::EndCombo();
}

void DynamicsLab::draw_controls(UiContext& ui, const jobs::DynamicsLabSnapshot* s) {
  if (ui.fonts.title) ImGui::PushFont(ui.fonts.title);
  ImGui::TextUnformatted("Three runs, one seed");
  if (ui.fonts.title) ImGui::PopFont();
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  collapsible_text("dyn_intro",
                   "BP, SG with a fixed λ and SG with an adaptive λ train from the same seed on the same "
                   "batches. Adaptive λ follows §5's batch plug-in of eq 18 with momentum; the synthetic "
                   "gradients come from learned linear predictors. Three estimators of λ run side by side on "
                   "the adaptive run's batches, each scored against the exact λ*(n = B).",
                   ui.presenter);
  ImGui::PopStyleColor();
  draw_network_picker(ui);
  ImGui::Spacing();
  const bool current = s && s->epoch == engine_.epoch();
  draw_transport(ui, current && s->finished);
  const int records = current ? static_cast<int>(s->records.size()) : 0;
  if (records > 0) draw_scrub_bar(*s, records);
  else ImGui::TextDisabled("No steps yet: press Play or Step.");
  if (s && s->records.slots() > 0) draw_node_picker(s->records);

  ImGui::Separator();
  dynamics::TrainConfig edited = config_;
  if (draw_dynamics_settings(edited, ui)) set_config(edited);

  if (current && records > 0) {
    ImGui::Separator();
    const int slot = s->records.slot_of_node(selected_node_);
    const int record = scrub_ < 0 ? records - 1 : std::min(scrub_, records - 1);
    int line_no = 0;
    for (const std::string& line : dynamics_readout(*s, slot, record))
      collapsible_text(("dyn_readout" + std::to_string(line_no++)).c_str(), line, ui.presenter);
  }
}

void DynamicsLab::draw(UiContext& ui) {
  const std::shared_ptr<const jobs::DynamicsLabSnapshot> s = engine_.latest();
  const bool current = s && s->epoch == engine_.epoch();
  // The scrollbar is always there: one appearing mid-drag (the read-out grows
  // when the first steps arrive) narrowed the slider under the mouse (issue 11).
  ImGui::BeginChild("dyn_controls", ImVec2(ui.scale > 1.0f ? ui.px(300) : ui.px(340), 0), true,
                    ImGuiWindowFlags_AlwaysVerticalScrollbar);
  draw_controls(ui, current ? s.get() : nullptr);
  hold_height_while_dragging(controls_height_);
  ImGui::EndChild();
  ImGui::SameLine();

  const int slot = current ? s->records.slot_of_node(selected_node_) : -1;
  const int records = current ? static_cast<int>(s->records.size()) : 0;
  const int scrub = scrub_ < 0 || records == 0 ? -1 : std::min(scrub_, records - 1);
  const std::uint64_t version = engine_.version();
  // Dragging a knob while playing restarts the runs every frame; until the new
  // runs' first steps arrive the plots keep the last curves instead of blanking.
  const bool restarting = playing_ && records == 0 && specs_have_data_;
  if (!restarting && (version != specs_version_ || slot != specs_slot_ || scrub != specs_scrub_)) {
    specs_ = build_dynamics_plot_specs(current ? s.get() : nullptr, slot, scrub);
    specs_have_data_ = records > 0;
    specs_version_ = version;
    specs_slot_ = slot;
    specs_scrub_ = scrub;
    ++specs_generation_;
  }

  ImGui::BeginChild("dyn_main", ImVec2(0, 0), false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  if (current && !s->error.empty())
    ImGui::TextColored(ImVec4(0.7f, 0.1f, 0.0f, 1.0f), "Cannot train this network: %s",
                       s->error.c_str());
  pins_.refresh_labels(pin_settings());  // labels follow the knobs
  constexpr int kCells = kDynamicsPlotCount + 1;  // −1 = the heat map
  // λ heat map, loss, the selected node's λ, tracking error per node, ingredients, predictor error.
  constexpr int kOrder[kCells] = {-1, 0, 1, 4, 2, 3};
  const FigureGrid grid = fit_figures(kCells, ImGui::GetContentRegionAvail(), min_figure_cell(ui.scale),
                                      ImGui::GetStyle().ItemSpacing, figure_page_, figure_bar_height());
  figure_page_ = grid.page;
  draw_figure_pager("dyn_pager", grid, kCells, figure_page_);
  if (draw_pin_bar(pins_, ui)) pin_results(ui);
  const plot::PlotSpec* shown = shown_specs();
  for (int k = grid.first; k < grid.first + grid.count; ++k) {
    const int i = kOrder[k];
    if ((k - grid.first) % grid.cols != 0) ImGui::SameLine();
    const char* id = i < 0 ? "dyn_lambda_heat_map" : specs_[static_cast<std::size_t>(i)].id.c_str();
    ImGui::BeginChild(id, ImVec2(grid.cell_w, grid.cell_h), true,
                      ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    if (i < 0) {
      const int picked = current ? draw_lambda_heat_map(s->records, version, selected_node_, scrub,
                                                        ImGui::GetContentRegionAvail(), ui, heat_map_)
                                 : -1;
      if (picked >= 0) selected_node_ = picked;
      ui.report_window_figure(id);
      queue_window_png(ui, export_requested_, id);
    } else {
      plot::draw_plot(shown[static_cast<std::size_t>(i)], ImGui::GetContentRegionAvail(),
                      plot_states_[static_cast<std::size_t>(i)], ui.plot_env);
      ui.report_last_plot(id);
      queue_plot_png(ui, export_requested_, shown[static_cast<std::size_t>(i)], plot_states_[static_cast<std::size_t>(i)]);
    }
    ImGui::EndChild();
  }
  export_requested_ = false;
  ImGui::EndChild();
  flush_plot_message(ui);
}

namespace {
// Issue 10: diverged runs (and thinned records) say so in one line each.
void draw_record_notes(const dynamics::TrainRecords& records) {
  const std::string diverged = dynamics::divergence_note(records);
  if (!diverged.empty()) ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.3f, 1.0f), "%s", diverged.c_str());
  if (records.thinning_passes() > 0)
    ImGui::TextDisabled("records thinned %d time(s) to stay under the memory budget: older steps are decimated",
                        records.thinning_passes());
}
}  // namespace

// Training steps per second of wall time over the whole --frames run (start-up
// included), and the worker's rate over its last chunk.
std::string DynamicsLab::frame_log_note(double seconds) const {
  const auto s = engine_.latest();
  if (!s || !s->error.empty()) return {};
  char line[200];
  std::snprintf(line, sizeof line, "dynamics: %lld steps in %.1f s (%.0f steps/s); worker %.0f steps/s (last chunk)",
                static_cast<long long>(s->steps_done), seconds,
                seconds > 0 ? static_cast<double>(s->steps_done) / seconds : 0.0, s->last_job_steps_per_second);
  return line;
}

void DynamicsLab::draw_status(UiContext& ui) {
  const auto s = engine_.latest();
  if (s && s->epoch == engine_.epoch() && s->error.empty()) {
    ImGui::Text("%s step %lld of %lld",
                playing_ ? "training," : (s->finished ? "finished," : "paused,"),
                static_cast<long long>(s->steps_done), static_cast<long long>(s->steps_total));
    if (s->last_job_steps_per_second > 0) {
      ImGui::SameLine();
      ImGui::Text("| worker %.0f steps/s", s->last_job_steps_per_second);
    }
  } else {
    ImGui::TextDisabled(engine_.busy() ? "starting the runs…" : "idle");
  }
  ImGui::SameLine();
  ImGui::Text("  seed %llu", static_cast<unsigned long long>(config_.seed));
  if (s && s->epoch == engine_.epoch()) draw_record_notes(s->records);
  (void)ui;
}

}  // namespace sglab::ui
