#pragma once
// One lesson step resolved against its lab's numbers: the texts with their live
// numbers filled, the prediction target's value and each check's outcome. The
// CLI's `lesson --check` and the app's lesson panel both build it.

#include <string>
#include <vector>

#include "core/lessons/lesson.hpp"

namespace sglab::lessons {

struct CheckOutcome {
  std::string text;    ///< the check as written
  bool holds = false;
  std::string values;  ///< its quantities and their values ("ratio = 31.8, two_pow_d_minus_k = 32")
};

struct StepResult {
  std::string try_this;   ///< resolved texts
  std::string look_for;
  double predict_target = 0.0;  ///< the prediction's quantity (NaN when none)
  std::vector<CheckOutcome> checks;
  bool passed() const;
};

/// Resolves the step's texts, prediction and checks against `values`. Throws
/// sglab::Error naming the field ("try: placeholder {node:9.ratio}: unknown
/// quantity 'node:9.ratio'") when a placeholder or check reads a quantity the
/// scenario does not publish (e.g. a node the network lacks).
StepResult resolve_step(const LessonStep& step, const QuantityValues& values);

}  // namespace sglab::lessons
