#pragma once
// Which parts of the screen a frame changes. The frame loop compares each
// frame's draw data with the last one drawn and redraws only the rectangles
// where a triangle was added, removed or changed (a frame with none is not
// drawn at all): under a software renderer (Mesa llvmpipe) a frame's cost is
// the pixels it shades, and a job's progress text or one updated plot need not
// repaint six unchanged plots.
//
// Why it is exact: a pixel's colour is a function of the sequence of triangles
// covering it (vertices, clip rectangle, texture, in draw order) and of the
// textures' contents. Each window's triangles are compared as a sequence: the
// new triangles are matched to old ones in order (each match after the last, as
// a diff of two texts), and the bounding boxes of the triangles left unmatched,
// old and new, are damaged. Outside every damaged box each pixel is covered by
// matched triangles only, hence by the same triangles in the same order,
// provided the windows keep their order (else the whole screen is damaged) and
// no texture changed (else every textured triangle's box is damaged). Several
// plots in one window whose curves each grow at their end damage those ends.

#include <imgui.h>

#include <cstdint>
#include <string>
#include <vector>

namespace sglab::ui {

/// A screen rectangle in display coordinates: [x0, x1) × [y0, y1), whole pixels.
struct DamageRect {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  float area() const { return (x1 - x0) * (y1 - y0); }
};

class DrawDamage {
 public:
  /// At most this many rectangles are returned: nearby ones are merged, since
  /// each costs one pass over the draw commands.
  static constexpr int kMaxRects = 8;

  /// Compares `data` with the frame given last time and remembers `data`.
  /// `textures_written`: some shown texture got new pixels since the last call
  /// (then every triangle drawn with a texture other than `font_texture` is
  /// damaged). Returns the rectangles to redraw, clipped to the display; empty
  /// when the frame equals the last one.
  std::vector<DamageRect> update(const ImDrawData& data, bool textures_written, ImTextureID font_texture);

  /// The next update damages the whole display (a lost or resized target).
  void invalidate() { valid_ = false; }

 private:
  struct Triangle {
    ImDrawVert v[3];
    ImVec4 clip;
    ImTextureID texture;
    bool operator==(const Triangle& o) const;
    std::uint64_t hash() const;
  };
  struct Command {
    ImVec4 clip;
    ImTextureID texture;
    unsigned int vtx_offset, idx_offset, elem_count;
  };
  /// A window's draw list as last drawn; its triangles are expanded only when
  /// the list differs from the other frame's (most windows do not change).
  struct ListCopy {
    std::string owner;
    std::vector<ImDrawVert> vertices;
    std::vector<ImDrawIdx> indices;
    std::vector<Command> commands;
    bool same_drawing(const ListCopy& other) const;
    const std::vector<Triangle>& triangles() const;

   private:
    mutable std::vector<Triangle> triangles_;
    mutable bool expanded_ = false;
    friend class DrawDamage;
  };

  static void copy_list(const ImDrawList& list, ListCopy& copy);
  /// The changed boxes between lists_ and `lists`; one box of negative area
  /// when the windows changed order (the whole display is damaged).
  std::vector<DamageRect> diff(const std::vector<ListCopy>& lists, bool textures_written,
                               ImTextureID font_texture) const;

  /// Appends the boxes of what changed from window triangles `a` to `b`.
  void diff_list(const std::vector<Triangle>& a, const std::vector<Triangle>& b,
                 std::vector<DamageRect>& out) const;

  bool valid_ = false;
  ImVec2 display_pos_{}, display_size_{};
  std::vector<ListCopy> lists_;
  std::vector<ListCopy> spare_;  ///< buffers of the frame before, reused for the next one
  mutable std::vector<std::ptrdiff_t> chain_head_, chain_next_;  ///< diff_list's index, reused
};

/// A triangle's bounding box clipped to its clip rectangle, as whole pixels
/// (empty if the clip removes it).
DamageRect triangle_box(const ImVec2& a, const ImVec2& b, const ImVec2& c, const ImVec4& clip);

/// Merges overlapping rectangles, then the pair whose union grows the least,
/// until at most `max_rects` remain.
std::vector<DamageRect> merge_damage(std::vector<DamageRect> rects, int max_rects);

}  // namespace sglab::ui
