#pragma once
// CLI11 glue for the one integer parser (core/util/integer_text.hpp): every
// integer flag of sglab-cli checks its text with integer_in before CLI11 casts
// it, so CLI11's own conversions (strtoull wraps "-1", accepts "+3" and "0x10")
// never see anything but plain decimal digits inside the flag's range.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace sglab::cli {

/// Accepts decimal integer text in [lo, hi]; the message names the range.
CLI::Validator integer_in(std::int64_t lo, std::uint64_t hi);

/// Seeds: any decimal integer in [0, 2^64 - 1].
CLI::Validator any_seed();

/// Comma-separated list entries (and "lo..hi" ranges when `ranges`) as integers
/// in [lo, hi]; a repeated entry is refused with a message naming it.
std::vector<std::int64_t> parse_unique_integer_list(const std::vector<std::string>& tokens, std::int64_t lo,
                                                    std::int64_t hi, const std::string& flag, bool ranges);

}  // namespace sglab::cli
