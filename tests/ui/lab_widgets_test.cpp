// Shared lab widgets on the null backend: a control column keeps its height while
// a knob is dragged (issue 11: the DAG editor scrolled 190–250 px under the mouse
// when a drag removed rows below the knob).
#include <gtest/gtest.h>

#include <cfloat>

#include "null_backend.hpp"
#include "ui/lab_widgets.hpp"

namespace sglab::ui {
namespace {

TEST(LabWidgets, ControlColumnDoesNotScrollUnderADrag) {
  test::NullBackend imgui;
  int rows_below = 40;
  float held = 0.0f, value = 0.5f, scroll = 0.0f;
  bool scroll_to_end = true;
  ImVec2 knob(0, 0);
  const auto draw = [&] {
    imgui.frame([&] {
      ImGui::SetNextWindowPos(ImVec2(0, 0));
      ImGui::SetNextWindowSize(ImVec2(400, 300));
      ImGui::Begin("lab", nullptr, ImGuiWindowFlags_NoTitleBar);
      ImGui::BeginChild("controls", ImVec2(0, 0), true, ImGuiWindowFlags_AlwaysVerticalScrollbar);
      for (int i = 0; i < 20; ++i) ImGui::Text("row above %d", i);
      ImGui::SliderFloat("knob", &value, 0.0f, 1.0f);
      knob = ImGui::GetItemRectMin();
      for (int i = 0; i < rows_below; ++i) ImGui::Text("row below %d", i);
      hold_height_while_dragging(held);
      if (scroll_to_end) ImGui::SetScrollY(1e6f);
      scroll = ImGui::GetScrollY();
      ImGui::EndChild();
      ImGui::End();
    });
  };
  for (int i = 0; i < 3; ++i) draw();
  scroll_to_end = false;
  // Scroll so the knob is on screen: rows above it scroll off, rows below stay.
  rows_below = 6;
  for (int i = 0; i < 3; ++i) draw();
  ImGuiIO& io = ImGui::GetIO();
  ASSERT_GT(scroll, 0.0f);
  ASSERT_GT(knob.y, 0.0f);
  ASSERT_LT(knob.y, 280.0f) << "the knob is not on screen";
  io.MousePos = ImVec2(knob.x + 20.0f, knob.y + 5.0f);
  draw();
  io.MouseDown[0] = true;
  draw();
  draw();
  ASSERT_TRUE(ImGui::IsAnyItemActive()) << "the drag did not start on the knob";
  const float knob_y = knob.y, scroll_before = scroll;
  rows_below = 0;  // the drag removes the rows below the knob
  for (int i = 0; i < 3; ++i) draw();
  EXPECT_EQ(scroll, scroll_before) << "the column scrolled mid-drag";
  EXPECT_EQ(knob.y, knob_y) << "the knob moved under the mouse";
  io.MouseDown[0] = false;
  io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
  for (int i = 0; i < 3; ++i) draw();
  EXPECT_LT(scroll, scroll_before) << "after the drag the column takes its new height";
}

}  // namespace
}  // namespace sglab::ui
