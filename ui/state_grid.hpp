#pragma once
// The state-pooling view's geometry and its renderer interface. The grid
// shows the R = 2^d states row-major: cols = 2^ceil(d/2), rows = 2^floor(d/2),
// so low bits run along a row. The GL implementation (ui/gl) draws it with
// our own shader; without GL (tests on ImGui's null backend) the panel falls
// back to ImDrawList rectangles.

#include <imgui.h>

#include <cstdint>
#include <string>

namespace sglab::ui {

struct StateGridLayout {
  int d = 0;
  int cols = 1, rows = 1;
  static StateGridLayout for_dim(int d) {
    StateGridLayout l;
    l.d = d;
    l.cols = 1 << ((d + 1) / 2);
    l.rows = 1 << (d / 2);
    return l;
  }
  int state_at(int col, int row) const { return row * cols + col; }
};

/// Two states are pooled by an expert exactly when their bits in the
/// expert's coordinates C_j agree (same key, eq 22).
inline bool pooled_with(std::uint32_t r, std::uint32_t hovered, std::uint32_t mask) {
  return ((r ^ hovered) & mask) == 0;
}

struct StateGridDraw {
  const float* values = nullptr;  ///< cols × rows per-state errors
  std::uint64_t values_version = 0;  ///< changes whenever `values` changes
  StateGridLayout layout;
  float log_lo = 0.0f, log_hi = 1.0f;  ///< log10 range of the colour scale
  int hovered = -1;
  std::uint32_t mask = 0;
  int width_px = 0, height_px = 0;
};

class StateGridRenderer {
 public:
  virtual ~StateGridRenderer() = default;
  /// Renders grid `slot` (0 = BP, 1 = SG) and returns a texture for ImGui::Image
  /// (drawn with uv0 = (0,1), uv1 = (1,0)), or nullptr when it cannot.
  virtual ImTextureID render(int slot, const StateGridDraw& draw) = 0;
  virtual const std::string& error() const = 0;
};

}  // namespace sglab::ui
