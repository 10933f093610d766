#include "ui/draw_signature.hpp"

#include <cstring>

namespace sglab::ui {

namespace {

// FNV-1a over 8-byte words (a tail byte-wise): fast enough for ~10^5 vertices a
// frame, and any changed byte changes the hash with overwhelming probability.
class Hasher {
 public:
  void bytes(const void* data, std::size_t size) {
    const auto* p = static_cast<const unsigned char*>(data);
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) {
      std::uint64_t w = 0;
      std::memcpy(&w, p + i, 8);
      mix(w);
    }
    for (; i < size; ++i) mix(p[i]);
  }
  template <class T>
  void value(const T& v) {
    bytes(&v, sizeof v);
  }
  std::uint64_t result() const { return h_; }

 private:
  void mix(std::uint64_t w) {
    h_ ^= w;
    h_ *= 0x100000001b3ULL;
    h_ ^= h_ >> 29;
  }
  std::uint64_t h_ = 0xcbf29ce484222325ULL;
};

}  // namespace

std::uint64_t draw_data_signature(const ImDrawData& data) {
  Hasher h;
  h.value(data.DisplayPos);
  h.value(data.DisplaySize);
  h.value(data.FramebufferScale);
  h.value(data.CmdListsCount);
  for (int l = 0; l < data.CmdListsCount; ++l) {
    const ImDrawList& list = *data.CmdLists[l];
    h.value(list.VtxBuffer.Size);
    h.bytes(list.VtxBuffer.Data,
            static_cast<std::size_t>(list.VtxBuffer.Size) * sizeof(ImDrawVert));
    h.value(list.IdxBuffer.Size);
    h.bytes(list.IdxBuffer.Data, static_cast<std::size_t>(list.IdxBuffer.Size) * sizeof(ImDrawIdx));
    h.value(list.CmdBuffer.Size);
    for (const ImDrawCmd& cmd : list.CmdBuffer) {
      h.value(cmd.ClipRect);
      h.value(cmd.TextureId);
      h.value(cmd.VtxOffset);
      h.value(cmd.IdxOffset);
      h.value(cmd.ElemCount);
      h.value(cmd.UserCallback);
      h.value(cmd.UserCallbackData);
    }
  }
  return h.result();
}

}  // namespace sglab::ui
