#pragma once
// A 64-bit hash of everything a frame's draw data asks the GPU to draw
// (display rectangle, every list's vertices, indices and commands), so the frame
// loop can tell a frame identical to the last one and skip rendering it: under
// a software renderer an unchanged screen otherwise costs a full redraw.

#include <imgui.h>

#include <cstdint>

namespace sglab::ui {

std::uint64_t draw_data_signature(const ImDrawData& data);

}  // namespace sglab::ui
