#include "ui/app_settings.hpp"

#include <cstdlib>
#include <filesystem>

#include "core/config/json_reader.hpp"
#include "core/config/output_files.hpp"
#include "core/util/error.hpp"
#include "ui/lab_registry.hpp"

namespace sglab::ui {

bool AppSettings::operator==(const AppSettings& o) const {
  return window_width == o.window_width && window_height == o.window_height && presenter == o.presenter &&
         projector == o.projector && open_panels == o.open_panels && active_lab == o.active_lab && export_dir == o.export_dir;
}

std::string default_settings_path() {
  namespace fs = std::filesystem;
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg != nullptr && *xdg != '\0')
    return (fs::path(xdg) / "sglab" / "settings.json").string();
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0')
    return (fs::path(home) / ".config" / "sglab" / "settings.json").string();
  return "sglab-settings.json";
}

AppSettings load_settings(const std::string& path, std::string* warning) {
  AppSettings s;
  std::error_code ec;
  if (path.empty() || !std::filesystem::exists(path, ec)) return s;
  try {
    const nlohmann::json doc = config::read_json_file(path);
    config::JsonObjectReader r(doc, "settings");
    s.window_width = static_cast<int>(r.integer("window_width", s.window_width, 320, 16384));
    s.window_height = static_cast<int>(r.integer("window_height", s.window_height, 240, 16384));
    s.presenter = r.boolean("presenter", s.presenter);
    s.projector = r.boolean("projector", s.projector);
    std::vector<std::string> labs;  // every registered lab (the bandit and dynamics labs too)
    for (const LabEntry& entry : lab_registry()) labs.emplace_back(entry.id);
    s.active_lab = r.choice("active_lab", s.active_lab, labs);
    s.export_dir = r.string("export_dir", s.export_dir);
    if (r.has("open_panels")) {
      const nlohmann::json& panels = r.raw("open_panels");
      if (!panels.is_object()) throw Error("settings.open_panels: expected an object");
      for (const auto& [name, value] : panels.items()) {
        if (!value.is_boolean()) throw Error("settings.open_panels." + name + ": expected true or false");
        s.open_panels[name] = value.get<bool>();
      }
    }
    r.finish();
  } catch (const std::exception& e) {
    if (warning) *warning = std::string("Settings ignored: ") + e.what();
    return AppSettings{};
  }
  return s;
}

std::string save_settings(const std::string& path, const AppSettings& s) {
  try {
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
    nlohmann::json j;
    j["window_width"] = s.window_width;
    j["window_height"] = s.window_height;
    j["presenter"] = s.presenter;
    j["projector"] = s.projector;
    j["active_lab"] = s.active_lab;
    j["export_dir"] = s.export_dir;
    j["open_panels"] = nlohmann::json::object();
    for (const auto& [name, open] : s.open_panels) j["open_panels"][name] = open;
    config::write_file(path, j.dump(2) + "\n", path);
    return {};
  } catch (const std::exception& e) {
    return e.what();
  }
}

}  // namespace sglab::ui
