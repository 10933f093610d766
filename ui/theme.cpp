#include "ui/theme.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "ui/plot/marker_sprites.hpp"

namespace sglab::ui {

namespace {
const char* kFontDirs[] = {"/usr/share/fonts/truetype/dejavu/", "/usr/share/fonts/dejavu/",
                           "/usr/local/share/fonts/"};

bool file_exists(const std::string& path) {
  if (FILE* f = std::fopen(path.c_str(), "rb")) {
    std::fclose(f);
    return true;
  }
  return false;
}

std::string find_font(const char* name) {
  for (const char* dir : kFontDirs) {
    const std::string p = std::string(dir) + name;
    if (file_exists(p)) return p;
  }
  return {};
}

// Glyphs beyond Latin-1 that labels and tooltips use.
const char* kExtraGlyphs =
    u8"λστεδμαβγθξηΣΔ≤≥≠≡−×·²³⁻¹⁰⁴⁵⁶⁷⁸⁹ⁿ√∞≈→←↑↓∈∑–—…•½⅓¼⅔¾‖⟨⟩§±";
}  // namespace

ImU32 palette::series(int index) {
  static const ImU32 colours[] = {kOrange, kGreen, kSkyBlue, kPurple, kBlack, kYellow};
  return colours[static_cast<std::size_t>(index) % (sizeof colours / sizeof colours[0])];
}

Fonts load_fonts(float scale) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  Fonts fonts;
  static ImVector<ImWchar> ranges;  // must outlive the atlas build
  if (ranges.empty()) {
    ImFontGlyphRangesBuilder builder;
    builder.AddRanges(io.Fonts->GetGlyphRangesDefault());
    builder.AddText(kExtraGlyphs);
    builder.BuildRanges(&ranges);
  }
  const std::string regular = find_font("DejaVuSans.ttf");
  const std::string bold = find_font("DejaVuSans-Bold.ttf");
  const float px = std::round(kBaseFontPx * scale);
  if (!regular.empty()) {
    ImFontConfig config;
    config.OversampleH = 2;
    config.OversampleV = 1;
    fonts.body = io.Fonts->AddFontFromFileTTF(regular.c_str(), px, &config, ranges.Data);
    if (fonts.body != nullptr) {
      fonts.title = io.Fonts->AddFontFromFileTTF((bold.empty() ? regular : bold).c_str(),
                                                 std::round(px * 1.15f), &config, ranges.Data);
    }
  }
  if (fonts.body != nullptr && fonts.title != nullptr) plot::reserve_marker_sprites(*io.Fonts, scale);
  if (fonts.body != nullptr && fonts.title != nullptr && io.Fonts->Build()) {
    fonts.from_ttf = true;
  } else {
    io.Fonts->Clear();
    ImFontConfig config;
    config.SizePixels = std::max(13.0f, std::round(13.0f * scale));
    fonts.body = io.Fonts->AddFontDefault(&config);
    fonts.title = fonts.body;
    plot::reserve_marker_sprites(*io.Fonts, scale);
    io.Fonts->Build();
    fonts.message = "DejaVu Sans not found (install fonts-dejavu-core); using ImGui's built-in font";
  }
  plot::paint_marker_sprites(*io.Fonts);
  io.FontDefault = fonts.body;
  return fonts;
}

float presenter_scale(float window_height) {
  return std::clamp(window_height / 576.0f, kMinPresenterScale, kPresenterScale);
}

void apply_style(float scale, ColourProfile profile) {
  ImGuiStyle style;
  ImGui::StyleColorsLight(&style);
  style.WindowRounding = 0.0f;
  style.FrameRounding = 3.0f;
  style.GrabRounding = 3.0f;
  style.FrameBorderSize = 1.0f;
  style.WindowPadding = ImVec2(10, 8);
  style.FramePadding = ImVec2(6, 4);
  style.ItemSpacing = ImVec2(8, 6);
  style.ScrollbarSize = 16.0f;
  style.GrabMinSize = 12.0f;
  ImVec4* c = style.Colors;
  c[ImGuiCol_WindowBg] = ImVec4(0.97f, 0.97f, 0.96f, 1.0f);
  // Child windows draw no background of their own: the frame is cleared to the
  // window colour once, and every layer less is one full-screen pass less for a
  // software rasteriser (Mesa llvmpipe under Xvfb).
  c[ImGuiCol_ChildBg] = ImVec4(0.0f, 0.0f, 0.0f, 0.0f);
  c[ImGuiCol_Text] = ImVec4(0.08f, 0.08f, 0.10f, 1.0f);
  c[ImGuiCol_TextDisabled] = ImVec4(0.38f, 0.38f, 0.40f, 1.0f);
  c[ImGuiCol_FrameBg] = ImVec4(1.0f, 1.0f, 1.0f, 1.0f);
  c[ImGuiCol_Border] = ImVec4(0.72f, 0.72f, 0.74f, 1.0f);
  c[ImGuiCol_SliderGrab] = ImVec4(0.0f, 0.45f, 0.70f, 1.0f);
  c[ImGuiCol_SliderGrabActive] = ImVec4(0.0f, 0.35f, 0.60f, 1.0f);
  c[ImGuiCol_CheckMark] = ImVec4(0.0f, 0.40f, 0.65f, 1.0f);
  c[ImGuiCol_PlotHistogram] = ImVec4(0.0f, 0.45f, 0.70f, 1.0f);
  if (profile == ColourProfile::kProjector) {
    // White paper, black ink: secondary text is dark grey, not light grey;
    // borders and separators are dark and thicker.
    c[ImGuiCol_WindowBg] = ImVec4(1.0f, 1.0f, 1.0f, 1.0f);
    c[ImGuiCol_Text] = ImVec4(0.0f, 0.0f, 0.0f, 1.0f);
    c[ImGuiCol_TextDisabled] = ImVec4(0.20f, 0.20f, 0.22f, 1.0f);
    c[ImGuiCol_Border] = ImVec4(0.30f, 0.30f, 0.32f, 1.0f);
    c[ImGuiCol_Separator] = ImVec4(0.30f, 0.30f, 0.32f, 1.0f);
    c[ImGuiCol_FrameBg] = ImVec4(1.0f, 1.0f, 1.0f, 1.0f);
    c[ImGuiCol_Button] = ImVec4(0.80f, 0.87f, 0.95f, 1.0f);
    c[ImGuiCol_Tab] = ImVec4(0.80f, 0.87f, 0.95f, 1.0f);
    c[ImGuiCol_TabActive] = ImVec4(0.55f, 0.72f, 0.90f, 1.0f);
    c[ImGuiCol_SliderGrab] = ImVec4(0.0f, 0.30f, 0.60f, 1.0f);
    c[ImGuiCol_CheckMark] = ImVec4(0.0f, 0.25f, 0.55f, 1.0f);
    style.FrameBorderSize = 1.5f;
    style.ChildBorderSize = 1.5f;
    style.WindowBorderSize = 1.5f;
    style.GrabMinSize = 16.0f;
  }
  style.ScaleAllSizes(scale);
  ImGui::GetStyle() = style;
}

ImVec4 sequential_colour(float t) {
  // Five anchors of a perceptually ordered purple→blue→green→yellow ramp.
  static const float anchors[5][3] = {{0.267f, 0.005f, 0.329f},
                                      {0.230f, 0.322f, 0.546f},
                                      {0.128f, 0.567f, 0.551f},
                                      {0.369f, 0.789f, 0.383f},
                                      {0.993f, 0.906f, 0.144f}};
  t = std::clamp(std::isfinite(t) ? t : 0.0f, 0.0f, 1.0f) * 4.0f;
  const int i = std::min(3, static_cast<int>(t));
  const float f = t - static_cast<float>(i);
  ImVec4 out;
  out.x = anchors[i][0] + f * (anchors[i + 1][0] - anchors[i][0]);
  out.y = anchors[i][1] + f * (anchors[i + 1][1] - anchors[i][1]);
  out.z = anchors[i][2] + f * (anchors[i + 1][2] - anchors[i][2]);
  out.w = 1.0f;
  return out;
}

}  // namespace sglab::ui
