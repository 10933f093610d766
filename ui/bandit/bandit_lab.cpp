// The bandit lab: load / store, transport (play / pause / reset, steps per
// frame), the read-out, the classroom text and the layout. Settings and plots
// live in bandit_settings_panel.cpp and bandit_plot_specs.cpp.
#include "ui/bandit/bandit_lab.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/bandit/bandit_config_json.hpp"
#include "core/config/json_reader.hpp"
#include "ui/figure_layout.hpp"
#include "ui/lab_widgets.hpp"
#include "ui/pin_bar.hpp"
#include "ui/theme.hpp"

namespace sglab::ui {

namespace {
constexpr int kMaxStepsPerFrame = 200;

std::vector<std::string> pinnable_plots() {
  const auto specs = build_bandit_plot_specs(nullptr, bandit::BanditConfig{}, BanditView{});
  return plot::plot_ids_of(specs.data(), specs.size());
}
}  // namespace

std::unique_ptr<Lab> make_bandit_lab(const LabEnvironment& env) { return std::make_unique<BanditLab>(env.threads); }

BanditLab::BanditLab(int threads) : engine_(threads) {
  engine_.set_steps_per_frame(view_.steps_per_frame);
  engine_.configure(config_);
}

void BanditLab::load(const config::Scenario& scenario) {
  set_playing(false);
  bandit::BanditConfig c;
  if (const nlohmann::json* body = scenario.body("bandit")) c = bandit::bandit_config_from_json(*body, "bandit");
  BanditView v;
  if (const nlohmann::json* view = scenario.view(id())) {
    config::JsonObjectReader r(*view, std::string("view.") + id());
    v.p_flip_index = static_cast<int>(r.integer("p_flip_index", 0, 0, static_cast<std::int64_t>(c.p_flip.size()) - 1));
    v.layer = static_cast<int>(r.integer("layer", 0, 0, c.layers - 1));
    v.steps_per_frame = static_cast<int>(r.integer("steps_per_frame", v.steps_per_frame, 1, kMaxStepsPerFrame));
    pins_ = r.has(plot::PinSet::kViewKey) ? plot::PinSet::from_json(r.raw(plot::PinSet::kViewKey), r.child_path(plot::PinSet::kViewKey), pinnable_plots())
                          : plot::PinSet{};
    r.finish();
  } else {
    pins_.clear();
  }
  set_config(c);
  set_view(v);
  pins_.refresh_labels(pin_settings());
}

void BanditLab::store(config::Scenario& scenario) const {
  scenario.bodies["bandit"] = bandit::bandit_config_to_json(config_);
  scenario.views[id()] = {
      {"p_flip_index", view_.p_flip_index}, {"layer", view_.layer}, {"steps_per_frame", view_.steps_per_frame}};
  if (!pins_.empty()) scenario.views[id()][plot::PinSet::kViewKey] = pins_.to_json();
}

nlohmann::json BanditLab::pin_settings() const {
  nlohmann::json settings = bandit::bandit_config_to_json(config_);
  settings["curves at p_flip index"] = view_.p_flip_index;
  settings["norms of layer"] = view_.layer + 1;
  return settings;
}

void BanditLab::pin_results(UiContext& ui) { take_pin(pins_, pin_settings(), specs_.data(), specs_.size(), ui); }

const plot::PlotSpec* BanditLab::shown_specs() {
  return pinned_.apply(specs_.data(), specs_.size(), specs_generation_, pins_);
}

std::vector<KeyHelp> BanditLab::keyboard_help() const {
  return {{"Space", "play / pause the runs"},
          {"Right (Shift+Right)", "pause and train one step of every run (as many as one frame of play)"},
          {"Play / Reset", "train the runs, back to step 0 (the same seeds replay exactly)"},
          {"legend click", "hide or show a method"}};
}

bool BanditLab::on_transport_key(TransportKey key) {
  const auto s = snapshot();
  const bool stopped = s && (!s->error.empty() || (s->session && s->session->finished));
  switch (key) {
    case TransportKey::kPlayPause:
      if (stopped && !playing_) return false;  // as the Play button: finished or refused
      set_playing(!playing_);
      return true;
    case TransportKey::kForward:
    case TransportKey::kForwardFar:
      if (stopped) return false;
      set_playing(false);
      // Steps asked while the worker is busy add up and go out on a later frame
      // (engine_.train() would replace a queued job: quick presses lost steps).
      pending_steps_ += key == TransportKey::kForwardFar ? view_.steps_per_frame : 1;
      flush_pending_steps();
      return true;
    case TransportKey::kBack:
    case TransportKey::kBackFar:
      return false;
  }
  return false;
}

void BanditLab::set_config(const bandit::BanditConfig& config) {
  config_ = config;
  pending_steps_ = 0;
  engine_.configure(config_);
}

void BanditLab::set_view(const BanditView& view) {
  view_ = view;
  set_steps_per_frame(view.steps_per_frame);
}

void BanditLab::set_steps_per_frame(int steps) {
  view_.steps_per_frame = std::clamp(steps, 1, kMaxStepsPerFrame);
  engine_.set_steps_per_frame(view_.steps_per_frame);
}

void BanditLab::set_playing(bool on) {
  playing_ = on;
  if (!on) engine_.pause();
}

void BanditLab::reset() {
  set_playing(false);
  pending_steps_ = 0;
  engine_.reset();
}

std::shared_ptr<const jobs::BanditLabSnapshot> BanditLab::snapshot() const {
  auto s = engine_.latest();
  return s && s->epoch == engine_.epoch() ? s : nullptr;
}

void BanditLab::tick() {
  engine_.note_frame();
  const auto s = snapshot();
  if (s && (!s->error.empty() || (s->session && s->session->finished))) playing_ = false;
  if (playing_ && !engine_.playing() && !engine_.busy()) engine_.play(view_.steps_per_frame);
  if (!playing_ && engine_.playing()) engine_.pause();
  if (!playing_) flush_pending_steps();
}

void BanditLab::flush_pending_steps() {
  if (pending_steps_ <= 0 || engine_.busy()) return;
  engine_.train(pending_steps_);
  pending_steps_ = 0;
}

void BanditLab::export_plots(UiContext& ui) {
  export_plots_csv(ui, shown_specs(), specs_.size(), "bandit plots");
  export_requested_ = true;  // PNGs are queued while drawing the next frame
}

void BanditLab::draw_classroom(UiContext& ui) {
  // Presenter mode starts with the list folded: the figures come first.
  if (!ImGui::CollapsingHeader(ui.presenter ? "What to try##presenter" : "What to try",
                               ui.presenter ? 0 : ImGuiTreeNodeFlags_DefaultOpen))
    return;
  text_wrapped_at_spaces(
      "• Raise p_flip: the reward is flipped more often, so the REINFORCE feedback gets noisier. Compare SG with "
      "adaptive λ against BP in the read-out below: who leads, and is the gap larger than 2 SE?");
  text_wrapped_at_spaces(
      "• Set the fixed λ to 0 and the SG learning rate to BP's: no synthetic gradient is mixed in, so the "
      "SG-fixed curve lies exactly on BP's.");
  if (ImGui::SmallButton("set fixed λ = 0, SG rate = BP rate")) {
    bandit::BanditConfig c = config_;
    c.fixed_lambda = 0.0;
    c.policy_lr_sg = c.policy_lr_bp;
    set_config(c);
  }
  text_wrapped_at_spaces(
      "• Watch the λ plot: where the adaptive λ rises, the layer leans on its synthetic gradient. Compare a "
      "layer's true and synthetic gradient norms.");
  text_wrapped_at_spaces(
      "• Tick \"sweep p_flip\" (or open File → Presets → the paper's sweep): the last panel gains a point per "
      "p_flip as its runs finish, the shape of the paper's p_flip figure.");
  text_wrapped_at_spaces("• Raise the seeds K: the bands narrow and the read-out can tell a gap from seed noise.");
}

void BanditLab::draw_readout(const jobs::BanditLabSnapshot* s) {
  if (!s || !s->session) return;
  const std::size_t pi = std::min<std::size_t>(static_cast<std::size_t>(view_.p_flip_index), config_.p_flip.size() - 1);
  const auto curves = bandit::method_curves(*s->session, config_, config_.p_flip[pi]);
  ImGui::Separator();
  // The read-outs change at every evaluation, and so does the number of lines
  // they wrap to. Their block keeps the tallest height it has had for these
  // runs and this p_flip (at this width, mode and "more"/"less" state), so
  // that "What to try" below does not jump at each evaluation, and the frame
  // redraws the changed text only, not the whole panel below it
  // (ui/draw_damage.hpp).
  const float top = ImGui::GetCursorPosY();
  const auto opened = [](const char* id) {  // collapsible_text's state (ui_context.hpp)
    ImGui::PushID(id);
    const bool open = ImGui::GetStateStorage()->GetBool(ImGui::GetID("open"), false);
    ImGui::PopID();
    return open;
  };
  ReadoutBlock key;
  key.epoch = s->epoch;
  key.p_flip_index = static_cast<int>(pi);
  key.width = ImGui::GetContentRegionAvail().x;
  key.presenter = presenter_;
  key.readout_open = opened("bandit_readout");
  key.lambda_open = opened("bandit_lambda");
  if (!key.same_place(readout_block_)) readout_block_ = key;
  collapsible_text("bandit_readout", bandit_readout(curves, config_.p_flip[pi]), presenter_);
  const std::string lambda = bandit_lambda_readout(curves, config_.initial_lambda);
  if (!lambda.empty()) collapsible_text("bandit_lambda", lambda, presenter_);
  const float used = ImGui::GetCursorPosY() - top;
  readout_block_.height = std::max(readout_block_.height, used);
  if (used < readout_block_.height) ImGui::SetCursorPosY(top + readout_block_.height);
}

void BanditLab::draw_controls(UiContext& ui, const jobs::BanditLabSnapshot* s) {
  if (ui.fonts.title) ImGui::PushFont(ui.fonts.title);
  ImGui::TextUnformatted("Contextual bandit, noisy reward");
  if (ui.fonts.title) ImGui::PopFont();
  presenter_ = ui.presenter;
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  collapsible_text("bandit_intro",
      "A SparseNet policy picks a digit class per image and is told right / wrong, the answer flipped with "
      "probability p_flip (paper §6, condition A.1). K seeds of each method train from one sample stream per seed.",
      ui.presenter);
  ImGui::PopStyleColor();

  const bool finished = s && s->session && s->session->finished;
  ImGui::BeginDisabled(finished || (s && !s->error.empty()));
  if (ImGui::Button(playing_ ? "Pause" : "Play", ImVec2(ui.px(70), 0))) set_playing(!playing_);
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button("Reset")) reset();
  item_tooltip("Back to step 0: the same seeds replay exactly the same steps.");
  ImGui::SameLine();
  int spf = view_.steps_per_frame;
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.45f);
  if (ImGui::SliderInt("steps/frame", &spf, 1, kMaxStepsPerFrame, "%d", ImGuiSliderFlags_Logarithmic))
    set_steps_per_frame(spf);
  item_tooltip(
      "While playing, each drawn frame asks the worker for this many more steps of every run (fewer when it is still "
      "busy: the window never waits for training).");

  if (config_.p_flip.size() > 1) {
    std::vector<std::string> names;
    for (double p : config_.p_flip) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "p_flip = %.2f", p);
      names.emplace_back(buf);
    }
    view_.p_flip_index = std::min(view_.p_flip_index, static_cast<int>(names.size()) - 1);
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.6f);
    if (ImGui::BeginCombo("curves at", names[static_cast<std::size_t>(view_.p_flip_index)].c_str())) {
      for (std::size_t i = 0; i < names.size(); ++i)
        if (ImGui::Selectable(names[i].c_str(), static_cast<int>(i) == view_.p_flip_index))
          view_.p_flip_index = static_cast<int>(i);
      ImGui::EndCombo();
    }
    item_tooltip("The sweep point whose learning curves, λ and gradient norms the first three plots show.");
  }
  view_.layer = std::min(view_.layer, config_.layers - 1);
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.6f);
  int layer = view_.layer + 1;
  if (ImGui::SliderInt("norms of layer", &layer, 1, config_.layers)) view_.layer = layer - 1;
  draw_readout(s);
  ImGui::Separator();
  draw_classroom(ui);
  ImGui::Separator();
  bandit::BanditConfig edited = config_;
  if (draw_bandit_settings(edited, ui)) set_config(edited);
}

void BanditLab::draw(UiContext& ui) {
  const std::shared_ptr<const jobs::BanditLabSnapshot> s = snapshot();
  // The settings column never takes more than 40% of the window (presenter mode on a small projector).
  const float column = std::min(ui.scale > 1.0f ? ui.px(330) : ui.px(360), ImGui::GetContentRegionAvail().x * 0.4f);
  ImGui::BeginChild("bandit_controls", ImVec2(column, 0), true, ImGuiWindowFlags_AlwaysVerticalScrollbar);
  draw_controls(ui, s.get());
  ImGui::EndChild();
  ImGui::SameLine();

  const std::uint64_t version = engine_.version() ^ (engine_.epoch() << 40);
  if (version != specs_version_ || !(view_ == specs_view_)) {
    specs_ = build_bandit_plot_specs(s.get(), config_, view_);
    specs_version_ = version;
    specs_view_ = view_;
    ++specs_generation_;
  }
  ImGui::BeginChild("bandit_main", ImVec2(0, 0), false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  if (s && !s->error.empty())
    ImGui::TextColored(ImVec4(0.7f, 0.1f, 0.0f, 1.0f), "Cannot train these settings: %s", s->error.c_str());
  pins_.refresh_labels(pin_settings());  // labels follow the knobs
  const int total = static_cast<int>(specs_.size());
  const FigureGrid grid = fit_figures(total, ImGui::GetContentRegionAvail(), min_figure_cell(ui.scale),
                                      ImGui::GetStyle().ItemSpacing, figure_page_, figure_bar_height());
  figure_page_ = grid.page;
  draw_figure_pager("bandit_pager", grid, total, figure_page_);
  if (draw_pin_bar(pins_, ui)) pin_results(ui);
  const plot::PlotSpec* shown = shown_specs();
  for (int k = grid.first; k < grid.first + grid.count; ++k) {
    const std::size_t i = static_cast<std::size_t>(k);
    if ((k - grid.first) % grid.cols != 0) ImGui::SameLine();
    ImGui::BeginChild(specs_[i].id.c_str(), ImVec2(grid.cell_w, grid.cell_h), true,
                      ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    plot::draw_plot(shown[i], ImGui::GetContentRegionAvail(), plot_states_[i], ui.plot_env);
    ui.report_last_plot(specs_[i].id);
    queue_plot_png(ui, export_requested_, shown[i], plot_states_[i]);  // with the pins, as drawn
    ImGui::EndChild();
  }
  export_requested_ = false;
  ImGui::EndChild();
  flush_plot_message(ui);
}

// Policy steps per run, averaged over the runs, per second of the whole
// --frames run (start-up included): with one run per method this is issue 9's
// "steps/s" of the live default (every method one step per step).
std::string BanditLab::frame_log_note(double seconds) const {
  const auto s = snapshot();
  if (!s || !s->error.empty() || !s->session || s->session->runs.empty()) return {};
  const auto& session = *s->session;
  const double per_run = static_cast<double>(session.steps_done) / static_cast<double>(session.runs.size());
  char line[200];
  std::snprintf(line, sizeof line, "bandit: %.0f policy steps per run (%zu runs) in %.1f s (%.0f steps/s per run)",
                per_run, session.runs.size(), seconds, seconds > 0 ? per_run / seconds : 0.0);
  return line;
}

void BanditLab::draw_status(UiContext& ui) {
  const auto s = snapshot();
  if (s && s->error.empty() && s->session) {
    const auto& session = *s->session;
    std::size_t done = 0;
    for (const auto& r : session.runs) done += r.steps_done >= config_.steps ? 1 : 0;
    ImGui::Text("%s %lld of %lld steps, %zu of %zu runs done",
                playing_ ? "training," : (session.finished ? "finished," : "paused,"),
                static_cast<long long>(session.steps_done), static_cast<long long>(session.steps_total), done,
                session.runs.size());
    if (s->last_job_steps_per_second > 0) {
      ImGui::SameLine();
      ImGui::Text("| worker %.0f steps/s", s->last_job_steps_per_second);
    }
  } else {
    ImGui::TextDisabled(engine_.busy() ? "starting the runs…" : "idle");
  }
  (void)ui;
}

}  // namespace sglab::ui
