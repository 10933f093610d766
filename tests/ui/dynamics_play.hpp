#pragma once
// Test support: plays the dynamics lab of an AppShell on the null backend until
// at least `steps` steps are done (frames drawn in between), then pauses and
// waits for the lab's runner. Returns false when the runner did not go idle.

#include <chrono>
#include <cstdint>
#include <thread>

#include "null_backend.hpp"
#include "ui/app_shell.hpp"
#include "ui/dynamics/dynamics_lab.hpp"

namespace sglab::ui::test {

inline bool play_dynamics_until(NullBackend& imgui, AppShell& shell, std::int64_t steps) {
  DynamicsLab& lab = shell.lab_as<DynamicsLab>("dynamics");
  lab.set_playing(true);
  for (int frame = 0; frame < 5000; ++frame) {
    imgui.frame([&] { shell.draw(imgui.ui); });
    const auto s = lab.snapshot();
    if (s && s->epoch == lab.engine().epoch() && s->steps_done >= steps) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  lab.set_playing(false);
  return lab.engine().runner().wait_idle(std::chrono::seconds(60));
}

}  // namespace sglab::ui::test
