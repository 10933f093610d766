#pragma once
// Strict, path-aware reading of scenario JSON (DESIGN.md: scenario files).
//
// Every lab's config is read through JsonObjectReader so that the same rules
// hold everywhere: unknown keys, wrong types and out-of-range values are
// rejected with a message naming the key by its full path ("dag.layers[2].q"),
// and documents nested deeper than kMaxJsonDepth are refused before anything
// copies or dumps them (deep nesting overflows the stack in nlohmann-json).

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <vector>

namespace sglab::scenario {

constexpr int kMaxJsonDepth = 32;
constexpr std::size_t kMaxScenarioBytes = 16u << 20;

/// Parses text into JSON, refusing documents nested deeper than kMaxJsonDepth
/// or malformed ones. `what` names the source in messages (a file path).
nlohmann::json parse_json_text(const std::string& text, const std::string& what);

/// Reads and parses a file (size-capped); throws sglab::Error naming the file.
nlohmann::json read_json_file(const std::string& path);

/// Writes JSON to `path` atomically (temp file + rename), 2-space indented.
void write_json_file(const std::string& path, const nlohmann::json& doc);

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

}  // namespace sglab::scenario
