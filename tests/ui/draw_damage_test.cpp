// The frame loop redraws only what changed (ui/draw_damage.hpp): an equal frame
// has no damage; a change damages a box that covers it (old and new) and not the
// unchanged windows; anything it cannot localise damages the whole display.
// (The GUI smoke test `gui_smoke_redraw` checks the same on real frames, pixel
// for pixel, with --verify-redraw.)
#include "ui/draw_damage.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <utility>
#include <vector>

#include "null_backend.hpp"

namespace sglab::ui {
namespace {

const ImTextureID kImage = reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(0x5151));

struct Scene {
  std::string text = "progress 10%";
  ImVec2 rect_corner{110, 60};
  ImU32 rect_colour = IM_COL32(0, 0, 0, 255);
  bool extra_line = false;  // a primitive inserted between the rect and the text
  bool tooltip = false;     // a third window that appears on top
  bool focus_left = false;  // brings "left" to the front: the windows change order
};

void left_window(const Scene& s) {
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(400, 300));
  ImGui::Begin("left", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoBackground);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(ImVec2(10, 10), s.rect_corner, s.rect_colour);
  if (s.extra_line) dl->AddLine(ImVec2(20, 200), ImVec2(60, 240), IM_COL32(255, 0, 0, 255));
  ImGui::SetCursorPos(ImVec2(10, 260));
  ImGui::TextUnformatted(s.text.c_str());
  ImGui::End();
}

void right_window() {
  ImGui::SetNextWindowPos(ImVec2(800, 0));
  ImGui::SetNextWindowSize(ImVec2(400, 300));
  ImGui::Begin("right", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoBackground);
  ImGui::TextUnformatted("a plot that does not change");
  ImGui::GetWindowDrawList()->AddImage(kImage, ImVec2(820, 100), ImVec2(900, 180));
  ImGui::End();
}

class DrawDamageTest : public ::testing::Test {
 protected:
  std::vector<DamageRect> draw(const Scene& s, bool textures_written = false) {
    imgui.frame([&] {
      left_window(s);
      right_window();
      if (s.focus_left) ImGui::SetWindowFocus("left");
      if (s.tooltip) {
        ImGui::SetNextWindowPos(ImVec2(500, 500));
        ImGui::SetNextWindowSize(ImVec2(100, 50));
        ImGui::Begin("tooltip", nullptr, ImGuiWindowFlags_NoDecoration);
        ImGui::TextUnformatted("tip");
        ImGui::End();
      }
    });
    return damage.update(*ImGui::GetDrawData(), textures_written, ImGui::GetIO().Fonts->TexID);
  }
  // Draws `s` until the windows' first-frame layout has settled.
  void settle(const Scene& s) {
    for (int i = 0; i < 3; ++i) draw(s);
  }
  static bool covers(const std::vector<DamageRect>& rects, ImVec2 lo, ImVec2 hi) {
    for (const DamageRect& r : rects)
      if (r.x0 <= lo.x && r.y0 <= lo.y && r.x1 >= hi.x && r.y1 >= hi.y) return true;
    return false;
  }
  static bool touches(const std::vector<DamageRect>& rects, ImVec2 lo, ImVec2 hi) {
    for (const DamageRect& r : rects)
      if (r.x0 < hi.x && lo.x < r.x1 && r.y0 < hi.y && lo.y < r.y1) return true;
    return false;
  }
  static bool whole_display(const std::vector<DamageRect>& rects) {
    return rects.size() == 1 && rects[0].x0 == 0 && rects[0].y0 == 0 && rects[0].x1 == 1600 && rects[0].y1 == 900;
  }

  test::NullBackend imgui;
  DrawDamage damage;
  const ImVec2 right_lo{800, 0}, right_hi{1200, 300};
};

TEST_F(DrawDamageTest, FirstFrameIsWholeAndAnEqualFrameHasNone) {
  Scene s;
  EXPECT_TRUE(whole_display(draw(s)));
  settle(s);
  EXPECT_TRUE(draw(s).empty());
  damage.invalidate();
  EXPECT_TRUE(whole_display(draw(s)));
}

TEST_F(DrawDamageTest, ARecolouredRectangleIsDamagedAndNothingElse) {
  Scene s;
  settle(s);
  s.rect_colour = IM_COL32(0, 0, 255, 255);
  const std::vector<DamageRect> d = draw(s);
  ASSERT_FALSE(d.empty());
  EXPECT_TRUE(covers(d, ImVec2(10, 10), ImVec2(110, 60)));
  EXPECT_FALSE(touches(d, right_lo, right_hi));
  EXPECT_FALSE(touches(d, ImVec2(0, 250), ImVec2(400, 300))) << "the unchanged text";
}

TEST_F(DrawDamageTest, AShrunkRectangleDamagesItsOldArea) {
  Scene s;
  settle(s);
  s.rect_corner = ImVec2(60, 40);
  const std::vector<DamageRect> d = draw(s);
  EXPECT_TRUE(covers(d, ImVec2(10, 10), ImVec2(110, 60)));
}

TEST_F(DrawDamageTest, ChangedDigitsDamageTheTextOnly) {
  Scene s;
  settle(s);
  s.text = "progress 20%";  // same length: only the changed glyphs
  const std::vector<DamageRect> d = draw(s);
  ASSERT_FALSE(d.empty());
  EXPECT_TRUE(touches(d, ImVec2(10, 255), ImVec2(200, 285)));
  EXPECT_FALSE(touches(d, ImVec2(10, 10), ImVec2(110, 60))) << "the rectangle drawn before the text";
  EXPECT_FALSE(touches(d, right_lo, right_hi));
  s.text = "progress 100%";  // longer: the changed middle of the window's triangles
  const std::vector<DamageRect> longer = draw(s);
  EXPECT_TRUE(touches(longer, ImVec2(10, 255), ImVec2(200, 285)));
  EXPECT_FALSE(touches(longer, ImVec2(10, 10), ImVec2(110, 60)));
}

TEST_F(DrawDamageTest, AnInsertedPrimitiveDamagesItsBoxNotTheRestOfTheWindow) {
  Scene s;
  settle(s);
  s.extra_line = true;
  const std::vector<DamageRect> d = draw(s);
  EXPECT_TRUE(covers(d, ImVec2(20, 200), ImVec2(60, 240)));
  EXPECT_FALSE(touches(d, ImVec2(10, 10), ImVec2(110, 60)));
  EXPECT_FALSE(touches(d, ImVec2(0, 255), ImVec2(400, 300)));
  s.extra_line = false;
  EXPECT_TRUE(covers(draw(s), ImVec2(20, 200), ImVec2(60, 240))) << "and its removal";
}

TEST_F(DrawDamageTest, AWindowThatAppearsOrGoesDamagesItsOwnBox) {
  Scene s;
  settle(s);
  s.tooltip = true;
  std::vector<DamageRect> d = draw(s);
  EXPECT_TRUE(touches(d, ImVec2(500, 500), ImVec2(600, 550)));
  EXPECT_FALSE(touches(d, right_lo, right_hi));
  settle(s);
  s.tooltip = false;
  d = draw(s);
  EXPECT_TRUE(touches(d, ImVec2(500, 500), ImVec2(600, 550)));
  EXPECT_FALSE(touches(d, right_lo, right_hi));
}

TEST_F(DrawDamageTest, WindowsInAnotherOrderDamageTheWholeDisplay) {
  Scene s;
  settle(s);
  ImGui::SetWindowFocus("right");  // "right" on top
  settle(s);
  s.focus_left = true;
  EXPECT_TRUE(whole_display(draw(s)));  // the focused window is drawn last from this frame on
  EXPECT_TRUE(draw(s).empty());
}

TEST_F(DrawDamageTest, NewTexturePixelsDamageTheImagesOnly) {
  Scene s;
  settle(s);
  const std::vector<DamageRect> d = draw(s, true);
  EXPECT_TRUE(covers(d, ImVec2(820, 100), ImVec2(900, 180)));
  EXPECT_FALSE(touches(d, ImVec2(10, 10), ImVec2(110, 60)));
  EXPECT_TRUE(draw(s, false).empty());
}

TEST_F(DrawDamageTest, CurvesGrowingAtTheirEndsDamageTheEndsOnly) {
  // Two plots in one window, each curve one point longer per frame (the mixing
  // dynamics lab while training): the middles of both curves stay as they are.
  int points = 40;
  const auto frame = [&] {
    imgui.frame([&] {
      ImGui::SetNextWindowPos(ImVec2(0, 0));
      ImGui::SetNextWindowSize(ImVec2(1000, 600));
      ImGui::Begin("plots", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoBackground);
      ImDrawList* dl = ImGui::GetWindowDrawList();
      for (int plot = 0; plot < 2; ++plot) {
        std::vector<ImVec2> curve;
        for (int p = 0; p < points; ++p)
          curve.emplace_back(20.0f + 10.0f * p, 100.0f + 250.0f * plot + 40.0f * ((p * 7) % 5));
        dl->AddPolyline(curve.data(), static_cast<int>(curve.size()), IM_COL32(200, 0, 0, 255), 0, 2.0f);
        dl->AddText(ImVec2(20, 60 + 250.0f * plot), IM_COL32(0, 0, 0, 255), "a title");
      }
      ImGui::End();
    });
    return damage.update(*ImGui::GetDrawData(), false, ImGui::GetIO().Fonts->TexID);
  };
  for (int i = 0; i < 3; ++i) frame();
  points += 1;
  const std::vector<DamageRect> d = frame();
  ASSERT_FALSE(d.empty());
  EXPECT_TRUE(touches(d, ImVec2(405, 90), ImVec2(425, 270))) << "the first curve's new end";
  EXPECT_TRUE(touches(d, ImVec2(405, 340), ImVec2(425, 520))) << "the second curve's new end";
  EXPECT_FALSE(touches(d, ImVec2(0, 0), ImVec2(370, 600))) << "the curves' unchanged middles";
}

// Random edits of a window's rectangles (insert, remove, recolour, move), and at
// points on a grid: outside the damage, the rectangles covering the point, in
// draw order, must be the same before and after (what makes a pixel's colour).
TEST(DrawDamageProperty, OutsideTheDamageEveryPointIsCoveredByTheSameRectanglesInOrder) {
  struct Box {
    float x0, y0, x1, y1;
    ImU32 colour;
  };
  test::NullBackend imgui;
  DrawDamage damage;
  const auto draw = [&](const std::vector<Box>& boxes) {
    imgui.frame([&] {
      ImGui::SetNextWindowPos(ImVec2(0, 0));
      ImGui::SetNextWindowSize(ImVec2(640, 480));
      ImGui::Begin("boxes", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoBackground);
      for (const Box& b : boxes) ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(b.x0, b.y0), ImVec2(b.x1, b.y1), b.colour);
      ImGui::End();
    });
    return damage.update(*ImGui::GetDrawData(), false, ImGui::GetIO().Fonts->TexID);
  };
  const auto covering = [](const std::vector<Box>& boxes, float x, float y) {
    std::vector<std::pair<ImU32, float>> seq;  // colour and left edge: which rectangle
    for (const Box& b : boxes)
      if (x >= b.x0 && x < b.x1 && y >= b.y0 && y < b.y1) seq.emplace_back(b.colour, b.x0 + 1000 * b.y0);
    return seq;
  };
  const std::uint32_t seed = 20261128;
  std::mt19937 rng(seed);
  const auto coord = [&](int max) { return static_cast<float>(std::uniform_int_distribution<int>(0, max / 8)(rng) * 8); };
  const auto random_box = [&] {
    const float x = 16 + coord(520), y = 16 + coord(360);  // inside the window's clip rectangle
    return Box{x, y, x + 8 + coord(72), y + 8 + coord(72),
               IM_COL32(std::uniform_int_distribution<int>(0, 3)(rng) * 80, 0, 0, 255)};
  };
  std::vector<Box> boxes;
  for (int k = 0; k < 30; ++k) boxes.push_back(random_box());
  for (int i = 0; i < 3; ++i) draw(boxes);
  for (int round = 0; round < 200; ++round) {
    std::vector<Box> next = boxes;
    const int edits = std::uniform_int_distribution<int>(1, 4)(rng);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = std::uniform_int_distribution<std::size_t>(0, next.size() - 1)(rng);
      switch (std::uniform_int_distribution<int>(0, 3)(rng)) {
        case 0: next.insert(next.begin() + static_cast<std::ptrdiff_t>(at), random_box()); break;
        case 1: if (next.size() > 2) next.erase(next.begin() + static_cast<std::ptrdiff_t>(at)); break;
        case 2: next[at].colour ^= IM_COL32(0, 255, 0, 0); break;
        default: {
          const float dx = coord(16) - 8;
          if (next[at].x0 + dx >= 16 && next[at].x1 + dx <= 624) next[at].x0 += dx, next[at].x1 += dx;
        }
      }
    }
    const std::vector<DamageRect> d = draw(next);
    for (float y = 0.5f; y < 480; y += 4)
      for (float x = 0.5f; x < 640; x += 4) {
        bool damaged = false;
        for (const DamageRect& r : d) damaged |= x >= r.x0 && x < r.x1 && y >= r.y0 && y < r.y1;
        if (!damaged) {
          ASSERT_EQ(covering(boxes, x, y), covering(next, x, y))
              << "seed " << seed << ", round " << round << ", point (" << x << ", " << y << ")";
        }
      }
    boxes = next;
  }
}

TEST(DrawDamageMerge, OverlapsJoinAndTheCheapestPairsMergeDownToTheLimit) {
  // Two overlapping boxes become their union.
  std::vector<DamageRect> m = merge_damage({{0, 0, 10, 10}, {5, 5, 20, 20}}, 4);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].x0, 0);
  EXPECT_EQ(m[0].x1, 20);
  // Six far-apart boxes, limit 4: the two pairs whose unions grow least merge.
  m = merge_damage({{0, 0, 10, 10},
                    {12, 0, 22, 10},  // next to the first: cheap
                    {500, 500, 510, 510},
                    {500, 512, 510, 522},  // next to the third: cheap
                    {1000, 0, 1010, 10},
                    {0, 800, 10, 810}},
                   4);
  ASSERT_EQ(m.size(), 4u);
  double area = 0;
  for (const DamageRect& r : m) area += r.area();
  EXPECT_EQ(area, 220 + 220 + 100 + 100);
  // Empty boxes are dropped.
  EXPECT_TRUE(merge_damage({{5, 5, 5, 9}}, 4).empty());
}

TEST(DrawDamageBox, TriangleBoxIsClippedAndWholePixels) {
  const DamageRect b = triangle_box(ImVec2(0.5f, 0.5f), ImVec2(10.2f, 0.5f), ImVec2(0.5f, 30.7f), ImVec4(2, 0, 8, 20));
  EXPECT_EQ(b.x0, 2);
  EXPECT_EQ(b.y0, 0);
  EXPECT_EQ(b.x1, 8);
  EXPECT_EQ(b.y1, 20);
  EXPECT_EQ(triangle_box(ImVec2(0, 0), ImVec2(1, 0), ImVec2(0, 1), ImVec4(5, 5, 9, 9)).area(), 0);
}

}  // namespace
}  // namespace sglab::ui
