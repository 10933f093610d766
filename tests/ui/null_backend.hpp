#pragma once
// ImGui on its null backend: a context, a built font atlas, frames with no
// renderer (Dear ImGui's example_null). Panels run exactly as in the app.

#include <imgui.h>
#include <imgui_internal.h>

#include <gtest/gtest.h>

#include <string>

#include "ui/lab.hpp"
#include "ui/plot/marker_sprites.hpp"
#include "ui/shortcuts.hpp"
#include "ui/theme.hpp"
#include "ui/ui_context.hpp"

namespace sglab::ui::test {

class NullBackend {
 public:
  explicit NullBackend(float scale = 1.0f, ImVec2 display = ImVec2(1600, 900)) {
    IMGUI_CHECKVERSION();
    context_ = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.LogFilename = nullptr;
    io.DisplaySize = display;
    io.DeltaTime = 1.0f / 60.0f;
    map_keys_like_glfw(io);
    set_scale(scale);
  }
  ~NullBackend() {
    plot::forget_marker_sprites(*context_->IO.Fonts);
    ImGui::DestroyContext(context_);
  }
  NullBackend(const NullBackend&) = delete;
  NullBackend& operator=(const NullBackend&) = delete;

  void set_scale(float scale) {
    ui.fonts = load_fonts(scale);
    apply_style(scale);
    ui.scale = scale;
    ui.presenter = scale > 1.0f;
    ui.plot_env.scale = scale;
    ui.plot_env.title_font = ui.fonts.title;
    upload_fonts();
  }

  /// What a renderer does after the fonts change: build the atlas texture.
  void upload_fonts() {
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // what a renderer would upload
  }

  /// One frame around `body`; checks that every Begin/Push was matched.
  template <class Body>
  void frame(Body&& body) {
    ImGui::NewFrame();
    body();
    const ImGuiContext& g = *GImGui;
    EXPECT_EQ(g.CurrentWindowStack.Size, 1) << "a Begin/BeginChild without End";
    EXPECT_EQ(g.ColorStack.Size, 0) << "PushStyleColor without Pop";
    EXPECT_EQ(g.StyleVarStack.Size, 0) << "PushStyleVar without Pop";
    EXPECT_EQ(g.FontStack.Size, 0) << "PushFont without Pop";
    EXPECT_EQ(g.GroupStack.Size, 0) << "BeginGroup without EndGroup";
    ImGui::Render();
    ImDrawData* data = ImGui::GetDrawData();
    EXPECT_NE(data, nullptr);
    vertices = data ? data->TotalVtxCount : 0;
  }

  /// Holds `key` (with Ctrl / Shift) down for one frame around `body`, then up for one more.
  template <class Body>
  void press(Key key, Body&& body, bool ctrl = false, bool shift = false) {
    ImGuiIO& io = ImGui::GetIO();
    const int index = key_index(key);
    EXPECT_GE(index, 0) << "a key with no index: the key map misses it";
    if (index < 0) return;
    io.KeyCtrl = ctrl;
    io.KeyShift = shift;
    io.KeysDown[index] = true;
    frame(body);
    io.KeysDown[index] = false;
    frame(body);
    io.KeyCtrl = io.KeyShift = false;
  }

  /// The texts `lab` draws in one frame (tick, draw, status bar), through ImGui's text
  /// log inside a window of the test's own: a top-level window's End stops the log, so
  /// the shell's menu bar would end it.
  std::string drawn_text(Lab& lab) {
    std::string text;
    frame([&] {
      ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
      ImGui::Begin("probe");
      ImGui::LogToBuffer();
      lab.tick();
      lab.draw(ui);
      lab.draw_status(ui);
      text = ImGui::GetCurrentContext()->LogBuffer.c_str();
      ImGui::LogFinish();
      ImGui::End();
    });
    return text;
  }

  UiContext ui;
  int vertices = 0;

 private:
  // The key map the GLFW backend sets (imgui_impl_glfw.cpp, GLFW key codes), so
  // shortcuts read the same key indices here as in the app (ui/shortcuts.hpp).
  static void map_keys_like_glfw(ImGuiIO& io) {
    io.KeyMap[ImGuiKey_Tab] = 258;
    io.KeyMap[ImGuiKey_LeftArrow] = 263;
    io.KeyMap[ImGuiKey_RightArrow] = 262;
    io.KeyMap[ImGuiKey_UpArrow] = 265;
    io.KeyMap[ImGuiKey_DownArrow] = 264;
    io.KeyMap[ImGuiKey_Home] = 268;
    io.KeyMap[ImGuiKey_End] = 269;
    io.KeyMap[ImGuiKey_Delete] = 261;
    io.KeyMap[ImGuiKey_Backspace] = 259;
    io.KeyMap[ImGuiKey_Space] = 32;
    io.KeyMap[ImGuiKey_Enter] = 257;
    io.KeyMap[ImGuiKey_Escape] = 256;
    io.KeyMap[ImGuiKey_A] = 'A';
    io.KeyMap[ImGuiKey_C] = 'C';
    io.KeyMap[ImGuiKey_V] = 'V';
    io.KeyMap[ImGuiKey_X] = 'X';
    io.KeyMap[ImGuiKey_Y] = 'Y';
    io.KeyMap[ImGuiKey_Z] = 'Z';
  }

  ImGuiContext* context_ = nullptr;
};

}  // namespace sglab::ui::test
