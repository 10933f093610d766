#pragma once
// The DAG lab's presets T1–T5 (assets/presets/T*.json, THEORY.md §7) and the
// classroom path through them: a one-line story for the picker, and a short
// student-facing text (what to try, what to look for) shown beside the figure.

#include <string>
#include <vector>

#include "core/dag/dag_spec.hpp"

namespace sglab::ui {

struct DagClassroomStep {
  std::string id;     ///< "T1" .. "T5": the preset file's prefix
  std::string story;  ///< one line, for the picker
  std::string try_this;
  std::string look_for;
};

/// The path in order T1 → T5.
const std::vector<DagClassroomStep>& dag_classroom_steps();

struct DagPreset {
  std::string id;  ///< "T1" .. "T5"
  std::string name, description, path;
  dag::DagSpec spec;
  const DagClassroomStep* step = nullptr;
};

/// Loads assets_dir/presets/T<k>_*.json for every classroom step, in path
/// order. A preset that fails to load is skipped and named in `errors`.
std::vector<DagPreset> load_dag_presets(const std::string& assets_dir,
                                        std::string* errors = nullptr);

}  // namespace sglab::ui
