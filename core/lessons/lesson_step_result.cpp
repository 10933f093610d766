#include "core/lessons/lesson_step_result.hpp"

#include <limits>

#include "core/util/error.hpp"

namespace sglab::lessons {

bool StepResult::passed() const {
  for (const CheckOutcome& c : checks)
    if (!c.holds) return false;
  return true;
}

namespace {

std::string resolve_text(const LessonText& text, const QuantityValues& values, const char* field) {
  try {
    return text.resolve(values);
  } catch (const Error& e) {
    throw Error(std::string(field) + ": " + e.what());
  }
}

std::string quantity_values(const Expression& e, const QuantityValues& values) {
  std::string out;
  for (const std::string& name : e.quantities()) {
    if (out.find(name + " = ") != std::string::npos) continue;
    out += (out.empty() ? "" : ", ") + name + " = " + format_quantity(values.at(name));
  }
  return out;
}

}  // namespace

StepResult resolve_step(const LessonStep& step, const QuantityValues& values) {
  StepResult r;
  r.try_this = resolve_text(step.try_this, values, "try");
  r.look_for = resolve_text(step.look_for, values, "look_for");
  r.predict_target = std::numeric_limits<double>::quiet_NaN();
  if (step.predict) {
    try {
      r.predict_target = step.predict->quantity.evaluate(values);
    } catch (const Error& e) {
      throw Error(std::string("predict.quantity: ") + e.what());
    }
  }
  for (std::size_t i = 0; i < step.checks.size(); ++i) {
    const Expression& check = step.checks[i];
    CheckOutcome c;
    c.text = check.text();
    try {
      c.holds = check.evaluate(values) != 0.0;
    } catch (const Error& e) {
      throw Error("checks[" + std::to_string(i) + "]: " + e.what());
    }
    c.values = quantity_values(check, values);
    r.checks.push_back(std::move(c));
  }
  return r;
}

}  // namespace sglab::lessons
