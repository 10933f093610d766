// What differs between two settings documents, in words (core/config/json_diff):
// the label of a pinned result ("k = 3 → 4").
#include <gtest/gtest.h>

#include "core/config/json_diff.hpp"

namespace sglab::config {
namespace {

using nlohmann::json;

TEST(JsonDiff, SameDocumentsSaySameSettings) {
  const json a = {{"k", 3}, {"d", 8}, {"layers", {{{"q", 0.5}}}}};
  EXPECT_TRUE(json_changes(a, a).empty());
  EXPECT_EQ(describe_changes(json_changes(a, a)), "same settings");
}

TEST(JsonDiff, OneKnobIsKeyOldArrowNew) {
  const json a = {{"k", 3}, {"d", 8}};
  json b = a;
  b["k"] = 4;
  const auto changes = json_changes(a, b);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].key, "k");
  EXPECT_EQ(describe_changes(changes), "k = 3 → 4");
}

TEST(JsonDiff, NestedKeysArePathsAndExtraChangesAreCounted) {
  const json a = {{"a", 1}, {"b", "tanh"}, {"c", 2.5}, {"layers", {{{"q", 0.5}}, {{"q", 0.6}}}}};
  json b = a;
  b["a"] = 2;
  b["b"] = "identity";
  b["c"] = 3.5;
  b["layers"][1]["q"] = 0.7;
  const auto changes = json_changes(a, b);
  ASSERT_EQ(changes.size(), 4u);
  EXPECT_EQ(changes[3].key, "layers[1].q");
  EXPECT_EQ(changes[3].before, "0.6");
  EXPECT_EQ(changes[3].after, "0.7");
  EXPECT_EQ(describe_changes(changes), "a = 1 → 2, b = tanh → identity, +2 more");
  EXPECT_EQ(describe_changes(changes, 4), "a = 1 → 2, b = tanh → identity, c = 2.5 → 3.5, layers[1].q = 0.6 → 0.7");
}

TEST(JsonDiff, ListsOfAnotherLengthAndMissingKeysAreOneChangeEach) {
  const json a = {{"p_flip", {0.0, 0.1}}, {"nodes", json::array({1, 2, 3, 4, 5})}, {"seed", 1}};
  const json b = {{"p_flip", {0.0, 0.1, 0.2}}, {"nodes", json::array({1, 2, 3, 4, 5, 6})}, {"leak", 0.1}, {"seed", 1}};
  const auto changes = json_changes(a, b);
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].key, "leak");
  EXPECT_EQ(changes[0].before, "(none)");
  EXPECT_EQ(changes[1].key, "nodes");
  EXPECT_EQ(changes[1].before, "5 items");
  EXPECT_EQ(changes[1].after, "6 items");
  EXPECT_EQ(changes[2].key, "p_flip");
  EXPECT_EQ(changes[2].after, "[0.0,0.1,0.2]");
}

TEST(JsonDiff, WholeNumbersStoredAsDoublesReadAsWholeNumbers) {
  EXPECT_EQ(describe_changes(json_changes({{"n", 4.0}}, {{"n", 16.0}})), "n = 4 → 16");
  EXPECT_EQ(describe_changes(json_changes({{"lr", 0.05}}, {{"lr", 0.1}})), "lr = 0.05 → 0.1");
}

TEST(JsonDiff, LongValuesAreCutOnACharacterBoundary) {
  const json a = {{"name", "T1: a chain of three nodes, the first classroom step"}};
  const json b = {{"name", "T2"}};
  const auto changes = json_changes(a, b);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_LT(changes[0].before.size(), 30u);
  EXPECT_NE(changes[0].before.find("…"), std::string::npos);
}

}  // namespace
}  // namespace sglab::config
