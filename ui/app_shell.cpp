#include "ui/app_shell.hpp"

#include "sglab/version.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "core/labs/scenario_files.hpp"
#include "ui/lab_registry.hpp"

namespace sglab::ui {

AppShell::AppShell(std::string assets_dir, int threads) : assets_dir_(std::move(assets_dir)) {
  LabEnvironment env;
  env.assets_dir = assets_dir_;
  env.threads = threads;
  env.find = [this](const std::string& id) { return lab(id); };
  for (const LabEntry& entry : lab_registry()) {
    labs_.push_back(entry.make(env));
    if (labs_.back()->id() != std::string(entry.id))
      throw std::logic_error(std::string("lab registry: \"") + entry.id + "\" makes a lab with id \"" +
                             labs_.back()->id() + "\"");
  }
  apply_scenario(labs::default_scenario());
  LessonPanel::Hooks hooks;
  hooks.apply = [this](const config::Scenario& s) { apply_scenario(s); };
  hooks.find = [this](const std::string& id) { return lab(id); };
  hooks.current = [this] { return current_scenario(); };
  lesson_ = std::make_unique<LessonPanel>(std::move(hooks), assets_dir_, threads);
}

std::string AppShell::open_lesson(const std::string& path) {
  try {
    lesson_->open(path);
    banner_.clear();
    return {};
  } catch (const std::exception& e) {
    banner_ = std::string("Could not open the lesson: ") + e.what();
    return e.what();
  }
}

Lab* AppShell::lab(const std::string& id) const {
  for (const auto& l : labs_)
    if (id == l->id()) return l.get();
  return nullptr;
}

bool AppShell::busy() const {
  for (const auto& l : labs_)
    if (l->busy()) return true;
  return lesson_ && lesson_->busy();
}

bool AppShell::select_lab(const std::string& id) {
  for (std::size_t i = 0; i < labs_.size(); ++i)
    if (id == labs_[i]->id()) {
      pending_tab_ = static_cast<int>(i);
      active_ = i;
      return true;
    }
  return false;
}

void AppShell::apply_scenario(const config::Scenario& s) {
  scenario_name_ = s.name;
  scenario_description_ = s.description;
  for (const auto& l : labs_) l->load(s);  // in registry order: a lab may read those before it
  select_lab(s.lab);
  try {
    opened_bodies_ = current_scenario().bodies;  // in the labs' own canonical form
  } catch (const std::exception&) {
    opened_bodies_.clear();  // a state that cannot be stored counts as modified
  }
  // Opening is one more undo step in every lab it changed (Ctrl+Z gives the
  // knobs back); Ctrl+S no longer writes the file saved before: it is another state.
  record_lab_states();
  quick_save_path_.clear();
}

bool AppShell::modified_since_opened() const {
  try {
    return current_scenario().bodies != opened_bodies_;
  } catch (const std::exception&) {
    return true;  // a state that cannot be stored is not the opened one
  }
}

AppShell::SaveText AppShell::save_text() const {
  if (!modified_since_opened()) return {scenario_name_, scenario_description_};
  static const std::string kMark = " (modified)";
  const bool marked = scenario_name_.size() >= kMark.size() &&
                      scenario_name_.compare(scenario_name_.size() - kMark.size(), kMark.size(), kMark) == 0;
  SaveText t;
  t.name = marked ? scenario_name_ : scenario_name_ + kMark;
  t.description = scenario_name_.empty() ? "" : "Modified from \"" + scenario_name_ + "\".";
  return t;
}

std::string AppShell::open_with_fallback(const std::function<config::Scenario()>& read, const std::string& what) {
  try {
    apply_scenario(read());
    banner_.clear();
    return {};
  } catch (const std::exception& e) {
    apply_scenario(labs::default_scenario());
    banner_ = "Could not open " + what + ": " + e.what() + ". Showing the default scenario.";
    return e.what();
  }
}

std::string AppShell::open_scenario(const std::string& path) {
  return open_with_fallback([&] { return labs::read_scenario(path); }, "the scenario");
}

std::string AppShell::open_scenario_text(const std::string& text, const std::string& source) {
  return open_with_fallback([&] { return labs::parse_scenario(text, source); }, "the pasted scenario");
}

config::Scenario AppShell::current_scenario() const {
  config::Scenario s;
  s.lab = labs_[active_]->id();
  s.name = scenario_name_;
  s.description = scenario_description_;
  for (const auto& l : labs_) l->store(s);  // throws sglab::Error for a state that cannot be saved
  return s;
}

std::string AppShell::save_scenario(const std::string& path) {
  try {
    labs::write_scenario(path, current_scenario());
    std::error_code ec;
    const std::filesystem::path absolute = std::filesystem::absolute(path, ec);
    quick_save_path_ = ec ? path : absolute.lexically_normal().string();  // what Ctrl+S writes from now on
    return {};
  } catch (const std::exception& e) {
    banner_ = std::string("Could not save the scenario: ") + e.what();
    return e.what();
  }
}

void AppShell::apply_settings(const AppSettings& s) {
  presenter_ = s.presenter;
  projector_ = s.projector;
  for (const auto& l : labs_) l->load_settings(s);
  select_lab(s.active_lab);
}

void AppShell::store_settings(AppSettings& s) const {
  s.presenter = presenter_;
  s.projector = projector_;
  for (const auto& l : labs_) l->store_settings(s);
  s.active_lab = labs_[active_]->id();
}

void AppShell::export_active_plots(UiContext& ui) {
  ui.plot_env.hide_buttons = true;  // the frame drawn now is captured; AppShell::draw clears it
  labs_[active_]->export_plots(ui);
}

std::string AppShell::csv_preamble() const {
  std::string out = std::string("# sglab ") + sglab::kVersion + "\n";
  try {
    nlohmann::json doc = config::scenario_to_json(current_scenario());
    // Pins are in the CSV as their own rows and notes: the scenario line stays one short line.
    if (doc.contains("view"))
      for (auto& entry : doc["view"].items())
        if (entry.value().is_object()) entry.value().erase("pins");
    out += "# scenario: " + doc.dump() + "\n";
  } catch (const std::exception& e) {
    out += std::string("# scenario: not available (") + e.what() + ")\n";
  }
  return out;
}

const std::vector<AppShell::Preset>& AppShell::presets() {
  if (presets_scanned_) return presets_;
  presets_scanned_ = true;
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path dir = fs::path(assets_dir_) / "presets";
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() != ".json") continue;
    try {
      const config::Scenario s = labs::read_scenario(it->path().string());
      presets_.push_back({s.lab, s.name, it->path().string(), s.description});
    } catch (const std::exception&) {
      // A broken preset is skipped here; the preset test catches it.
    }
  }
  std::sort(presets_.begin(), presets_.end(), [](const Preset& a, const Preset& b) { return a.path < b.path; });
  return presets_;
}

}  // namespace sglab::ui
