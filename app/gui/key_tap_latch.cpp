#include "app/gui/key_tap_latch.hpp"

#include <GLFW/glfw3.h>

#include <algorithm>

namespace sglab::gui {

void KeyTapLatch::on_key(int key, int action, int mods) {
  if (key < 0 || key >= static_cast<int>(down_.size())) return;
  if (action == GLFW_PRESS) {
    down_[static_cast<std::size_t>(key)] = true;
    taps_.push_back({key, mods});
  } else if (action == GLFW_RELEASE) {
    down_[static_cast<std::size_t>(key)] = false;
  }
}

void KeyTapLatch::before_frame(ImGuiIO& io) {
  const std::vector<int> just_released = held_;  // ImGui must see these up for a frame before the next tap
  held_.clear();
  std::vector<Tap> later;
  for (const Tap& t : taps_) {
    const bool busy = std::find(held_.begin(), held_.end(), t.key) != held_.end() ||
                      std::find(just_released.begin(), just_released.end(), t.key) != just_released.end();
    if (busy) {
      later.push_back(t);  // a second tap of the key: a later frame
      continue;
    }
    if (io.KeysDown[t.key]) continue;  // still down: ImGui sees the press anyway
    io.KeysDown[t.key] = true;
    held_.push_back(t.key);
    io.KeyCtrl = io.KeyCtrl || (t.mods & GLFW_MOD_CONTROL) != 0;
    io.KeyShift = io.KeyShift || (t.mods & GLFW_MOD_SHIFT) != 0;
    io.KeyAlt = io.KeyAlt || (t.mods & GLFW_MOD_ALT) != 0;
    io.KeySuper = io.KeySuper || (t.mods & GLFW_MOD_SUPER) != 0;
  }
  taps_ = std::move(later);
}

void KeyTapLatch::after_frame(ImGuiIO& io) {
  if (held_.empty()) return;
  for (int key : held_)
    if (!down_[static_cast<std::size_t>(key)]) io.KeysDown[key] = false;
  // As ImGui's GLFW backend computes them (imgui_impl_glfw.cpp, 1.86).
  io.KeyCtrl = io.KeysDown[GLFW_KEY_LEFT_CONTROL] || io.KeysDown[GLFW_KEY_RIGHT_CONTROL];
  io.KeyShift = io.KeysDown[GLFW_KEY_LEFT_SHIFT] || io.KeysDown[GLFW_KEY_RIGHT_SHIFT];
  io.KeyAlt = io.KeysDown[GLFW_KEY_LEFT_ALT] || io.KeysDown[GLFW_KEY_RIGHT_ALT];
  io.KeySuper = io.KeysDown[GLFW_KEY_LEFT_SUPER] || io.KeysDown[GLFW_KEY_RIGHT_SUPER];
}

KeyTapLatch& key_tap_latch() {
  static KeyTapLatch latch;
  return latch;
}

}  // namespace sglab::gui
