#pragma once
// Strict, path-aware JSON reading for every file sglab reads (DESIGN.md: core/config).
//
// Every lab's config is read through JsonObjectReader so that the same rules
// hold everywhere: unknown keys, wrong types and out-of-range values are
// rejected with a message naming the key by its full path ("dag.layers[2].q");
// duplicate keys are refused (a strict file has one meaning); documents nested
// deeper than kMaxJsonDepth are refused before anything copies or dumps them
// (deep nesting overflows the stack in nlohmann-json); every parse error is an
// sglab::Error naming the source, the line and the column.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace sglab::config {

constexpr int kMaxJsonDepth = 32;
/// Longest piece of a file's own text (a key, a string value) quoted in a message.
constexpr std::size_t kMaxQuotedChars = 60;

/// `text` cut to kMaxQuotedChars characters (with "…" and its full length when cut), for messages.
std::string quoted_excerpt(const std::string& text);

/// Parses text into JSON; refuses malformed documents, duplicate keys, numbers
/// out of double's range and nesting deeper than kMaxJsonDepth. `what` names
/// the source in messages (a file path): "F: line 3, column 7: …".
nlohmann::json parse_json_text(const std::string& text, const std::string& what);

/// Reads a regular file (at most `max_bytes`, input_file.hpp) and parses it strictly.
nlohmann::json read_json_file(const std::string& path);

/// Typed, range-checked access to the members of one JSON object. Call
/// finish() after reading: it rejects any key that was never asked for.
class JsonObjectReader {
 public:
  JsonObjectReader(const nlohmann::json& object, std::string path);

  bool has(const std::string& key) const;
  const nlohmann::json& raw(const std::string& key);  ///< marks the key as known
  std::string child_path(const std::string& key) const;

  double number(const std::string& key, double fallback, double lo, double hi);
  std::int64_t integer(const std::string& key, std::int64_t fallback, std::int64_t lo,
                       std::int64_t hi);
  /// Seeds: integers in [0, hi]; values past INT64_MAX are read exactly.
  std::uint64_t unsigned_integer(const std::string& key, std::uint64_t fallback, std::uint64_t hi);
  bool boolean(const std::string& key, bool fallback);
  std::string string(const std::string& key, const std::string& fallback);
  /// One of `allowed`; the message lists them.
  std::string choice(const std::string& key, const std::string& fallback,
                     const std::vector<std::string>& allowed);
  std::vector<double> number_list(const std::string& key, const std::vector<double>& fallback,
                                  double lo, double hi);
  std::vector<std::int64_t> integer_list(const std::string& key,
                                         const std::vector<std::int64_t>& fallback,
                                         std::int64_t lo, std::int64_t hi);

  /// Throws if the object holds a key nobody read.
  void finish() const;
  const std::string& path() const { return path_; }

 private:
  template <typename T, typename ReadOne>
  std::vector<T> list(const std::string& key, const std::vector<T>& fallback, ReadOne read_one);

  const nlohmann::json& object_;
  std::string path_;
  std::set<std::string> known_;
};

}  // namespace sglab::config
