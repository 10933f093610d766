#pragma once
// The DAG lab's presets T1–T5 (assets/presets/T*.json, THEORY.md §7), in the
// order of the classroom path. The path's texts (what to try, what to look
// for, with live numbers and checks) are the lesson assets/lessons/dag_classroom.json.

#include <string>
#include <vector>

#include "core/dag/dag_spec.hpp"

namespace sglab::ui {

struct DagPreset {
  std::string id;  ///< "T1" .. "T5"
  std::string name, description, path;
  dag::DagSpec spec;
};

/// The lesson that walks through the presets, relative to the assets folder.
inline constexpr const char* kDagClassroomLesson = "lessons/dag_classroom.json";

/// Loads assets_dir/presets/T<k>_*.json for k = 1..5, in path order. A preset
/// that fails to load is skipped and named in `errors`.
std::vector<DagPreset> load_dag_presets(const std::string& assets_dir, std::string* errors = nullptr);

}  // namespace sglab::ui
