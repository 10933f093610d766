#include "ui/gl/texture_writes.hpp"

namespace sglab::ui::gl {

std::uint64_t& texture_writes() {
  static std::uint64_t count = 0;
  return count;
}

}  // namespace sglab::ui::gl
