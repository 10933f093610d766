#pragma once
// Lesson files (issue 11): a teacher's path through the labs, as JSON with the
// same strict rules as scenario files (unknown keys, duplicate keys and wrong
// types are refused with the file, line or key path).
//
//   {"schema": "sglab-lesson", "version": 1,
//    "title": "...", "description": "...",
//    "steps": [
//      {"title": "...",
//       "scenario": {<a scenario, core/config/scenario.hpp>} | "../presets/T2_noisy_feedback.json",
//       "try": "text with {live} numbers", "look_for": "text with {node:4.bgap_rel|%}",
//       "show": ["n", "lambda"],          optional: the controls this step is about (body keys)
//       "lock": ["d", "k"],               optional: controls held at the scenario's values
//       "predict": {"prompt": "...", "quantity": "ratio"},   optional: predict, then reveal
//       "checks": ["ratio > 1", "node:4.bgap_rel < 0.1"]}]}  what must hold on the scenario
//
// A scenario given as a path is read relative to the lesson file's folder.
// Placeholders ({…}, lesson_text.hpp) and checks (lesson_expression.hpp) are
// parsed when the file loads and their quantity names checked against what the
// step's lab publishes (lab_quantities.hpp); node ids are checked when resolved.

#include <optional>
#include <string>
#include <vector>

#include "core/config/scenario.hpp"
#include "core/lessons/lesson_expression.hpp"
#include "core/lessons/lesson_text.hpp"

namespace sglab::lessons {

inline constexpr const char* kLessonSchema = "sglab-lesson";
inline constexpr int kLessonVersion = 1;

struct PredictQuestion {
  std::string prompt;
  Expression quantity;  ///< what the prediction is compared with once revealed
};

struct LessonStep {
  std::string title;
  config::Scenario scenario;
  std::string scenario_file;  ///< the file it came from ("" when inline)
  LessonText try_this;
  LessonText look_for;
  std::vector<std::string> show;  ///< controls this step is about (keys of the lab's body)
  std::vector<std::string> lock;  ///< controls held at the scenario's values
  std::optional<PredictQuestion> predict;
  std::vector<Expression> checks;
};

struct Lesson {
  std::string title;
  std::string description;
  std::vector<LessonStep> steps;
  std::string source;  ///< the file it was read from
};

/// Reads and checks a lesson file. Throws sglab::Error "F: steps[2].checks[0]: …".
Lesson read_lesson(const std::string& path);
/// The same for text; `base_dir` resolves scenario paths, `source` names it in messages.
Lesson parse_lesson(const std::string& text, const std::string& source, const std::string& base_dir);

/// The controls a step can show or lock in `lab`: the keys of its scenario body.
std::vector<std::string> lockable_controls(const config::Scenario& scenario);

}  // namespace sglab::lessons
