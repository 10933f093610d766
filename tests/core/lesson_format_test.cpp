// Lesson files (issue 11): strict reading with clear errors, the check and
// placeholder language, and resolution against a lab's quantities.
#include <gtest/gtest.h>

#include <cmath>

#include "core/lessons/lab_quantities.hpp"
#include "core/lessons/lesson.hpp"
#include "core/lessons/lesson_step_result.hpp"
#include "core/util/error.hpp"

namespace {

using namespace sglab::lessons;

const char* kExpertScenario =
    R"({"schema": "sglab-scenario", "version": 1, "lab": "expert", "expert": {"d": 6, "k": 3, "trials": 4}})";

std::string lesson_with_step(const std::string& step_fields) {
  return std::string(R"({"schema": "sglab-lesson", "version": 1, "title": "t", "steps": [{"title": "s", "scenario": )") +
         kExpertScenario + ", " + step_fields + "}]}";
}

std::string error_of(const std::string& text) {
  try {
    parse_lesson(text, "L.json", ".");
  } catch (const sglab::Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(LessonFormat, ReadsAStep) {
  const Lesson l = parse_lesson(
      lesson_with_step(R"("try": "ratio {ratio|.1}", "look_for": "{{literal}}", "show": ["d"], "lock": ["k"],
                           "predict": {"prompt": "p", "quantity": "ratio"}, "checks": ["ratio > 1"])"),
      "L.json", ".");
  ASSERT_EQ(l.steps.size(), 1u);
  EXPECT_EQ(l.steps[0].scenario.lab, "expert");
  EXPECT_EQ(l.steps[0].lock, std::vector<std::string>{"k"});
  ASSERT_TRUE(l.steps[0].predict.has_value());
  ASSERT_EQ(l.steps[0].checks.size(), 1u);
}

TEST(LessonFormat, UnknownKeyNamesItsPath) {
  EXPECT_NE(error_of(lesson_with_step(R"("try": "", "look_for": "", "hint": "x")")).find("L.json: steps[0].hint"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"schema": "sglab-lesson", "version": 1, "title": "t", "extra": 1, "steps": []})").find("steps"),
            std::string::npos);
}

TEST(LessonFormat, DuplicateKeyAndMalformedTextGiveTheLine) {
  const std::string dup = error_of("{\"schema\": \"sglab-lesson\",\n \"schema\": \"sglab-lesson\"}");
  EXPECT_NE(dup.find("L.json: schema: duplicate key"), std::string::npos) << dup;
  const std::string bad = error_of("{\"schema\": \"sglab-lesson\",\n \"version\": ,}");
  EXPECT_NE(bad.find("L.json: line 2"), std::string::npos) << bad;
}

TEST(LessonFormat, WrongTypeIsRefused) {
  const std::string e = error_of(lesson_with_step(R"("try": 3, "look_for": "")"));
  EXPECT_NE(e.find("steps[0].try"), std::string::npos) << e;
  const std::string c = error_of(lesson_with_step(R"("try": "", "look_for": "", "checks": "ratio > 1")"));
  EXPECT_NE(c.find("steps[0].checks: expected a list of strings"), std::string::npos) << c;
}

TEST(LessonFormat, UnknownPlaceholderIsRefusedAtLoad) {
  const std::string e = error_of(lesson_with_step(R"("try": "see {rato}", "look_for": "")"));
  EXPECT_NE(e.find("steps[0].try: unknown quantity 'rato' of the expert lab (it publishes: d, k"), std::string::npos)
      << e;
  const std::string open = error_of(lesson_with_step(R"("try": "see {ratio", "look_for": "")"));
  EXPECT_NE(open.find("no closing '}'"), std::string::npos) << open;
  const std::string fmt = error_of(lesson_with_step(R"("try": "{ratio|.9}", "look_for": "")"));
  EXPECT_NE(fmt.find("format '.9'"), std::string::npos) << fmt;
}

TEST(LessonFormat, BadCheckExpressionNamesTheColumn) {
  const std::string e = error_of(lesson_with_step(R"("try": "", "look_for": "", "checks": ["ratio >> 1"])"));
  EXPECT_NE(e.find("steps[0].checks[0]: 'ratio >> 1': expected a number or a quantity, got '>' at column 8"),
            std::string::npos)
      << e;
  const std::string no_cmp = error_of(lesson_with_step(R"("try": "", "look_for": "", "checks": ["ratio + 1"])"));
  EXPECT_NE(no_cmp.find("expected a comparison"), std::string::npos) << no_cmp;
  const std::string fn = error_of(lesson_with_step(R"("try": "", "look_for": "", "checks": ["sqrt(ratio) > 1"])"));
  EXPECT_NE(fn.find("unknown function 'sqrt'"), std::string::npos) << fn;
}

TEST(LessonFormat, UnknownControlIsRefused) {
  const std::string e = error_of(lesson_with_step(R"("try": "", "look_for": "", "lock": ["depth"])"));
  EXPECT_NE(e.find("steps[0].lock[0]: 'depth' is not a control of the expert lab"), std::string::npos) << e;
}

TEST(LessonFormat, BadInlineScenarioNamesItsKey) {
  const std::string e = error_of(R"({"schema": "sglab-lesson", "version": 1, "title": "t", "steps": [{"title": "s",
      "scenario": {"schema": "sglab-scenario", "version": 1, "lab": "expert", "expert": {"k": 99}}, "try": "", "look_for": ""}]})");
  EXPECT_NE(e.find("steps[0].scenario: expert.k"), std::string::npos) << e;
}

TEST(LessonExpression, ArithmeticAndComparisons) {
  const QuantityValues v{{"a", 2.0}, {"node:4.b", 0.5}};
  EXPECT_DOUBLE_EQ(Expression::parse_value("-a * (1 + node:4.b) / 2").evaluate(v), -1.5);
  EXPECT_DOUBLE_EQ(Expression::parse_value("abs(-a) + log2(8) + min(a, 1) + max(a, 1)").evaluate(v), 8.0);
  EXPECT_EQ(Expression::parse_check("node:4.b < 0.1").evaluate(v), 0.0);
  EXPECT_EQ(Expression::parse_check("a >= 2").evaluate(v), 1.0);
  EXPECT_EQ(Expression::parse_check("a != 2").evaluate(v), 0.0);
  const auto e = Expression::parse_check("a * node:4.b == 1");
  EXPECT_EQ(e.quantities(), (std::vector<std::string>{"a", "node:4.b"}));
}

TEST(LessonExpression, NanFailsEveryCheckAndMissingNamesThrow) {
  const QuantityValues v{{"x", std::nan("")}};
  EXPECT_EQ(Expression::parse_check("x < 1").evaluate(v), 0.0);
  EXPECT_EQ(Expression::parse_check("x >= 1").evaluate(v), 0.0);
  EXPECT_EQ(Expression::parse_check("x != 1").evaluate(v), 0.0);
  EXPECT_THROW(Expression::parse_check("y < 1").evaluate(v), sglab::Error);
}

TEST(LessonText, FillsNumbersWithFormats) {
  const QuantityValues v{{"r", 31.84}, {"g", 0.4031}, {"n", 32}, {"z", std::nan("")}};
  EXPECT_EQ(LessonText("{r|.1}× vs {n}, gap {g|%}, {g}, {z}, {{x}}").resolve(v), "31.8× vs 32, gap 40 %, 0.403, n/a, {x}");
  EXPECT_EQ(LessonText("{r / n|.2}").resolve(v), "0.99");
}

TEST(LessonStep, UnknownNodeIsAClearErrorWhenResolved) {
  const Lesson l = parse_lesson(
      lesson_with_step(R"("try": "", "look_for": "", "checks": ["two_pow_d_minus_k == 8"])"), "L.json", ".");
  const QuantityValues values = compute_lab_quantities(l.steps[0].scenario, 1);
  const StepResult r = resolve_step(l.steps[0], values);
  EXPECT_TRUE(r.passed());
  EXPECT_DOUBLE_EQ(values.at("theory_ratio"), 8.0);  // Theorem 5: exactly 2^(d−k)

  LessonStep step = l.steps[0];
  step.look_for = LessonText("{node:9.ratio}");
  try {
    resolve_step(step, values);
    FAIL() << "no error";
  } catch (const sglab::Error& e) {
    EXPECT_STREQ(e.what(), "look_for: placeholder {node:9.ratio}: unknown quantity 'node:9.ratio'");
  }
}

TEST(LessonQuantities, DagNodeNamesAreCheckedAgainstTheSchema) {
  EXPECT_NO_THROW(check_quantity_name("dag", "node:4.bgap_rel"));
  EXPECT_THROW(check_quantity_name("dag", "bgap_rel"), sglab::Error);      // per node only
  EXPECT_THROW(check_quantity_name("dag", "node:4.bgap"), sglab::Error);   // no such field
  EXPECT_THROW(check_quantity_name("expert", "node:4.ratio"), sglab::Error);
}

}  // namespace
