#pragma once
// The desktop window: GLFW with an OpenGL 3.3 core context, ImGui and its two
// backends, and the presenter-scale fonts. One RAII object: the destructor
// shuts ImGui and GLFW down in the right order.

#include <string>

struct GLFWwindow;

namespace sglab::ui {
struct UiContext;
}

namespace sglab::gui {

class GuiWindow {
 public:
  /// Opens the window; on failure error() says why (no display, no GL 3.3).
  /// `ini_path` is ImGui's own layout file ("" for none).
  GuiWindow(int width, int height, const std::string& ini_path);
  ~GuiWindow();
  GuiWindow(const GuiWindow&) = delete;
  GuiWindow& operator=(const GuiWindow&) = delete;

  const std::string& error() const { return error_; }
  GLFWwindow* handle() const { return window_; }
  bool should_close() const;
  /// Rebuilds fonts and style for presenter mode (its text scales with the window
  /// height), the colour profile; re-uploads the atlas when `upload`.
  static void apply_scale(ui::UiContext& ui, bool presenter, bool projector, float window_height, bool upload);

 private:
  GLFWwindow* window_ = nullptr;
  bool imgui_ = false;
  std::string ini_path_;
  std::string error_;
};

}  // namespace sglab::gui
