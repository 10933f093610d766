// The undo history on its own: equal states are one entry, the depth is
// bounded, a new state after undo drops the redo steps, and the status line
// names what changed.
#include "ui/undo_history.hpp"

#include <gtest/gtest.h>

namespace sglab::ui {
namespace {

using nlohmann::json;

TEST(UndoHistory, RecordsOnlyChangesAndWalksBackAndForth) {
  UndoHistory h;
  EXPECT_TRUE(h.record({{"k", 3}}, json::object()));
  EXPECT_FALSE(h.record({{"k", 3}}, {{"selected", 2}})) << "a view change alone is no step";
  EXPECT_TRUE(h.record({{"k", 4}}, json::object()));
  EXPECT_TRUE(h.record({{"k", 5}}, json::object()));
  EXPECT_EQ(h.size(), 3u);
  ASSERT_NE(h.undo(), nullptr);
  EXPECT_EQ(h.current()->state, json({{"k", 4}}));
  ASSERT_NE(h.undo(), nullptr);
  EXPECT_EQ(h.current()->state, json({{"k", 3}}));
  EXPECT_EQ(h.undo(), nullptr) << "nothing before the starting point";
  ASSERT_NE(h.redo(), nullptr);
  EXPECT_EQ(h.current()->state, json({{"k", 4}}));
  EXPECT_TRUE(h.can_redo());
  EXPECT_TRUE(h.record({{"k", 9}}, json::object()));
  EXPECT_FALSE(h.can_redo()) << "a new edit drops the redo steps";
  EXPECT_EQ(h.size(), 3u);
  EXPECT_EQ(h.redo(), nullptr);
}

TEST(UndoHistory, KeepsAtMostItsDepth) {
  UndoHistory h(100);
  for (int i = 0; i < 250; ++i) h.record({{"k", i}}, json::object());
  EXPECT_EQ(h.size(), 100u);
  int undone = 0;
  while (h.undo()) ++undone;
  EXPECT_EQ(undone, 99);
  EXPECT_EQ(h.current()->state, json({{"k", 150}})) << "the oldest entries went first";
}

TEST(UndoHistory, DescribesWhatChanged) {
  const json a = {{"expert", {{"k", 4}, {"m", 10}}}};
  const json b = {{"expert", {{"k", 3}, {"m", 10}}}};
  EXPECT_EQ(describe_change(a, b, 1), "k = 4 → 3");
  const json c = {{"dag", {{"layers", {{{"width", 3}}, {{"width", 2}}}}}}};
  const json d = {{"dag", {{"layers", {{{"width", 3}}, {{"width", 4}}, {{"width", 1}}}}}}};
  EXPECT_EQ(describe_change(c, d, 1), "layers[1].width = 2 → 4, layers[2] added");
  EXPECT_EQ(describe_change(d, c, 1), "layers[1].width = 4 → 2, layers[2] removed");
  const json e = {{"x", {{"a", 1}, {"b", 1}, {"c", 1}, {"d", 1}}}};
  const json f = {{"x", {{"a", 2}, {"b", 2}, {"c", 2}, {"d", 2}}}};
  EXPECT_EQ(describe_change(e, f, 1), "a = 1 → 2, b = 1 → 2 and 2 more");
  EXPECT_EQ(describe_change(e, e, 1), "no change");
  EXPECT_EQ(describe_change({{"x", {{"name", "T2"}}}}, {{"x", {{"name", "T3"}}}}, 1), "name = T2 → T3");
}

}  // namespace
}  // namespace sglab::ui
