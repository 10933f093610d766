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

}  // namespace
}  // namespace sglab::ui
