// The shell's keyboard shortcuts (ui/shortcuts.hpp) and undo / redo of the
// labs' edits (issue 11, "Keys and undo").
//
// Undo keeps, per lab, a bounded history (ui/undo_history.hpp) of the lab's
// stored bodies plus the view keys that are knobs (Lab::undoable_view_keys).
// A state is recorded when an edit ends: the frame an active ImGui item
// (slider, combo, button) lets go, or the mouse button goes up, so a slider
// drag is one step, not one per frame, and the cost of Lab::store stays off the
// ordinary frame. Selection, scrub position and other view-only changes are
// not undone: undo restores the body and keeps the view of the moment.
#include <imgui.h>

#include "core/config/json_diff.hpp"
#include "ui/app_shell.hpp"
#include "ui/plot/pin_set.hpp"
#include "ui/shortcuts.hpp"

namespace sglab::ui {

namespace {
// The history key under which a lab's undoable view keys sit, beside its body keys.
constexpr const char* kViewKey = "view";

// "k = 4 → 3": what an undo step changes, named below the history's wrapper
// keys (the body's name, "view"), with the words pins use (core/config/json_diff.hpp).
std::string describe_step(const nlohmann::json& from, const nlohmann::json& to) {
  std::vector<config::JsonChange> changes = config::json_changes(from, to);
  for (config::JsonChange& c : changes) {
    const std::size_t cut = c.key.find_first_of(".[");
    if (cut != std::string::npos) c.key.erase(0, c.key[cut] == '.' ? cut + 1 : cut);
  }
  return config::describe_changes(changes);
}
}  // namespace

void AppShell::handle_shortcuts(UiContext& ui) {
  ImGuiIO& io = ImGui::GetIO();
  // Keyboard navigation stays off: with it on, space would also press the
  // focused button (Play pressed by the mouse, then space: play, pause at once).
  io.ConfigFlags &= ~ImGuiConfigFlags_NavEnableKeyboard;
  if (key_pressed(Key::kF11)) presenter_ = !presenter_;  // F11 types nothing: it works while typing too
  if (io.WantTextInput) return;  // a text field has the keys (and its own Ctrl+Z)
  if (ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel)) return;  // a menu, a dialog
  if (io.KeyCtrl) {
    if (key_pressed(Key::kZ, true)) {
      if (io.KeyShift) redo(ui);
      else undo(ui);
    } else if (key_pressed(Key::kY, true)) {
      redo(ui);
    } else if (key_pressed(Key::kS)) {
      quick_save(ui);
    } else if (key_pressed(Key::kP)) {
      labs_[active_]->pin_results(ui);
    }
    return;
  }
  if (io.KeyAlt || io.KeySuper) return;
  if (key_pressed(Key::kF1)) show_keys_ = !show_keys_;
  Lab& lab = *labs_[active_];
  if (lesson_->hides(lab.id())) return;  // the figures wait for the student's prediction
  if (key_pressed(Key::kSpace)) lab.on_transport_key(TransportKey::kPlayPause);
  if (key_pressed(Key::kLeft, true))
    lab.on_transport_key(io.KeyShift ? TransportKey::kBackFar : TransportKey::kBack);
  if (key_pressed(Key::kRight, true))
    lab.on_transport_key(io.KeyShift ? TransportKey::kForwardFar : TransportKey::kForward);
}

void AppShell::record_edits() {
  const bool active = ImGui::IsAnyItemActive();
  const bool edit_ended = (item_was_active_ && !active) || ImGui::IsMouseReleased(ImGuiMouseButton_Left);
  item_was_active_ = active;
  if (edit_ended) record_lab_states();
}

nlohmann::json AppShell::undo_state(const Lab& lab, nlohmann::json* view) const {
  config::Scenario s;
  lab.store(s);  // throws for a state that cannot be stored (an editor mid-way): not recorded
  nlohmann::json state = nlohmann::json::object();
  for (const auto& [key, body] : s.bodies) state[key] = body;
  const nlohmann::json* v = s.view(lab.id());
  nlohmann::json knobs = nlohmann::json::object();
  if (v)
    for (const std::string& key : lab.undoable_view_keys())
      if (v->contains(key)) knobs[key] = (*v)[key];
  if (!knobs.empty()) state[kViewKey] = knobs;
  if (view) {
    *view = v ? *v : nlohmann::json::object();
    view->erase(plot::PinSet::kViewKey);  // pins are not undone, and their data would fill the history
  }
  return state;
}

void AppShell::record_lab_states() {
  for (const auto& l : labs_) {
    try {
      nlohmann::json view;
      const nlohmann::json state = undo_state(*l, &view);
      history_[l->id()].record(state, view);
    } catch (const std::exception&) {
      // A state that cannot be stored is no undo step; the next edit that fixes it is.
    }
  }
}

bool AppShell::restore_undo_entry(Lab& lab, const UndoHistory::Entry& entry) {
  config::Scenario s;
  try {
    s = current_scenario();
  } catch (const std::exception&) {
    s.lab = lab.id();  // some lab cannot store its state: this lab needs only its own part
  }
  nlohmann::json view = s.views.count(lab.id()) ? s.views[lab.id()] : nlohmann::json::object();
  for (const auto& [key, value] : entry.state.items()) {
    if (key == kViewKey) {
      for (const auto& [k, v] : value.items()) view[k] = v;
    } else {
      s.bodies[key] = value;
    }
  }
  // The view of the moment (selection…) when it fits the restored state, else
  // the recorded one; the pins of the moment either way.
  nlohmann::json recorded = entry.view;
  if (view.contains(plot::PinSet::kViewKey)) recorded[plot::PinSet::kViewKey] = view[plot::PinSet::kViewKey];
  std::string error;
  for (const nlohmann::json& v : {view, recorded}) {
    s.views[lab.id()] = v;
    try {
      lab.load(s);
      return true;
    } catch (const std::exception& e) {
      error = e.what();
    }
  }
  banner_ = "Could not restore the state: " + error;
  return false;
}

bool AppShell::step_history(UiContext& ui, bool forward) {
  Lab& lab = *labs_[active_];
  record_lab_states();  // an edit not recorded yet becomes the newest step first
  UndoHistory& history = history_[lab.id()];
  const nlohmann::json from = history.current() ? history.current()->state : nlohmann::json();
  const UndoHistory::Entry* target = forward ? history.redo() : history.undo();
  if (!target) {
    ui.notify(std::string(forward ? "Nothing to redo in " : "Nothing to undo in ") + lab.title());
    return false;
  }
  if (!restore_undo_entry(lab, *target)) {
    if (forward) history.undo();  // the lab keeps its state: so does the history's cursor
    else history.redo();
    return false;
  }
  ui.notify(std::string(forward ? "Redo: " : "Undo: ") + describe_step(from, target->state));
  return true;
}

bool AppShell::undo(UiContext& ui) { return step_history(ui, false); }
bool AppShell::redo(UiContext& ui) { return step_history(ui, true); }

void AppShell::quick_save(UiContext& ui) {
  if (quick_save_path_.empty()) {
    save_popup_ = true;  // Save as…: its Save sets the path Ctrl+S writes from then on
    return;
  }
  const std::string error = save_scenario(quick_save_path_);
  ui.notify(error.empty() ? "Saved " + quick_save_path_ : "Save failed: " + error);
  if (error.empty()) opened_bodies_ = current_scenario().bodies;
}

}  // namespace sglab::ui
