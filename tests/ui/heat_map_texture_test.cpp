// The dynamics lab's λ heat map as one texture (issue 12, GUI frames): its
// pixels are the records' λ colours cell by cell, it is uploaded only when the
// records change, and it replaces thousands of rectangles. Also the frame
// log's fill measure (ui/draw_fill.hpp).
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <thread>
#include <vector>

#include "dynamics_play.hpp"
#include "null_backend.hpp"
#include "ui/app_shell.hpp"
#include "ui/draw_fill.hpp"
#include "ui/dynamics/dynamics_lab.hpp"

namespace sglab::ui {
namespace {

using namespace std::chrono_literals;

const std::string kAssets = std::string(SGLAB_SOURCE_DIR) + "/assets";

// Keeps what a GL implementation would upload; the texture id is never sampled on the null backend.
class RecordingTextures final : public ImageTextures {
 public:
  ImTextureID image(const std::string& key, const std::uint32_t* pixels, int width, int height,
                    std::uint64_t version) override {
    Entry& e = entries[key];
    if (e.width != width || e.height != height || e.version != version || e.pixels.empty()) {
      e.pixels.assign(pixels,
                      pixels + static_cast<std::size_t>(width) * static_cast<std::size_t>(height));
      e.width = width;
      e.height = height;
      e.version = version;
      ++uploads_;
    }
    return reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(0x5eed));
  }
  std::uint64_t uploads() const override { return uploads_; }
  struct Entry {
    std::vector<std::uint32_t> pixels;
    int width = 0, height = 0;
    std::uint64_t version = ~std::uint64_t{0};
  };
  std::map<std::string, Entry> entries;

 private:
  std::uint64_t uploads_ = 0;
};

TEST(HeatMapTexture, PixelsAreTheRecordsLambdaColoursAndUploadOnlyOnChange) {
  test::NullBackend imgui;
  RecordingTextures textures;
  imgui.ui.images = &textures;
  AppShell shell(kAssets, 1);
  shell.select_lab("dynamics");
  DynamicsLab& lab = shell.lab_as<DynamicsLab>("dynamics");
  ASSERT_TRUE(lab.choose_network("sparse40"));
  lab.set_steps_per_frame(40);
  ASSERT_TRUE(test::play_dynamics_until(imgui, shell, 600));
  for (int f = 0; f < 3; ++f) imgui.frame([&] { shell.draw(imgui.ui); });
  ASSERT_EQ(textures.entries.count("dyn_lambda_heat_map"), 1u);
  const auto& e = textures.entries.at("dyn_lambda_heat_map");
  const auto s = lab.snapshot();
  ASSERT_TRUE(s);
  const auto& rec = s->records;
  std::vector<int> rows;
  for (int slot = 0; slot < rec.slots(); ++slot)
    if (rec.layout().mixes[static_cast<std::size_t>(slot)]) rows.push_back(slot);
  ASSERT_EQ(e.height, static_cast<int>(rows.size()));
  ASSERT_GT(e.width, 50);
  ASSERT_LE(static_cast<std::size_t>(e.width), rec.size());
  for (int k = 0; k < e.height; ++k)
    for (int c = 0; c < e.width; ++c) {
      const std::size_t r = heat_map_record_of_column(rec.size(), e.width, c);
      ASSERT_EQ(e.pixels[static_cast<std::size_t>(k * e.width + c)],
                lambda_heat_colour(rec.value(dynamics::NodeSeries::lambda_adaptive, r,
                                             rows[static_cast<std::size_t>(k)])))
          << "row " << k << " column " << c;
    }

  // Paused: the records do not change, so neither does the texture.
  const std::uint64_t uploads = textures.uploads();
  for (int f = 0; f < 10; ++f) imgui.frame([&] { shell.draw(imgui.ui); });
  EXPECT_EQ(textures.uploads(), uploads);
  // More steps: uploaded again.
  ASSERT_TRUE(test::play_dynamics_until(imgui, shell, static_cast<std::int64_t>(rec.size()) + 200));
  imgui.frame([&] { shell.draw(imgui.ui); });
  EXPECT_GT(textures.uploads(), uploads);
}

TEST(HeatMapTexture, TheTextureReplacesTheRectangles) {
  test::NullBackend imgui;
  RecordingTextures textures;
  AppShell shell(kAssets, 1);
  shell.select_lab("dynamics");
  DynamicsLab& lab = shell.lab_as<DynamicsLab>("dynamics");
  ASSERT_TRUE(lab.choose_network("sparse40"));
  lab.set_steps_per_frame(40);
  ASSERT_TRUE(test::play_dynamics_until(imgui, shell, 600));
  imgui.frame([&] { shell.draw(imgui.ui); });
  const int with_rectangles = imgui.vertices;
  imgui.ui.images = &textures;
  imgui.frame([&] { shell.draw(imgui.ui); });
  const int with_texture = imgui.vertices;
  const auto& e = textures.entries.at("dyn_lambda_heat_map");
  // Each cell was a 4-vertex rectangle; the texture is one 4-vertex quad.
  EXPECT_EQ(with_rectangles - with_texture, e.width * e.height * 4 - 4);
}

TEST(HeatMapTexture, RecordOfColumnTakesEachBinsLastRecord) {
  EXPECT_EQ(heat_map_record_of_column(1000, 400, 399), 999u);
  EXPECT_EQ(heat_map_record_of_column(1000, 400, 0), 1u);  // bin [0, 2.5) ends at record 1
  EXPECT_EQ(heat_map_record_of_column(7, 7, 3), 3u);       // one record per column
  std::size_t last = 0;
  for (int c = 0; c < 333; ++c) {
    const std::size_t r = heat_map_record_of_column(1000, 333, c);
    if (c > 0) {
      EXPECT_GT(r, last);
    }
    last = r;
  }
}

TEST(DrawFill, ClippedTriangleAreas) {
  const ImVec2 lo(0, 0), hi(10, 10);
  EXPECT_DOUBLE_EQ(clipped_triangle_area(ImVec2(0, 0), ImVec2(4, 0), ImVec2(0, 4), lo, hi), 8.0);
  // Half outside on the right: the part left of x = 10 of the triangle (8,0) (12,0) (8,4).
  EXPECT_NEAR(clipped_triangle_area(ImVec2(8, 0), ImVec2(12, 0), ImVec2(8, 4), lo, hi), 6.0, 1e-5);
  EXPECT_DOUBLE_EQ(clipped_triangle_area(ImVec2(20, 20), ImVec2(30, 20), ImVec2(20, 30), lo, hi),
                   0.0);
  // A triangle covering the whole clip rectangle counts the rectangle.
  EXPECT_NEAR(
      clipped_triangle_area(ImVec2(-100, -100), ImVec2(300, -100), ImVec2(-100, 300), lo, hi),
      100.0, 1e-4);
}

TEST(DrawFill, AFrameCountsItsRectanglesArea) {
  test::NullBackend imgui;
  double fill = 0.0;
  imgui.frame([&] {
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(400, 300));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0.0f);  // only the rectangle below is drawn
    ImGui::Begin("fill", nullptr, ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoDecoration);
    ImGui::PopStyleVar();
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(10, 10), ImVec2(110, 60),
                                              IM_COL32(0, 0, 0, 255));
    ImGui::End();
  });
  fill = draw_data_fill_pixels(*ImGui::GetDrawData());
  EXPECT_NEAR(fill, 100.0 * 50.0, 1e-3);
}

}  // namespace
}  // namespace sglab::ui
