#pragma once
// The one parser of integer text for seeds and counts (issue 10): every CLI flag
// and list entry that is an integer goes through it, so "-1", "1.5", "+3",
// "0x10", " 5" and 99999999999999999999999 are refused the same way everywhere
// instead of wrapping, saturating or being truncated by strtoull/stoll.
//
// Accepted: an optional '-' followed by ASCII decimal digits, nothing else.
// The value must lie in [lo, hi]; the range is part of every message.
#include <cstdint>
#include <optional>
#include <string>

namespace sglab {

/// Seeds are any 64-bit unsigned integer.
constexpr std::uint64_t kMaxSeedValue = UINT64_MAX;

/// Why `text` is not a decimal integer in [lo, hi] ("\"1.5\" is not an integer"),
/// or nothing when it is. Values are written in full so they survive any range.
std::optional<std::string> integer_text_problem(const std::string& text, std::int64_t lo, std::uint64_t hi);

/// The value of `text`, or sglab::Error "`what`: <problem>".
std::uint64_t parse_unsigned_text(const std::string& text, std::uint64_t lo, std::uint64_t hi,
                                  const std::string& what);
std::int64_t parse_integer_text(const std::string& text, std::int64_t lo, std::int64_t hi, const std::string& what);

}  // namespace sglab
