#include "ui/shortcuts.hpp"

#include <imgui.h>

namespace sglab::ui {

namespace {
// GLFW's key codes (GLFW/glfw3.h) for keys ImGui 1.86's key map does not name.
constexpr int kGlfwKeyS = 'S';
constexpr int kGlfwKeyP = 'P';
constexpr int kGlfwKeyF1 = 290;
constexpr int kGlfwKeyF11 = 300;
}  // namespace

int key_index(Key key) {
  switch (key) {
    case Key::kSpace: return ImGui::GetKeyIndex(ImGuiKey_Space);
    case Key::kLeft: return ImGui::GetKeyIndex(ImGuiKey_LeftArrow);
    case Key::kRight: return ImGui::GetKeyIndex(ImGuiKey_RightArrow);
    case Key::kEscape: return ImGui::GetKeyIndex(ImGuiKey_Escape);
    case Key::kY: return ImGui::GetKeyIndex(ImGuiKey_Y);
    case Key::kZ: return ImGui::GetKeyIndex(ImGuiKey_Z);
    case Key::kS: return kGlfwKeyS;
    case Key::kP: return kGlfwKeyP;
    case Key::kF1: return kGlfwKeyF1;
    case Key::kF11: return kGlfwKeyF11;
  }
  return -1;
}

bool key_pressed(Key key, bool repeat) {
  const int index = key_index(key);
  return index >= 0 && ImGui::IsKeyPressed(index, repeat);
}

const std::vector<KeyHelp>& app_shortcuts() {
  static const std::vector<KeyHelp> table = {
      {"Space", "play / pause (labs that train: mixing dynamics, bandit)"},
      {"Left / Right", "step and scrub in the labs that train (each lab's lines below)"},
      {"Ctrl+Z", "undo the last knob or editor change in the shown lab"},
      {"Ctrl+Shift+Z, Ctrl+Y", "redo"},
      {"Ctrl+S", "save the scenario (the file saved to last; the first time, Save as…)"},
      {"Ctrl+P", "pin the shown lab's results: grey ghosts under the live curves (three at most)"},
      {"F11", "presenter mode (figures first, large text)"},
      {"F1", "this help"},
      {"Esc", "close a dialog"},
  };
  return table;
}

}  // namespace sglab::ui
