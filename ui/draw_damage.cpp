#include "ui/draw_damage.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace sglab::ui {

namespace {

// Per window, more changed stretches than this are drawn as their union: the
// merge below is cubic in the number of rectangles.
constexpr std::size_t kMaxRectsPerList = 4;

DamageRect unite(const DamageRect& a, const DamageRect& b) {
  if (a.area() <= 0) return b;
  if (b.area() <= 0) return a;
  return {std::min(a.x0, b.x0), std::min(a.y0, b.y0), std::max(a.x1, b.x1), std::max(a.y1, b.y1)};
}

bool overlap(const DamageRect& a, const DamageRect& b) {
  return a.x0 <= b.x1 && b.x0 <= a.x1 && a.y0 <= b.y1 && b.y0 <= a.y1;
}

DamageRect clip_to(const DamageRect& r, const DamageRect& bounds) {
  DamageRect c{std::max(r.x0, bounds.x0), std::max(r.y0, bounds.y0), std::min(r.x1, bounds.x1),
               std::min(r.y1, bounds.y1)};
  if (c.x1 <= c.x0 || c.y1 <= c.y0) return {};
  return c;
}

// Collects the boxes of one window's changed stretches: consecutive changed
// triangles share a box; beyond kMaxRectsPerList stretches, one box for all.
class ListDamage {
 public:
  void add(const DamageRect& box, bool continues_stretch) {
    if (box.area() <= 0) return;
    if (continues_stretch && !boxes_.empty())
      boxes_.back() = unite(boxes_.back(), box);
    else
      boxes_.push_back(box);
  }
  void append_to(std::vector<DamageRect>& out) const {
    if (boxes_.size() <= kMaxRectsPerList) {
      out.insert(out.end(), boxes_.begin(), boxes_.end());
      return;
    }
    DamageRect all{};
    for (const DamageRect& b : boxes_) all = unite(all, b);
    out.push_back(all);
  }

 private:
  std::vector<DamageRect> boxes_;
};

template <class Triangles>
DamageRect box_of(const Triangles& tris, std::size_t begin, std::size_t end) {
  DamageRect all{};
  for (std::size_t i = begin; i < end; ++i)
    all = unite(all, triangle_box(tris[i].v[0].pos, tris[i].v[1].pos, tris[i].v[2].pos, tris[i].clip));
  return all;
}

}  // namespace

bool DrawDamage::Triangle::operator==(const Triangle& o) const {
  return std::memcmp(v, o.v, sizeof v) == 0 && std::memcmp(&clip, &o.clip, sizeof clip) == 0 &&
         texture == o.texture;
}

DamageRect triangle_box(const ImVec2& a, const ImVec2& b, const ImVec2& c, const ImVec4& clip) {
  const float x0 = std::max(std::min({a.x, b.x, c.x}), clip.x);
  const float y0 = std::max(std::min({a.y, b.y, c.y}), clip.y);
  const float x1 = std::min(std::max({a.x, b.x, c.x}), clip.z);
  const float y1 = std::min(std::max({a.y, b.y, c.y}), clip.w);
  if (!(x1 > x0 && y1 > y0)) return {};
  return {std::floor(x0), std::floor(y0), std::ceil(x1), std::ceil(y1)};
}

std::vector<DamageRect> merge_damage(std::vector<DamageRect> rects, int max_rects) {
  rects.erase(std::remove_if(rects.begin(), rects.end(), [](const DamageRect& r) { return r.area() <= 0; }),
              rects.end());
  // Overlapping (or touching) rectangles become one: drawing their union costs
  // no more pixels than drawing both, and one pass fewer.
  for (bool merged = true; merged;) {
    merged = false;
    for (std::size_t i = 0; i < rects.size() && !merged; ++i)
      for (std::size_t j = i + 1; j < rects.size(); ++j)
        if (overlap(rects[i], rects[j])) {
          rects[i] = unite(rects[i], rects[j]);
          rects.erase(rects.begin() + static_cast<std::ptrdiff_t>(j));
          merged = true;
          break;
        }
  }
  while (rects.size() > static_cast<std::size_t>(std::max(1, max_rects))) {
    std::size_t best_i = 0, best_j = 1;
    float best_growth = std::numeric_limits<float>::max();
    for (std::size_t i = 0; i < rects.size(); ++i)
      for (std::size_t j = i + 1; j < rects.size(); ++j) {
        const float growth = unite(rects[i], rects[j]).area() - rects[i].area() - rects[j].area();
        if (growth < best_growth) best_growth = growth, best_i = i, best_j = j;
      }
    rects[best_i] = unite(rects[best_i], rects[best_j]);
    rects.erase(rects.begin() + static_cast<std::ptrdiff_t>(best_j));
  }
  return rects;
}

void DrawDamage::copy_list(const ImDrawList& list, ListCopy& copy) {
  copy.owner = list._OwnerName != nullptr ? list._OwnerName : "";
  copy.triangles.clear();  // keeps its capacity: no allocation per frame
  copy.triangles.reserve(static_cast<std::size_t>(list.IdxBuffer.Size / 3));
  for (const ImDrawCmd& cmd : list.CmdBuffer) {
    if (cmd.UserCallback != nullptr) continue;  // callbacks draw nothing we can compare: see update()
    const ImDrawVert* v = list.VtxBuffer.Data + cmd.VtxOffset;
    const ImDrawIdx* idx = list.IdxBuffer.Data + cmd.IdxOffset;
    for (unsigned int i = 0; i + 2 < cmd.ElemCount; i += 3) {
      Triangle t;
      t.v[0] = v[idx[i]];
      t.v[1] = v[idx[i + 1]];
      t.v[2] = v[idx[i + 2]];
      t.clip = cmd.ClipRect;
      t.texture = cmd.TextureId;
      copy.triangles.push_back(t);
    }
  }
}

std::vector<DamageRect> DrawDamage::update(const ImDrawData& data, bool textures_written, ImTextureID font_texture) {
  const DamageRect display{data.DisplayPos.x, data.DisplayPos.y, data.DisplayPos.x + data.DisplaySize.x,
                           data.DisplayPos.y + data.DisplaySize.y};
  std::vector<ListCopy> lists = std::move(spare_);  // the frame before last's buffers, reused
  lists.resize(static_cast<std::size_t>(data.CmdListsCount));
  bool callbacks = false;
  for (int l = 0; l < data.CmdListsCount; ++l) {
    for (const ImDrawCmd& cmd : data.CmdLists[l]->CmdBuffer) callbacks |= cmd.UserCallback != nullptr;
    copy_list(*data.CmdLists[l], lists[static_cast<std::size_t>(l)]);
  }
  const bool same_display = valid_ && display_pos_.x == data.DisplayPos.x && display_pos_.y == data.DisplayPos.y &&
                            display_size_.x == data.DisplaySize.x && display_size_.y == data.DisplaySize.y;
  std::vector<DamageRect> damage = diff(lists, textures_written, font_texture);
  // A user callback's drawing is unknown to us: the whole display, as when the
  // display moved or the windows changed order.
  if (!same_display || callbacks || (damage.size() == 1 && damage[0].area() < 0)) damage = {display};
  spare_ = std::move(lists_);
  lists_ = std::move(lists);
  display_pos_ = data.DisplayPos;
  display_size_ = data.DisplaySize;
  valid_ = true;
  for (DamageRect& r : damage) r = clip_to(r, display);
  return merge_damage(std::move(damage), kMaxRects);
}

std::vector<DamageRect> DrawDamage::diff(const std::vector<ListCopy>& lists, bool textures_written,
                                         ImTextureID font_texture) const {
  const DamageRect everything{0, 0, -1, 1};  // negative area: "the whole display"
  // Windows present in both frames must keep their order; a window that appears
  // or goes damages its own triangles.
  std::vector<const ListCopy*> kept_old, kept_new;
  std::vector<DamageRect> damage;
  auto find = [](const std::vector<ListCopy>& in, const std::string& owner) {
    return static_cast<std::size_t>(std::count_if(in.begin(), in.end(), [&](const ListCopy& c) { return c.owner == owner; }));
  };
  for (const ListCopy& o : lists_) {
    const std::size_t n = find(lists, o.owner);
    if (n > 1 || find(lists_, o.owner) > 1) return {everything};  // not one window per name
    if (n == 1) kept_old.push_back(&o);
    else damage.push_back(box_of(o.triangles, 0, o.triangles.size()));
  }
  for (const ListCopy& c : lists) {
    if (find(lists_, c.owner) == 1) kept_new.push_back(&c);
    else damage.push_back(box_of(c.triangles, 0, c.triangles.size()));
  }
  for (std::size_t i = 0; i < kept_new.size(); ++i)
    if (kept_old[i]->owner != kept_new[i]->owner) return {everything};

  for (std::size_t i = 0; i < kept_new.size(); ++i) {
    const std::vector<Triangle>& a = kept_old[i]->triangles;
    const std::vector<Triangle>& b = kept_new[i]->triangles;
    std::size_t prefix = 0;
    while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
    std::size_t suffix = 0;
    while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
           a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
      ++suffix;
    ListDamage list_damage;
    if (a.size() == b.size()) {
      // Same length: only the triangles that differ (a text whose digits change).
      bool in_stretch = false;
      for (std::size_t t = prefix; t < a.size() - suffix; ++t) {
        const bool changed = !(a[t] == b[t]);
        if (changed) {
          list_damage.add(triangle_box(a[t].v[0].pos, a[t].v[1].pos, a[t].v[2].pos, a[t].clip), in_stretch);
          list_damage.add(triangle_box(b[t].v[0].pos, b[t].v[1].pos, b[t].v[2].pos, b[t].clip), true);
        }
        in_stretch = changed;
      }
    } else {
      list_damage.add(box_of(a, prefix, a.size() - suffix), false);
      list_damage.add(box_of(b, prefix, b.size() - suffix), true);
    }
    list_damage.append_to(damage);
  }
  if (textures_written) {
    // New pixels in a texture: every triangle that samples one, except the
    // font atlas (its writes come with new glyph quads, compared above).
    for (const ListCopy& c : lists) {
      ListDamage textured;
      bool in_stretch = false;
      for (const Triangle& t : c.triangles) {
        const bool image = t.texture != font_texture;
        if (image) textured.add(triangle_box(t.v[0].pos, t.v[1].pos, t.v[2].pos, t.clip), in_stretch);
        in_stretch = image;
      }
      textured.append_to(damage);
    }
  }
  return damage;
}

}  // namespace sglab::ui
