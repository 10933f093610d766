#pragma once
// A count of writes to textures the UI shows (the DAG graph, the state grids,
// computed images, the font atlas). The frame loop skips redrawing a frame whose
// draw data and this count are both unchanged: a texture drawn with the same
// quad as last frame may still hold new pixels. GL thread only.

#include <cstdint>

namespace sglab::ui::gl {

/// Bumped by every renderer right after it writes a shown texture.
std::uint64_t& texture_writes();

}  // namespace sglab::ui::gl
