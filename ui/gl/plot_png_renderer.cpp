#include "ui/gl/plot_png_renderer.hpp"

#include "ui/gl/colour_framebuffer.hpp"

#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <algorithm>
#include <cstdint>

#include "ui/gl/frame_capture.hpp"
#include "ui/gl/gl_headers.hpp"
#include "ui/plot/marker_sprites.hpp"
#include "ui/theme.hpp"

namespace sglab::ui::gl {

namespace {

constexpr int kMaxSide = 8192;

// A second ImGui context for one export: its own font atlas and style, so the
// app's context (fonts, windows, hover state) is untouched.
class ExportContext {
 public:
  ExportContext() : app_(ImGui::GetCurrentContext()), own_(ImGui::CreateContext()) {
    ImGui::SetCurrentContext(own_);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.LogFilename = nullptr;
  }
  ~ExportContext() {
    ImGui::SetCurrentContext(own_);
    plot::forget_marker_sprites(*ImGui::GetIO().Fonts);
    ImGui::DestroyContext(own_);
    ImGui::SetCurrentContext(app_);
  }
  ExportContext(const ExportContext&) = delete;
  ExportContext& operator=(const ExportContext&) = delete;
  void make_app_current() const { ImGui::SetCurrentContext(app_); }

 private:
  ImGuiContext* app_;
  ImGuiContext* own_;
};

// The export context's font atlas as a GL texture (the backend's own texture
// belongs to the app's atlas).
class AtlasTexture {
 public:
  explicit AtlasTexture(ImFontAtlas* atlas) {
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    atlas->GetTexDataAsRGBA32(&pixels, &w, &h);
    GLint last_texture = 0, last_unpack = 0;
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &last_texture);
    glGetIntegerv(GL_UNPACK_ALIGNMENT, &last_unpack);
    glGenTextures(1, &id_);
    glBindTexture(GL_TEXTURE_2D, id_);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, pixels);
    glPixelStorei(GL_UNPACK_ALIGNMENT, last_unpack);
    glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(last_texture));
    atlas->SetTexID(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(id_)));
  }
  ~AtlasTexture() { glDeleteTextures(1, &id_); }
  AtlasTexture(const AtlasTexture&) = delete;
  AtlasTexture& operator=(const AtlasTexture&) = delete;

 private:
  GLuint id_ = 0;
};

// An RGBA colour buffer of the image's size, bound while alive.
class Framebuffer {
 public:
  Framebuffer(int w, int h) : last_(bound_framebuffer()), image_(w, h) {}
  ~Framebuffer() { glBindFramebuffer(GL_FRAMEBUFFER, static_cast<GLuint>(last_)); }
  Framebuffer(const Framebuffer&) = delete;
  Framebuffer& operator=(const Framebuffer&) = delete;
  bool complete() const { return image_.complete(); }

 private:
  static GLint bound_framebuffer() {
    GLint fbo = 0;
    glGetIntegerv(GL_FRAMEBUFFER_BINDING, &fbo);
    return fbo;
  }
  GLint last_;
  ColourFramebuffer image_;
};

// Lays the plot out over the whole image in the (current) export context.
ImDrawData* draw_alone(const plot::PngRequest& r, float scale, const Fonts& fonts) {
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(static_cast<float>(r.width), static_cast<float>(r.height));
  io.DeltaTime = 1.0f / 60.0f;
  ImGui::NewFrame();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);
  ImGui::Begin("##plot_png", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoInputs);
  plot::PlotEnv env;
  env.scale = scale;
  env.title_font = fonts.title;
  env.hide_buttons = true;
  env.line_boost = r.line_boost;
  env.high_contrast = r.projector;
  plot::PlotState state;
  state.hidden = r.hidden;
  plot::draw_plot(*r.plot, ImGui::GetContentRegionAvail(), state, env);
  ImGui::End();
  ImGui::Render();
  return ImGui::GetDrawData();
}

}  // namespace

float png_export_scale(int width, int height) {
  return std::clamp(std::min(static_cast<float>(width) / 800.0f, static_cast<float>(height) / 500.0f), 0.75f, 5.0f);
}

std::string render_plot_png(const plot::PngRequest& r) {
  if (!r.plot) return "no plot to draw";
  if (r.width < 64 || r.height < 64 || r.width > kMaxSide || r.height > kMaxSide)
    return "image size " + std::to_string(r.width) + "×" + std::to_string(r.height) + " is outside 64..8192";
  const float scale = png_export_scale(r.width, r.height);
  ExportContext context;
  const Fonts fonts = load_fonts(scale);
  apply_style(scale, r.projector ? ColourProfile::kProjector : ColourProfile::kScreen);
  ImGui::GetStyle().WindowBorderSize = 0.0f;  // the image is the plot, not a window
  AtlasTexture atlas(ImGui::GetIO().Fonts);
  ImDrawData* data = draw_alone(r, scale, fonts);
  const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];  // the export's colour profile, not the app's
  // The app's context renders: its backend data holds the shaders and buffers.
  context.make_app_current();
  Framebuffer fb(r.width, r.height);
  if (!fb.complete()) return "the offscreen framebuffer is incomplete";
  GLint viewport[4];
  glGetIntegerv(GL_VIEWPORT, viewport);
  glViewport(0, 0, r.width, r.height);
  glClearColor(bg.x, bg.y, bg.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(data);
  const std::string error =
      write_framebuffer_png(r.path, 0, 0, r.width, r.height, r.height, GL_COLOR_ATTACHMENT0);
  glViewport(viewport[0], viewport[1], viewport[2], viewport[3]);
  return error;
}

}  // namespace sglab::ui::gl
