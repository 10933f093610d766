#pragma once
// The one exception type the core throws at its boundary (DESIGN.md: errors).
// Its message is meant for a person: it names the flag, key or field at fault
// and, where there is one, the allowed range.

#include <stdexcept>
#include <string>

namespace sglab {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace sglab
