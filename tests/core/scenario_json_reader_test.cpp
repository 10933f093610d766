// Strict scenario JSON reading (core/scenario/json_reader).
#include <gtest/gtest.h>

#include <string>

#include "core/scenario/json_reader.hpp"
#include "core/util/error.hpp"

namespace sglab::scenario {
namespace {

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(ScenarioJsonReader, TypedReadsWithRanges) {
  const auto doc = parse_json_text(R"({"d": 8, "sigma": 0.5, "name": "x", "on": true,
                                       "ks": [2, 3], "case": "noisy"})", "t");
  JsonObjectReader r(doc, "expert");
  EXPECT_EQ(r.integer("d", 0, 1, 24), 8);
  EXPECT_DOUBLE_EQ(r.number("sigma", 0, 0, 10), 0.5);
  EXPECT_EQ(r.string("name", ""), "x");
  EXPECT_TRUE(r.boolean("on", false));
  EXPECT_EQ(r.integer_list("ks", {}, 1, 24), (std::vector<std::int64_t>{2, 3}));
  EXPECT_EQ(r.choice("case", "noisy", {"noisy", "partial"}), "noisy");
  EXPECT_EQ(r.integer("absent", 42, 0, 100), 42);
  EXPECT_NO_THROW(r.finish());
}

TEST(ScenarioJsonReader, ErrorsNameTheKey) {
  const auto doc = parse_json_text(R"({"d": 99, "p": "high", "ks": [2, 0], "extra": 1,
                                       "case": "loud", "big": 18446744073709551615})", "t");
  EXPECT_NE(message_of([&] { JsonObjectReader(doc, "expert").integer("d", 0, 1, 24); })
                .find("expert.d: 99 is out of range [1, 24]"),
            std::string::npos);
  EXPECT_NE(message_of([&] { JsonObjectReader(doc, "expert").number("p", 0, 0, 1); })
                .find("expert.p: expected a number"),
            std::string::npos);
  EXPECT_NE(message_of([&] { JsonObjectReader(doc, "expert").integer_list("ks", {}, 1, 24); })
                .find("expert.ks[1]: 0 is out of range"),
            std::string::npos);
  EXPECT_NE(message_of([&] { JsonObjectReader(doc, "expert").choice("case", "", {"noisy"}); })
                .find("expert.case: \"loud\" is not one of noisy"),
            std::string::npos);
  EXPECT_NE(message_of([&] { JsonObjectReader(doc, "expert").integer("big", 0, 0, 100); })
                .find("expert.big"),
            std::string::npos);
  EXPECT_NE(message_of([&] {
              JsonObjectReader r(doc, "expert");
              r.integer("d", 0, 0, 1000);
              r.finish();
            }).find("unknown key"),
            std::string::npos);
}

TEST(ScenarioJsonReader, RejectsDeepNestingAndMalformedText) {
  std::string deep(1000, '[');
  deep += std::string(1000, ']');
  EXPECT_NE(message_of([&] { parse_json_text(deep, "deep.json"); }).find("nested deeper"),
            std::string::npos);
  // Brackets inside strings do not count.
  EXPECT_NO_THROW(parse_json_text(R"({"s": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["})", "s"));
  EXPECT_NE(message_of([] { parse_json_text("{\"a\": ", "bad.json"); }).find("bad.json: malformed JSON"),
            std::string::npos);
  EXPECT_NE(message_of([] { read_json_file("/nonexistent/x.json"); }).find("cannot open"),
            std::string::npos);
}

}  // namespace
}  // namespace sglab::scenario
