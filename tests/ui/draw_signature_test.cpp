// The frame loop skips a frame whose draw data equals the one on screen
// (ui/draw_signature.hpp): the same frame drawn twice has the same signature,
// and a moved, recoloured or added primitive changes it.
#include "ui/draw_signature.hpp"

#include <gtest/gtest.h>

#include "null_backend.hpp"

namespace sglab::ui {
namespace {

std::uint64_t signature_of(test::NullBackend& imgui, ImVec2 corner, ImU32 colour, bool extra) {
  imgui.frame([&] {
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(400, 300));
    ImGui::Begin("signature", nullptr, ImGuiWindowFlags_NoDecoration);
    ImGui::TextUnformatted("a line of text");
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(10, 10), corner, colour);
    if (extra) ImGui::GetWindowDrawList()->AddLine(ImVec2(0, 0), ImVec2(50, 50), colour);
    ImGui::End();
  });
  return draw_data_signature(*ImGui::GetDrawData());
}

TEST(DrawSignature, EqualFramesMatchAndAnyChangeDiffers) {
  test::NullBackend imgui;
  const ImU32 black = IM_COL32(0, 0, 0, 255);
  signature_of(imgui, ImVec2(110, 60), black, false);  // settle the window's first-frame layout
  const std::uint64_t base = signature_of(imgui, ImVec2(110, 60), black, false);
  EXPECT_EQ(signature_of(imgui, ImVec2(110, 60), black, false), base);
  EXPECT_NE(signature_of(imgui, ImVec2(111, 60), black, false), base);
  EXPECT_NE(signature_of(imgui, ImVec2(110, 60), IM_COL32(0, 0, 1, 255), false), base);
  EXPECT_NE(signature_of(imgui, ImVec2(110, 60), black, true), base);
  EXPECT_EQ(signature_of(imgui, ImVec2(110, 60), black, false), base);
}

}  // namespace
}  // namespace sglab::ui
