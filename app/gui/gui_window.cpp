#include "app/gui/gui_window.hpp"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <cstdio>

#include "app/gui/key_tap_latch.hpp"
#include "ui/gl/texture_writes.hpp"
#include "ui/theme.hpp"
#include "ui/ui_context.hpp"

namespace sglab::gui {

namespace {

// GLFW errors are reported, never fatal (RandR warnings appear with no monitor).
// Until the window exists they are only remembered, so that "no display" is one line.
bool g_glfw_quiet = true;
std::string g_glfw_last_error;
void on_glfw_error(int code, const char* message) {
  g_glfw_last_error = message ? message : "";
  if (!g_glfw_quiet) std::fprintf(stderr, "sglab: GLFW error %d: %s\n", code, g_glfw_last_error.c_str());
}

// ImGui's key callback first, then the tap latch (app/gui/key_tap_latch.hpp).
void on_glfw_key(GLFWwindow* window, int key, int scancode, int action, int mods) {
  ImGui_ImplGlfw_KeyCallback(window, key, scancode, action, mods);
  key_tap_latch().on_key(key, action, mods);
}

}  // namespace

GuiWindow::GuiWindow(int width, int height, const std::string& ini_path) : ini_path_(ini_path) {
  glfwSetErrorCallback(on_glfw_error);
  if (!glfwInit()) {
    error_ = "cannot open a window: no display available (" + g_glfw_last_error +
             "); run under xvfb-run or use sglab-cli";
    return;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  window_ = glfwCreateWindow(width, height, "sglab: synthetic-gradient lab", nullptr, nullptr);
  if (window_ == nullptr) {
    error_ = "cannot create an OpenGL 3.3 window (" + g_glfw_last_error + ")";
    glfwTerminate();
    return;
  }
  g_glfw_quiet = false;
  glfwMakeContextCurrent(window_);
  glfwSwapInterval(1);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = ini_path_.empty() ? nullptr : ini_path_.c_str();
  ImGui_ImplGlfw_InitForOpenGL(window_, true);
  glfwSetKeyCallback(window_, on_glfw_key);  // replaces the backend's, which it calls
  ImGui_ImplOpenGL3_Init("#version 330 core");
  imgui_ = true;
}

GuiWindow::~GuiWindow() {
  if (imgui_) {
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
  }
  if (window_) {
    glfwDestroyWindow(window_);
    glfwTerminate();
  }
}

bool GuiWindow::should_close() const { return glfwWindowShouldClose(window_); }

void GuiWindow::apply_scale(ui::UiContext& ui, bool presenter, bool projector, float window_height, bool upload) {
  ui::apply_appearance(ui, presenter, projector ? ui::ColourProfile::kProjector : ui::ColourProfile::kScreen,
                       window_height);
  if (upload) {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
    ++sglab::ui::gl::texture_writes();
  }
}

}  // namespace sglab::gui
