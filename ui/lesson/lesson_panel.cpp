#include "ui/lesson/lesson_panel.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "core/labs/scenario_files.hpp"
#include "core/lessons/lab_quantities.hpp"
#include "core/util/cancelled.hpp"
#include "core/util/error.hpp"
#include "ui/shortcuts.hpp"

namespace sglab::ui {

namespace {

const ImVec4 kHeading(0.0f, 0.35f, 0.6f, 1.0f);

std::string body_key_of(const std::string& lab) {
  for (const config::LabBody& b : labs::lab_bodies())
    if (b.lab == lab) return b.body_key;
  return lab;
}

// What the live numbers depend on: every body (the dynamics lab trains the
// "dag" body) and the DAG lab's n — not selections or scrub positions.
nlohmann::json numbers_key(const config::Scenario& s) {
  nlohmann::json key = nlohmann::json::object();
  for (const auto& [name, body] : s.bodies) key[name] = body;
  if (s.lab == "dag")
    if (const nlohmann::json* view = s.view("dag"); view && view->contains("n")) key["view_n"] = view->at("n");
  return key;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

LessonPanel::LessonPanel(Hooks hooks, std::string assets_dir, int threads)
    : hooks_(std::move(hooks)), assets_dir_(std::move(assets_dir)), threads_(threads) {}

LessonPanel::~LessonPanel() {
  if (computation_) computation_->cancel = true;
}

void LessonPanel::open(const std::string& path) {
  lessons::Lesson lesson = lessons::read_lesson(path);  // throws before anything changes
  close();
  lesson_ = std::move(lesson);
  revealed_.assign(lesson_->steps.size(), 0);
  predictions_.assign(lesson_->steps.size(), 0.0);
  go_to(0);
}

void LessonPanel::close() {
  if (computation_) computation_->cancel = true;
  if (pending_.valid()) pending_.wait();
  pending_ = {};
  lesson_.reset();
  result_.reset();
  baseline_.reset();
  error_.clear();
}

void LessonPanel::go_to(int step) {
  if (!lesson_ || step < 0 || step >= static_cast<int>(lesson_->steps.size())) return;
  step_ = step;
  baseline_.reset();
  result_.reset();
  error_.clear();
  computed_for_ = nullptr;
  prediction_typed_ = false;
  prediction_input_ = 0.0;
  hooks_.apply(current().scenario);
}

config::Scenario LessonPanel::lab_state() const {
  config::Scenario s = hooks_.current();
  s.lab = current().scenario.lab;  // the numbers are the step's lab's, whichever tab is shown
  return s;
}

void LessonPanel::start_computation(const config::Scenario& state) {
  if (computation_) computation_->cancel = true;
  auto computation = std::make_shared<Computation>();
  computation_ = computation;
  const int threads = threads_;
  // Assigning waits for the previous computation, which stops at its next cancel check.
  pending_ = std::async(std::launch::async, [computation, state, threads] {
    WorkControl control;
    control.cancel = &computation->cancel;
    return lessons::compute_lab_quantities(state, threads, &control);
  });
}

// A locked control the student moved goes back to the step's value.
void LessonPanel::hold_locks(config::Scenario& state, UiContext& ui) {
  const lessons::LessonStep& step = current();
  if (step.lock.empty() || !baseline_) return;
  const std::string key = body_key_of(step.scenario.lab);
  const nlohmann::json* base = baseline_->body(key);
  const auto it = state.bodies.find(key);
  if (base == nullptr || it == state.bodies.end()) return;
  std::vector<std::string> moved;
  for (const std::string& name : step.lock) {
    if (!base->contains(name) || (it->second.contains(name) && it->second[name] == base->at(name))) continue;
    it->second[name] = base->at(name);
    moved.push_back(name);
  }
  if (moved.empty()) return;
  if (Lab* lab = hooks_.find(step.scenario.lab)) lab->load(state);
  ui.notify("Locked in this lesson step: " + joined(moved) + " (back to the step's value)");
}

void LessonPanel::tick(UiContext& ui) {
  if (!lesson_) {
    ui.step_controls = {};
    return;
  }
  // The step's lab draws the listed controls only, the locked ones disabled (ControlGate).
  ui.step_controls = {current().scenario.lab, current().show, current().lock};
  config::Scenario state;
  try {
    state = lab_state();
  } catch (const std::exception& e) {
    error_ = e.what();
    return;
  }
  if (!baseline_) baseline_ = state;
  hold_locks(state, ui);
  const nlohmann::json key = numbers_key(state);
  if (key != computed_for_) {
    computed_for_ = key;
    start_computation(state);
  }
  if (!pending_.valid() || pending_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;
  try {
    result_ = lessons::resolve_step(current(), pending_.get());
    error_.clear();
  } catch (const Cancelled&) {
    // A newer computation replaced it.
  } catch (const std::exception& e) {
    result_.reset();
    error_ = e.what();
  }
  pending_ = {};
}

bool LessonPanel::hides(const std::string& lab_id) const {
  if (!lesson_) return false;
  const lessons::LessonStep& step = current();
  return step.predict && !revealed_[static_cast<std::size_t>(step_)] && step.scenario.lab == lab_id;
}

void LessonPanel::draw_hidden_notice(UiContext& ui) const {
  ImGui::Dummy(ImVec2(0, ui.px(40)));
  ImGui::Indent(ui.px(40));
  ImGui::TextColored(kHeading, "This step asks for a prediction first.");
  ImGui::TextUnformatted("Enter it in the lesson panel above and press Reveal: the lab's figures appear then.");
  ImGui::Unindent(ui.px(40));
}

void LessonPanel::predict(double value) {
  if (!lesson_) return;
  predictions_[static_cast<std::size_t>(step_)] = value;
  revealed_[static_cast<std::size_t>(step_)] = 1;
}

void LessonPanel::draw_predict(UiContext& ui) {
  const lessons::LessonStep& step = current();
  if (!step.predict) return;
  const auto i = static_cast<std::size_t>(step_);
  ImGui::TextColored(kHeading, "Predict");
  ImGui::SameLine();
  ImGui::TextWrapped("%s", step.predict->prompt.c_str());
  if (!revealed_[i]) {
    ImGui::SetNextItemWidth(ui.px(140));
    if (ImGui::InputDouble("your prediction", &prediction_input_, 0.0, 0.0, "%.4g")) prediction_typed_ = true;
    ImGui::SameLine();
    ImGui::BeginDisabled(!prediction_typed_);
    if (ImGui::Button("Reveal")) predict(prediction_input_);
    ImGui::EndDisabled();
    if (!prediction_typed_) item_tooltip("Type a number first: the figures and the measured value appear after.");
    return;
  }
  const double measured = result_ ? result_->predict_target : std::nan("");
  ImGui::Text("Your prediction: %s    Measured (%s): %s", lessons::format_quantity(predictions_[i]).c_str(),
              step.predict->quantity.text().c_str(),
              result_ ? lessons::format_quantity(measured).c_str() : "computing…");
}

void LessonPanel::draw_checks(UiContext& /*ui*/) const {
  if (!result_ || result_->checks.empty()) return;
  int holding = 0;
  for (const auto& c : result_->checks) holding += c.holds ? 1 : 0;
  const bool all = holding == static_cast<int>(result_->checks.size());
  ImGui::TextColored(all ? ImVec4(0.1f, 0.45f, 0.1f, 1.0f) : ImVec4(0.6f, 0.3f, 0.0f, 1.0f),
                     "Expectations: %d of %d hold now", holding, static_cast<int>(result_->checks.size()));
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    for (const auto& c : result_->checks)
      ImGui::Text("%s  %s   (%s)", c.holds ? "holds" : "fails", c.text.c_str(), c.values.c_str());
    ImGui::EndTooltip();
  }
}

void LessonPanel::draw(UiContext& ui) {
  if (!lesson_) return;
  const lessons::LessonStep& step = current();
  const int count = static_cast<int>(lesson_->steps.size());
  const float line = ImGui::GetFrameHeightWithSpacing();
  const float padding = ImGui::GetStyle().WindowPadding.y * 2;
  // At most a third of the window: the labs' figures are the point (issue 11, presenter mode).
  const float height = collapsed_ ? line + padding
                                  : std::min(ImGui::GetContentRegionAvail().y * 0.33f, line * 8.0f + padding);
  ImGui::BeginChild("lesson_panel", ImVec2(0, height), true);
  ImGui::BeginDisabled(step_ <= 0);
  if (ImGui::ArrowButton("lesson_prev", ImGuiDir_Left)) go_to(step_ - 1);
  ImGui::EndDisabled();
  item_tooltip("previous step");
  ImGui::SameLine();
  ImGui::BeginDisabled(step_ + 1 >= count);
  if (ImGui::ArrowButton("lesson_next", ImGuiDir_Right)) go_to(step_ + 1);
  ImGui::EndDisabled();
  item_tooltip("next step");
  ImGui::SameLine();
  if (ImGui::SmallButton(collapsed_ ? "more" : "less")) collapsed_ = !collapsed_;
  item_tooltip(collapsed_ ? "show the step's texts" : "fold the lesson to one line");
  ImGui::SameLine();
  if (ImGui::SmallButton("close")) {
    close();
    ImGui::EndChild();
    return;
  }
  item_tooltip("close the lesson (the labs keep their state)");
  ImGui::SameLine();
  if (ui.fonts.title) ImGui::PushFont(ui.fonts.title);
  ImGui::Text("Step %d of %d: %s", step_ + 1, count, step.title.c_str());
  if (ui.fonts.title) ImGui::PopFont();
  item_tooltip((lesson_->title + "\n\n" + lesson_->description).c_str());
  if (!collapsed_) draw_texts(ui);
  ImGui::EndChild();
}

void LessonPanel::draw_texts(UiContext& ui) {
  const lessons::LessonStep& step = current();
  const bool hidden = step.predict && !revealed_[static_cast<std::size_t>(step_)];
  if (!error_.empty()) ImGui::TextColored(ImVec4(0.6f, 0.1f, 0.0f, 1.0f), "Live numbers: %s", error_.c_str());
  draw_predict(ui);
  ImGui::TextColored(kHeading, "Try this");
  ImGui::SameLine();
  // TextWrapped after a label on the same line wraps at the panel's edge; the
  // next lines start at the panel's left, under the label.
  ImGui::TextWrapped("%s", result_ ? result_->try_this.c_str() : "(computing the live numbers…)");
  ImGui::TextColored(kHeading, "Look for");
  ImGui::SameLine();
  if (hidden) ImGui::TextDisabled("(after your prediction)");
  else ImGui::TextWrapped("%s", result_ ? result_->look_for.c_str() : "(computing the live numbers…)");
  if (!step.show.empty()) {
    ImGui::TextDisabled("Controls for this step: %s", joined(step.show).c_str());
    if (!step.lock.empty()) ImGui::SameLine();
  }
  if (!step.lock.empty()) ImGui::TextDisabled("Locked: %s", joined(step.lock).c_str());
  draw_checks(ui);
}

std::optional<std::string> LessonPanel::draw_open_dialog(UiContext& ui) {
  if (open_dialog_) {
    ImGui::OpenPopup("Open lesson");
    open_dialog_ = false;
  }
  const ImVec2 centre = ImGui::GetMainViewport()->GetCenter();
  ImGui::SetNextWindowPos(centre, ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  if (!ImGui::BeginPopupModal("Open lesson", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return std::nullopt;
  std::optional<std::string> chosen;
  ImGui::TextUnformatted("Lesson file (JSON):");
  ImGui::SetNextItemWidth(ui.px(520));
  const bool enter =
      ImGui::InputText("##lesson_path", path_buffer_, sizeof path_buffer_, ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::TextDisabled("Shipped lessons:");
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::directory_iterator it(fs::path(assets_dir_) / "lessons", ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".json") files.push_back(it->path());
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files)
    if (ImGui::Selectable(f.filename().string().c_str()))
      std::snprintf(path_buffer_, sizeof path_buffer_, "%s", f.string().c_str());
  if (ImGui::Button("Open") || enter) {
    chosen = std::string(path_buffer_);
    ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (ImGui::Button("Cancel") || key_pressed(Key::kEscape)) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
  return chosen;
}

}  // namespace sglab::ui
