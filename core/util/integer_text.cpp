#include "core/util/integer_text.hpp"

#include "core/config/json_reader.hpp"
#include "core/util/error.hpp"

namespace sglab {

namespace {

std::string range_text(std::int64_t lo, std::uint64_t hi) {
  return "[" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
}

}  // namespace

std::optional<std::string> integer_text_problem(const std::string& text, std::int64_t lo, std::uint64_t hi) {
  const std::string quoted = "\"" + config::quoted_excerpt(text) + "\"";
  const bool negative = !text.empty() && text[0] == '-';
  const std::size_t first = negative ? 1 : 0;
  if (text.size() == first) return quoted + " is not an integer";
  for (std::size_t i = first; i < text.size(); ++i)
    if (text[i] < '0' || text[i] > '9') return quoted + " is not an integer";
  // Magnitude with overflow detection: anything past 2^64 - 1 is out of every range.
  std::uint64_t magnitude = 0;
  for (std::size_t i = first; i < text.size(); ++i) {
    const auto digit = static_cast<std::uint64_t>(text[i] - '0');
    if (magnitude > (UINT64_MAX - digit) / 10) return quoted + " is out of range " + range_text(lo, hi);
    magnitude = magnitude * 10 + digit;
  }
  bool inside = false;
  if (negative && magnitude != 0) {
    // -magnitude >= lo  <=>  magnitude <= -lo (lo < 0 only).
    inside = lo < 0 && magnitude <= static_cast<std::uint64_t>(-(lo + 1)) + 1;
  } else {
    inside = (lo <= 0 || magnitude >= static_cast<std::uint64_t>(lo)) && magnitude <= hi;
  }
  if (!inside) return quoted + " is out of range " + range_text(lo, hi);
  return std::nullopt;
}

std::uint64_t parse_unsigned_text(const std::string& text, std::uint64_t lo, std::uint64_t hi,
                                  const std::string& what) {
  const auto lo_signed = static_cast<std::int64_t>(std::min<std::uint64_t>(lo, INT64_MAX));
  if (auto problem = integer_text_problem(text, lo_signed, hi)) throw Error(what + ": " + *problem);
  std::uint64_t value = 0;
  for (char ch : text) value = value * 10 + static_cast<std::uint64_t>(ch - '0');
  return value;
}

std::int64_t parse_integer_text(const std::string& text, std::int64_t lo, std::int64_t hi, const std::string& what) {
  if (auto problem = integer_text_problem(text, lo, static_cast<std::uint64_t>(std::max<std::int64_t>(hi, 0))))
    throw Error(what + ": " + *problem);
  const bool negative = text[0] == '-';
  std::uint64_t magnitude = 0;
  for (std::size_t i = negative ? 1 : 0; i < text.size(); ++i)
    magnitude = magnitude * 10 + static_cast<std::uint64_t>(text[i] - '0');
  if (!negative) return static_cast<std::int64_t>(magnitude);
  return magnitude == 0 ? 0 : -static_cast<std::int64_t>(magnitude - 1) - 1;
}

}  // namespace sglab
