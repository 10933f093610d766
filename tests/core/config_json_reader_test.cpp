// Strict JSON reading (core/config/json_reader) and safe input files (core/config/input_file).
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <string>

#include "core/config/input_file.hpp"
#include "core/config/json_reader.hpp"
#include "core/util/error.hpp"

namespace sglab::config {
namespace {

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(ConfigJsonReader, TypedReadsWithRanges) {
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

TEST(ConfigJsonReader, ErrorsNameTheKey) {
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

TEST(ConfigJsonReader, RejectsDeepNestingAndMalformedText) {
  std::string deep(1000, '[');
  deep += std::string(1000, ']');
  EXPECT_NE(message_of([&] { parse_json_text(deep, "deep.json"); }).find("nested deeper"),
            std::string::npos);
  // Brackets inside strings do not count.
  EXPECT_NO_THROW(parse_json_text(R"({"s": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["})", "s"));
  EXPECT_NE(message_of([] { parse_json_text("{\"a\": ", "bad.json"); }).find("bad.json: line 1, column 7: malformed JSON"),
            std::string::npos);
  EXPECT_NE(message_of([] { parse_json_text("{\n  \"a\": 1,\n  \"b\": tru\n}", "bad.json"); }).find("line 3"),
            std::string::npos);
  EXPECT_NE(message_of([] { read_json_file("/nonexistent/x.json"); }).find("cannot open"),
            std::string::npos);
}

// Issue 10, item 4: JSON errors are the project's error, naming file and key.
TEST(ConfigJsonReader, NumbersPastDoubleAreTheProjectsError) {
  const std::string m = message_of([] { parse_json_text(R"({"sigma": 1e999})", "big.json"); });
  EXPECT_NE(m.find("big.json: malformed JSON"), std::string::npos) << m;
  EXPECT_EQ(m.find("json.exception"), std::string::npos) << m;
}

TEST(ConfigJsonReader, DuplicateKeysAreRefusedWithTheirPath) {
  EXPECT_NE(message_of([] { parse_json_text(R"({"lab": "expert", "lab": "dag"})", "dup.json"); })
                .find("dup.json: lab: duplicate key"),
            std::string::npos);
  const std::string nested =
      message_of([] { parse_json_text(R"({"dag": {"layers": [{"q": 0}, {"q": 0, "q": 1}]}})", "d.json"); });
  EXPECT_NE(nested.find("dag.layers[1].q: duplicate key"), std::string::npos) << nested;
  // The same key in different objects is fine.
  EXPECT_NO_THROW(parse_json_text(R"({"a": {"x": 1}, "b": {"x": 2}, "c": [{"x": 1}, {"x": 2}]})", "ok"));
}

TEST(ConfigJsonReader, LongKeysAreCutInMessages) {
  const std::string key(1 << 20, 'k');
  const auto doc = parse_json_text("{\"" + key + "\": 1}", "long.json");
  const std::string m = message_of([&] { JsonObjectReader(doc, "x").finish(); });
  EXPECT_LT(m.size(), 200u) << m.substr(0, 300);
  EXPECT_NE(m.find("unknown key"), std::string::npos);
  EXPECT_NE(m.find("1048576 characters"), std::string::npos);
}

TEST(ConfigJsonReader, TopLevelArrayNamesTheFile) {
  const auto doc = parse_json_text("[1, 2]", "arr.json");
  EXPECT_NE(message_of([&] { JsonObjectReader(doc, "arr.json"); }).find("arr.json: expected an object"),
            std::string::npos);
}

TEST(ConfigJsonReader, SeedsReadTheWholeUnsignedRange) {
  const auto doc = parse_json_text(R"({"a": 18446744073709551615, "b": -1, "c": 2.0})", "s");
  JsonObjectReader r(doc, "x");
  EXPECT_EQ(r.unsigned_integer("a", 0, ~std::uint64_t{0}), ~std::uint64_t{0});
  EXPECT_NE(message_of([&] { JsonObjectReader(doc, "x").unsigned_integer("b", 0, 10); }).find("x.b: -1 is out of range"),
            std::string::npos);
  EXPECT_NE(message_of([&] { JsonObjectReader(doc, "x").unsigned_integer("c", 0, 10); }).find("expected an integer"),
            std::string::npos);
}

// Issue 10, item 1: devices and folders are refused by what they are, never read.
TEST(ConfigInputFile, RefusesDevicesFoldersAndOversizedFiles) {
  EXPECT_NE(message_of([] { read_regular_file("/dev/zero", 1024); }).find("/dev/zero: is a character device"),
            std::string::npos);
  EXPECT_NE(message_of([] { read_regular_file("/tmp", 1024); }).find("/tmp: is a folder"), std::string::npos);
  EXPECT_NE(message_of([] { read_json_file("/dev/zero"); }).find("character device"), std::string::npos);
  const std::string path = ::testing::TempDir() + "sglab_input_file_test.json";
  {
    std::ofstream f(path);
    f << std::string(2048, ' ');
  }
  EXPECT_NE(message_of([&] { read_regular_file(path, 1024); }).find("file larger than"), std::string::npos);
  EXPECT_EQ(read_regular_file(path, 4096).size(), 2048u);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace sglab::config
