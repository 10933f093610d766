#include "core/lessons/lesson.hpp"

#include <algorithm>
#include <filesystem>

#include "core/config/input_file.hpp"
#include "core/config/json_reader.hpp"
#include "core/labs/scenario_files.hpp"
#include "core/lessons/lab_quantities.hpp"
#include "core/util/error.hpp"

namespace sglab::lessons {

namespace {

constexpr std::size_t kMaxSteps = 200;

std::vector<std::string> string_list(config::JsonObjectReader& r, const std::string& key) {
  std::vector<std::string> out;
  if (!r.has(key)) return out;
  const nlohmann::json& list = r.raw(key);
  if (!list.is_array()) throw Error(r.child_path(key) + ": expected a list of strings, got " + list.type_name());
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_string())
      throw Error(r.child_path(key) + "[" + std::to_string(i) + "]: expected a string, got " + list[i].type_name());
    out.push_back(list[i].get<std::string>());
  }
  return out;
}

std::string required_string(config::JsonObjectReader& r, const std::string& key) {
  if (!r.has(key)) throw Error(r.child_path(key) + ": missing");
  return r.string(key, "");
}

void check_names(const std::string& lab, const std::vector<std::string>& names, const std::string& where) {
  for (const std::string& name : names) {
    try {
      check_quantity_name(lab, name);
    } catch (const Error& e) {
      throw Error(where + ": " + e.what());
    }
  }
}

LessonText read_text(config::JsonObjectReader& r, const std::string& key, const std::string& lab) {
  const std::string path = r.child_path(key);
  LessonText text;
  try {
    text = LessonText(r.string(key, ""));
  } catch (const Error& e) {
    throw Error(path + ": " + e.what());
  }
  check_names(lab, text.quantities(), path);
  return text;
}

config::Scenario read_step_scenario(config::JsonObjectReader& r, const std::string& base_dir, std::string& file) {
  if (!r.has("scenario")) throw Error(r.child_path("scenario") + ": missing (a scenario object or a file path)");
  const nlohmann::json& s = r.raw("scenario");
  const std::string path = r.child_path("scenario");
  if (s.is_string()) {
    const std::filesystem::path p(s.get<std::string>());
    file = (p.is_absolute() ? p : std::filesystem::path(base_dir) / p).lexically_normal().string();
    try {
      return labs::read_scenario(file);
    } catch (const Error& e) {
      throw Error(path + ": " + e.what());
    }
  }
  if (!s.is_object()) throw Error(path + ": expected a scenario object or a file path, got " + s.type_name());
  return config::scenario_from_json(s, labs::lab_bodies(), path);
}

void check_controls(const config::Scenario& scenario, const std::vector<std::string>& names, const std::string& where) {
  const std::vector<std::string> known = lockable_controls(scenario);
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (std::find(known.begin(), known.end(), names[i]) != known.end()) continue;
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
    throw Error(where + "[" + std::to_string(i) + "]: '" + config::quoted_excerpt(names[i]) + "' is not a control of the " +
                scenario.lab + " lab (one of: " + list + ")");
  }
}

PredictQuestion read_predict(const nlohmann::json& object, const std::string& path, const std::string& lab) {
  if (!object.is_object()) throw Error(path + ": expected an object, got " + object.type_name());
  config::JsonObjectReader r(object, path);
  PredictQuestion q;
  q.prompt = required_string(r, "prompt");
  const std::string quantity = required_string(r, "quantity");
  try {
    q.quantity = Expression::parse_value(quantity);
  } catch (const Error& e) {
    throw Error(r.child_path("quantity") + ": " + e.what());
  }
  check_names(lab, q.quantity.quantities(), r.child_path("quantity"));
  r.finish();
  return q;
}

LessonStep read_step(const nlohmann::json& object, const std::string& path, const std::string& base_dir) {
  if (!object.is_object()) throw Error(path + ": expected an object, got " + object.type_name());
  config::JsonObjectReader r(object, path);
  LessonStep step;
  step.title = required_string(r, "title");
  step.scenario = read_step_scenario(r, base_dir, step.scenario_file);
  const std::string& lab = step.scenario.lab;
  step.try_this = read_text(r, "try", lab);
  step.look_for = read_text(r, "look_for", lab);
  step.show = string_list(r, "show");
  check_controls(step.scenario, step.show, r.child_path("show"));
  step.lock = string_list(r, "lock");
  check_controls(step.scenario, step.lock, r.child_path("lock"));
  if (r.has("predict")) step.predict = read_predict(r.raw("predict"), r.child_path("predict"), lab);
  const std::vector<std::string> checks = string_list(r, "checks");
  for (std::size_t i = 0; i < checks.size(); ++i) {
    const std::string where = r.child_path("checks") + "[" + std::to_string(i) + "]";
    try {
      step.checks.push_back(Expression::parse_check(checks[i]));
    } catch (const Error& e) {
      throw Error(where + ": " + e.what());
    }
    check_names(lab, step.checks.back().quantities(), where);
  }
  r.finish();
  return step;
}

Lesson lesson_from_json(const nlohmann::json& doc, const std::string& base_dir) {
  config::JsonObjectReader r(doc, "");
  if (!r.has("schema")) throw Error(std::string("schema: missing (expected \"") + kLessonSchema + "\")");
  const std::string schema = r.string("schema", "");
  if (schema != kLessonSchema)
    throw Error("schema: \"" + config::quoted_excerpt(schema) + "\" is not \"" + kLessonSchema + "\"");
  if (!r.has("version")) throw Error("version: missing (expected 1)");
  const auto version = r.integer("version", kLessonVersion, 1, 1000000);
  if (version != kLessonVersion)
    throw Error("version: " + std::to_string(version) + " is not supported (this build reads version 1)");
  Lesson lesson;
  lesson.title = required_string(r, "title");
  lesson.description = r.string("description", "");
  if (!r.has("steps")) throw Error("steps: missing");
  const nlohmann::json& steps = r.raw("steps");
  if (!steps.is_array() || steps.empty()) throw Error("steps: expected a non-empty list of steps");
  if (steps.size() > kMaxSteps) throw Error("steps: more than " + std::to_string(kMaxSteps) + " steps");
  for (std::size_t i = 0; i < steps.size(); ++i)
    lesson.steps.push_back(read_step(steps[i], "steps[" + std::to_string(i) + "]", base_dir));
  r.finish();
  return lesson;
}

}  // namespace

Lesson parse_lesson(const std::string& text, const std::string& source, const std::string& base_dir) {
  if (text.size() > config::kMaxConfigFileBytes) throw Error(source + ": larger than 16 MiB");
  const nlohmann::json doc = config::parse_json_text(text, source);
  try {
    Lesson lesson = lesson_from_json(doc, base_dir);
    lesson.source = source;
    return lesson;
  } catch (const Error& e) {
    throw Error(source + ": " + e.what());
  }
}

Lesson read_lesson(const std::string& path) {
  const std::string text = config::read_regular_file(path, config::kMaxConfigFileBytes);
  return parse_lesson(text, path, std::filesystem::path(path).parent_path().string());
}

std::vector<std::string> lockable_controls(const config::Scenario& scenario) {
  for (const config::LabBody& lab : labs::lab_bodies()) {
    if (lab.lab != scenario.lab) continue;
    const nlohmann::json* body = scenario.body(lab.body_key);
    const nlohmann::json canonical = body ? *body : lab.canonical(nlohmann::json::object(), lab.body_key);
    std::vector<std::string> keys;
    for (auto it = canonical.begin(); it != canonical.end(); ++it) keys.push_back(it.key());
    return keys;
  }
  return {};
}

}  // namespace sglab::lessons
