#pragma once
// Look and feel: a light theme (readable on a projector), the Okabe–Ito
// colour-blind-safe palette, and the DejaVu fonts rebuilt at the presenter size.

#include <imgui.h>

#include <string>

namespace sglab::ui {

/// Okabe & Ito (2008) colours, safe for the common colour-vision deficiencies.
namespace palette {
inline constexpr ImU32 rgb(unsigned r, unsigned g, unsigned b) {
  return IM_COL32(r, g, b, 255);
}
inline constexpr ImU32 kBlack = rgb(0, 0, 0);
inline constexpr ImU32 kOrange = rgb(230, 159, 0);
inline constexpr ImU32 kSkyBlue = rgb(86, 180, 233);
inline constexpr ImU32 kGreen = rgb(0, 158, 115);
inline constexpr ImU32 kYellow = rgb(240, 228, 66);
inline constexpr ImU32 kBlue = rgb(0, 114, 178);
inline constexpr ImU32 kVermillion = rgb(213, 94, 0);
inline constexpr ImU32 kPurple = rgb(204, 121, 167);
inline constexpr ImU32 kGrey = rgb(110, 110, 110);

inline constexpr ImU32 kBp = kVermillion;  ///< backpropagation, everywhere
inline constexpr ImU32 kSg = kBlue;        ///< synthetic gradients, everywhere
inline constexpr ImU32 kMix = kPurple;     ///< the λ-mixture
inline constexpr ImU32 kTheory = kBlack;   ///< closed forms / theory lines
/// A colour per series index that avoids BP's and SG's colours.
ImU32 series(int index);
}  // namespace palette

/// Body text size in pixels at scale 1, and the largest presenter-mode factor.
inline constexpr float kBaseFontPx = 16.0f;
inline constexpr float kPresenterScale = 1.875f;
inline constexpr float kMinPresenterScale = 1.25f;

/// Presenter mode's factor for a window `height` pixels tall: text keeps the same
/// share of the screen's height (1.25 at 720 px, 1.875 at 1080 px and above), so
/// the figures still fit a 1280×720 projector while the text stays large.
float presenter_scale(float window_height);

/// The two colour profiles: the screen's, and the projector's (high contrast,
/// thicker lines and markers, no thin light grey on white: a projector washes
/// light greys out).
enum class ColourProfile { kScreen, kProjector };

struct Fonts {
  ImFont* body = nullptr;
  ImFont* title = nullptr;  ///< bold, 1.15× the body
  bool from_ttf = false;    ///< false: ImGui's built-in font (DejaVu missing)
  std::string message;      ///< why the fallback was used
};

/// Clears io.Fonts and loads DejaVu Sans (regular + bold) at kBaseFontPx·scale,
/// with the Greek letters and maths symbols the labels use; falls back to
/// ImGui's built-in font. Builds the atlas (the renderer must re-upload it).
Fonts load_fonts(float scale);

/// Light theme with sizes scaled by `scale`; the projector profile darkens every
/// grey and thickens borders.
void apply_style(float scale, ColourProfile profile = ColourProfile::kScreen);

/// Sequential colour map for the state-pooling view (t in [0, 1]): a viridis-
/// like ramp from dark purple to yellow, legible in grey and for colour-blind viewers.
ImVec4 sequential_colour(float t);

}  // namespace sglab::ui
