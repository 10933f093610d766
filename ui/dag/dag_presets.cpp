#include "ui/dag/dag_presets.hpp"

#include <algorithm>
#include <filesystem>

#include "core/dag/dag_spec_json.hpp"
#include "core/labs/scenario_files.hpp"

namespace sglab::ui {

std::vector<DagPreset> load_dag_presets(const std::string& assets_dir, std::string* errors) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::directory_iterator it(fs::path(assets_dir) / "presets", ec), end; !ec && it != end;
       it.increment(ec))
    if (it->path().extension() == ".json") files.push_back(it->path());
  std::sort(files.begin(), files.end());
  std::vector<DagPreset> out;
  for (const char* id : {"T1", "T2", "T3", "T4", "T5"}) {
    for (const fs::path& file : files) {
      if (file.filename().string().rfind(std::string(id) + "_", 0) != 0) continue;
      try {
        const config::Scenario s = labs::read_scenario(file.string());
        out.push_back({id, s.name, s.description, file.string(), dag::dag_spec_of(s, file.string())});
      } catch (const std::exception& e) {
        if (errors) *errors += std::string(errors->empty() ? "" : "; ") + e.what();
      }
      break;
    }
  }
  return out;
}

}  // namespace sglab::ui
