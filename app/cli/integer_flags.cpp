#include "app/cli/integer_flags.hpp"

#include <set>
#include <sstream>

#include "core/util/error.hpp"
#include "core/util/integer_text.hpp"

namespace sglab::cli {

CLI::Validator integer_in(std::int64_t lo, std::uint64_t hi) {
  return CLI::Validator(
      [lo, hi](std::string& text) -> std::string {
        const auto problem = integer_text_problem(text, lo, hi);
        return problem ? *problem : std::string();
      },
      "INT in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]", "integer_in");
}

CLI::Validator any_seed() { return integer_in(0, kMaxSeedValue); }

namespace {

// Longest "lo..hi" range a list may expand to (a typo like 4..40000 is refused).
constexpr std::int64_t kMaxRangeLength = 10000;

void append_entry(std::vector<std::int64_t>& out, std::set<std::int64_t>& seen, std::int64_t value,
                  const std::string& flag) {
  if (!seen.insert(value).second)
    throw Error(flag + ": " + std::to_string(value) + " is listed twice (each entry must be unique)");
  out.push_back(value);
}

}  // namespace

std::vector<std::int64_t> parse_unique_integer_list(const std::vector<std::string>& tokens, std::int64_t lo,
                                                    std::int64_t hi, const std::string& flag, bool ranges) {
  std::vector<std::int64_t> out;
  std::set<std::int64_t> seen;
  for (const std::string& raw : tokens) {
    std::stringstream pieces(raw);
    std::string token;
    while (std::getline(pieces, token, ',')) {
      if (token.empty()) throw Error(flag + ": empty entry in \"" + raw + "\"");
      const auto dots = ranges ? token.find("..") : std::string::npos;
      if (dots == std::string::npos) {
        append_entry(out, seen, parse_integer_text(token, lo, hi, flag), flag);
        continue;
      }
      const std::int64_t first = parse_integer_text(token.substr(0, dots), lo, hi, flag);
      const std::int64_t last = parse_integer_text(token.substr(dots + 2), lo, hi, flag);
      if (last < first) throw Error(flag + ": empty range \"" + token + "\"");
      if (last - first >= kMaxRangeLength) throw Error(flag + ": range \"" + token + "\" is too long");
      for (std::int64_t v = first; v <= last; ++v) append_entry(out, seen, v, flag);
    }
  }
  if (out.empty()) throw Error(flag + ": give at least one value");
  return out;
}

}  // namespace sglab::cli
