#pragma once
// ImGui 1.86 reads the keys' state once per frame: a key pressed and released
// between two frames (a quick tap on a slow frame, software GL, a loaded
// machine) is never seen as pressed, so a shortcut would be lost. The latch
// remembers every press since the last frame and holds a key that is already up
// again down for one frame, with the modifiers it was pressed with; a second tap
// of the same key waits until ImGui has seen the key up for a frame.

#include <imgui.h>

#include <array>
#include <vector>

namespace sglab::gui {

class KeyTapLatch {
 public:
  /// From the GLFW key callback, after ImGui's backend saw the event.
  void on_key(int key, int action, int mods);
  /// Before ImGui::NewFrame: keys pressed since the last frame read as down.
  void before_frame(ImGuiIO& io);
  /// After the frame: the keys held by the latch go up again, the modifiers follow the keys.
  void after_frame(ImGuiIO& io);

 private:
  struct Tap {
    int key;
    int mods;
  };
  std::vector<Tap> taps_;
  std::vector<int> held_;  ///< keys the latch holds down this frame (and lets go after it)
  std::array<bool, 512> down_{};  ///< the physical state, as GLFW reported it
};

/// The app's one latch (one window), fed by gui_window.cpp's key callback.
KeyTapLatch& key_tap_latch();

}  // namespace sglab::gui
