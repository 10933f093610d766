#include "ui/draw_damage.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace sglab::ui {

namespace {

// Per window, more changed stretches than this are merged down to it (the
// cheapest unions first): the merge is cubic in the number of rectangles.
constexpr int kMaxRectsPerList = 8;
// A triangle found again further on counts as the same one only if this many
// triangles after it match too (or all that remain): a lone equal triangle far
// ahead (a repeated glyph) must not pull the match past what changed.
constexpr std::size_t kResyncRun = 4;

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
// triangles share a box; beyond kMaxRectsPerList stretches, the cheapest unions.
class ListDamage {
 public:
  void add(const DamageRect& box, bool continues_stretch) {
    if (box.area() <= 0) return;
    if (continues_stretch && !boxes_.empty())
      boxes_.back() = unite(boxes_.back(), box);
    else
      boxes_.push_back(box);
  }
  void append_to(std::vector<DamageRect>& out) {
    if (boxes_.size() > static_cast<std::size_t>(kMaxRectsPerList)) boxes_ = merge_damage(std::move(boxes_), kMaxRectsPerList);
    out.insert(out.end(), boxes_.begin(), boxes_.end());
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
  // assign keeps the buffers' capacity: no allocation per frame.
  copy.vertices.assign(list.VtxBuffer.begin(), list.VtxBuffer.end());
  copy.indices.assign(list.IdxBuffer.begin(), list.IdxBuffer.end());
  copy.commands.clear();
  for (const ImDrawCmd& cmd : list.CmdBuffer) {
    if (cmd.UserCallback != nullptr) continue;  // callbacks draw nothing we can compare: see update()
    copy.commands.push_back({cmd.ClipRect, cmd.TextureId, cmd.VtxOffset, cmd.IdxOffset, cmd.ElemCount});
  }
  copy.expanded_ = false;
}

bool DrawDamage::ListCopy::same_drawing(const ListCopy& other) const {
  if (vertices.size() != other.vertices.size() || indices.size() != other.indices.size() ||
      commands.size() != other.commands.size())
    return false;
  for (std::size_t c = 0; c < commands.size(); ++c) {
    const Command &a = commands[c], &b = other.commands[c];
    if (std::memcmp(&a.clip, &b.clip, sizeof a.clip) != 0 || a.texture != b.texture || a.vtx_offset != b.vtx_offset ||
        a.idx_offset != b.idx_offset || a.elem_count != b.elem_count)
      return false;
  }
  return std::memcmp(vertices.data(), other.vertices.data(), vertices.size() * sizeof(ImDrawVert)) == 0 &&
         std::memcmp(indices.data(), other.indices.data(), indices.size() * sizeof(ImDrawIdx)) == 0;
}

const std::vector<DrawDamage::Triangle>& DrawDamage::ListCopy::triangles() const {
  if (expanded_) return triangles_;
  triangles_.clear();  // keeps its capacity
  triangles_.reserve(indices.size() / 3);
  for (const Command& cmd : commands) {
    const ImDrawVert* v = vertices.data() + cmd.vtx_offset;
    const ImDrawIdx* idx = indices.data() + cmd.idx_offset;
    for (unsigned int i = 0; i + 2 < cmd.elem_count; i += 3) {
      Triangle t;
      t.v[0] = v[idx[i]];
      t.v[1] = v[idx[i + 1]];
      t.v[2] = v[idx[i + 2]];
      t.clip = cmd.clip;
      t.texture = cmd.texture;
      triangles_.push_back(t);
    }
  }
  expanded_ = true;
  return triangles_;
}

std::uint64_t DrawDamage::Triangle::hash() const {
  static_assert(sizeof(v) % 4 == 0 && sizeof(clip) % 4 == 0, "hashed as 32-bit words");
  std::uint32_t words[(sizeof v + sizeof clip) / 4];
  std::memcpy(words, v, sizeof v);
  std::memcpy(reinterpret_cast<char*>(words) + sizeof v, &clip, sizeof clip);
  std::uint64_t h = 0xcbf29ce484222325ull ^ static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(texture));
  for (std::uint32_t w : words) h = (h ^ w) * 0x100000001b3ull;
  return h ^ (h >> 29);
}

void DrawDamage::diff_list(const std::vector<Triangle>& a, const std::vector<Triangle>& b,
                           std::vector<DamageRect>& out) const {
  std::size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  std::size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
    ++suffix;
  const std::size_t a_end = a.size() - suffix, b_end = b.size() - suffix;
  ListDamage list_damage;
  if (prefix == a_end || prefix == b_end) {  // only an insertion or only a removal
    list_damage.add(box_of(a, prefix, a_end), false);
    list_damage.add(box_of(b, prefix, b_end), true);
    list_damage.append_to(out);
    return;
  }
  // An index of the old middle: the positions of each hash, increasing along
  // each chain (inserted from the back), so the first one at or after the read
  // position is at a chain's head once the smaller ones are dropped.
  std::size_t buckets = 64;
  while (buckets < 2 * (a_end - prefix)) buckets *= 2;
  chain_head_.assign(buckets, -1);
  chain_next_.resize(a_end - prefix);
  for (std::size_t k = a_end; k-- > prefix;) {
    const std::size_t bucket = a[k].hash() & (buckets - 1);
    chain_next_[k - prefix] = chain_head_[bucket];
    chain_head_[bucket] = static_cast<std::ptrdiff_t>(k - prefix);
  }
  // Walk both middles in order, matching new triangles to old ones (each match
  // after the last): every pixel covered only by matched triangles sees the same
  // ones in the same order, so only the unmatched ones, old and new, are damaged.
  std::size_t i = prefix, j = prefix;
  bool in_old_stretch = false, in_new_stretch = false;
  const auto drop_old = [&](std::size_t until) {
    list_damage.add(box_of(a, i, until), in_old_stretch);
    in_old_stretch = true;
    i = until;
  };
  while (i < a_end && j < b_end) {
    if (a[i] == b[j]) {
      ++i, ++j;
      in_old_stretch = in_new_stretch = false;
      continue;
    }
    std::ptrdiff_t& head = chain_head_[b[j].hash() & (buckets - 1)];
    while (head >= 0 && static_cast<std::size_t>(head) + prefix < i) head = chain_next_[static_cast<std::size_t>(head)];
    std::size_t found = a_end;
    for (std::ptrdiff_t k = head; k >= 0; k = chain_next_[static_cast<std::size_t>(k)]) {
      const std::size_t at = static_cast<std::size_t>(k) + prefix;
      std::size_t run = 0;
      const std::size_t need = std::min({kResyncRun, a_end - at, b_end - j});
      while (run < need && a[at + run] == b[j + run]) ++run;
      if (run == need) {
        found = at;
        break;
      }
    }
    if (found < a_end) {
      drop_old(found);  // old triangles [i, found) are gone
      continue;
    }
    const Triangle& t = b[j];  // b[j] is new
    list_damage.add(triangle_box(t.v[0].pos, t.v[1].pos, t.v[2].pos, t.clip), in_new_stretch);
    in_new_stretch = true;
    ++j;
  }
  if (i < a_end) drop_old(a_end);
  list_damage.add(box_of(b, j, b_end), in_new_stretch);
  list_damage.append_to(out);
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
    else damage.push_back(box_of(o.triangles(), 0, o.triangles().size()));
  }
  for (const ListCopy& c : lists) {
    if (find(lists_, c.owner) == 1) kept_new.push_back(&c);
    else damage.push_back(box_of(c.triangles(), 0, c.triangles().size()));
  }
  for (std::size_t i = 0; i < kept_new.size(); ++i)
    if (kept_old[i]->owner != kept_new[i]->owner) return {everything};

  for (std::size_t i = 0; i < kept_new.size(); ++i) {
    if (!kept_old[i]->same_drawing(*kept_new[i])) diff_list(kept_old[i]->triangles(), kept_new[i]->triangles(), damage);
  }
  if (textures_written) {
    // New pixels in a texture: every triangle that samples one, except the
    // font atlas (its writes come with new glyph quads, compared above); one
    // box per draw command (an image is a command of its own).
    for (const ListCopy& c : lists) {
      ListDamage textured;
      for (const Command& cmd : c.commands) {
        if (cmd.texture == font_texture) continue;
        DamageRect box{};
        const ImDrawVert* v = c.vertices.data() + cmd.vtx_offset;
        const ImDrawIdx* idx = c.indices.data() + cmd.idx_offset;
        for (unsigned int t = 0; t + 2 < cmd.elem_count; t += 3)
          box = unite(box, triangle_box(v[idx[t]].pos, v[idx[t + 1]].pos, v[idx[t + 2]].pos, cmd.clip));
        textured.add(box, false);
      }
      textured.append_to(damage);
    }
  }
  return damage;
}

}  // namespace sglab::ui
