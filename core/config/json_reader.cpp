#include "core/config/json_reader.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "core/config/input_file.hpp"
#include "core/util/error.hpp"

namespace sglab::config {

namespace {

// Checks nesting depth on the raw text before parsing: brackets inside
// strings are skipped, so the count is exact.
void check_depth(const std::string& text, const std::string& what) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char ch : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (ch == '\\') escaped = true;
      else if (ch == '"') in_string = false;
      continue;
    }
    if (ch == '"') in_string = true;
    else if (ch == '{' || ch == '[') {
      if (++depth > kMaxJsonDepth)
        throw Error(what + ": JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
                    " levels");
    } else if (ch == '}' || ch == ']') {
      --depth;
    }
  }
}

std::string type_name(const nlohmann::json& j) { return j.type_name(); }

// "line L, column C" of byte offset `byte` (1-based, as nlohmann reports it).
std::string position_of(const std::string& text, std::size_t byte) {
  std::size_t line = 1, column = 1;
  const std::size_t end = std::min(byte > 0 ? byte - 1 : 0, text.size());
  for (std::size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// nlohmann's message without its "[json.exception.x.y] parse error at …: " prefix, cut short
// (it quotes the file's own text after "last read:").
std::string plain_message(const std::string& what) {
  std::string m = what;
  const auto bracket = m.find("] ");
  if (m.rfind("[json.exception.", 0) == 0 && bracket != std::string::npos) m = m.substr(bracket + 2);
  const auto colon = m.find(": ");
  if (m.rfind("parse error", 0) == 0 && colon != std::string::npos) m = m.substr(colon + 2);
  return m.size() > 160 ? m.substr(0, 160) + "…" : m;
}

// Refuses duplicate keys while parsing (nlohmann keeps the last one silently).
// One frame per open object or array; the path names where the duplicate is.
class DuplicateKeyGuard {
 public:
  explicit DuplicateKeyGuard(std::string what) : what_(std::move(what)) {}

  bool operator()(int /*depth*/, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using E = nlohmann::json::parse_event_t;
    switch (event) {
      case E::object_start:
      case E::array_start:
        enter_element();
        frames_.push_back({event == E::object_start, {}, {}, 0});
        break;
      case E::object_end:
      case E::array_end:
        frames_.pop_back();
        break;
      case E::key: {
        Frame& f = frames_.back();
        const std::string key = parsed.get<std::string>();
        if (!f.keys.insert(key).second)
          throw Error(what_ + ": " + path_with(key) + ": duplicate key (a strict file gives each key once)");
        f.key = key;
        break;
      }
      case E::value:
        enter_element();
        break;
    }
    return true;
  }

 private:
  struct Frame {
    bool object;
    std::set<std::string> keys;
    std::string key;
    std::size_t next_index;
  };
  void enter_element() {
    if (!frames_.empty() && !frames_.back().object) ++frames_.back().next_index;
  }
  std::string path_with(const std::string& key) const {
    std::string path;
    for (std::size_t i = 0; i + 1 < frames_.size(); ++i) {
      const Frame& f = frames_[i];
      if (f.object) path += (path.empty() ? "" : ".") + quoted_excerpt(f.key);
      else path += "[" + std::to_string(f.next_index - 1) + "]";
    }
    return path + (path.empty() ? "" : ".") + quoted_excerpt(key);
  }

  std::string what_;
  std::vector<Frame> frames_;
};

}  // namespace

std::string quoted_excerpt(const std::string& text) {
  if (text.size() <= kMaxQuotedChars) return text;
  std::size_t cut = kMaxQuotedChars;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // whole UTF-8 characters
  return text.substr(0, cut) + "… (" + std::to_string(text.size()) + " characters)";
}

nlohmann::json parse_json_text(const std::string& text, const std::string& what) {
  check_depth(text, what);
  try {
    return nlohmann::json::parse(text, DuplicateKeyGuard(what));
  } catch (const nlohmann::json::parse_error& e) {
    throw Error(what + ": " + position_of(text, e.byte) + ": malformed JSON (" + plain_message(e.what()) + ")");
  } catch (const nlohmann::json::exception& e) {
    // e.g. out_of_range 406: a number such as 1e999 past double's range.
    throw Error(what + ": malformed JSON (" + plain_message(e.what()) + ")");
  }
}

nlohmann::json read_json_file(const std::string& path) {
  return parse_json_text(read_regular_file(path, kMaxConfigFileBytes), path);
}

JsonObjectReader::JsonObjectReader(const nlohmann::json& object, std::string path)
    : object_(object), path_(std::move(path)) {
  if (!object_.is_object())
    throw Error((path_.empty() ? std::string() : path_ + ": ") + "expected an object, got " + type_name(object_));
}

bool JsonObjectReader::has(const std::string& key) const { return object_.contains(key); }

std::string JsonObjectReader::child_path(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

const nlohmann::json& JsonObjectReader::raw(const std::string& key) {
  known_.insert(key);
  if (!object_.contains(key)) throw Error(child_path(key) + ": missing");
  return object_.at(key);
}

double JsonObjectReader::number(const std::string& key, double fallback, double lo, double hi) {
  known_.insert(key);
  if (!object_.contains(key)) return fallback;
  const auto& v = object_.at(key);
  if (!v.is_number()) throw Error(child_path(key) + ": expected a number, got " + type_name(v));
  const double x = v.get<double>();
  if (!std::isfinite(x) || x < lo || x > hi) {
    std::ostringstream msg;
    msg << child_path(key) << ": " << x << " is out of range [" << lo << ", " << hi << "]";
    throw Error(msg.str());
  }
  return x;
}

std::int64_t JsonObjectReader::integer(const std::string& key, std::int64_t fallback,
                                       std::int64_t lo, std::int64_t hi) {
  known_.insert(key);
  if (!object_.contains(key)) return fallback;
  const auto& v = object_.at(key);
  if (!v.is_number_integer())
    throw Error(child_path(key) + ": expected an integer, got " + type_name(v));
  // Unsigned values past INT64_MAX would wrap: reject them as out of range.
  if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(hi))
    throw Error(child_path(key) + ": " + v.dump() + " is out of range [" + std::to_string(lo) +
                ", " + std::to_string(hi) + "]");
  const auto x = v.get<std::int64_t>();
  if (x < lo || x > hi)
    throw Error(child_path(key) + ": " + std::to_string(x) + " is out of range [" +
                std::to_string(lo) + ", " + std::to_string(hi) + "]");
  return x;
}

std::uint64_t JsonObjectReader::unsigned_integer(const std::string& key, std::uint64_t fallback,
                                                std::uint64_t hi) {
  known_.insert(key);
  if (!object_.contains(key)) return fallback;
  const auto& v = object_.at(key);
  const std::string range = " is out of range [0, " + std::to_string(hi) + "]";
  if (!v.is_number_integer()) throw Error(child_path(key) + ": expected an integer, got " + type_name(v));
  // A parsed non-negative number is unsigned; one built in code may be signed.
  if (!v.is_number_unsigned() && v.get<std::int64_t>() < 0) throw Error(child_path(key) + ": " + v.dump() + range);
  const auto x = v.is_number_unsigned() ? v.get<std::uint64_t>() : static_cast<std::uint64_t>(v.get<std::int64_t>());
  if (x > hi) throw Error(child_path(key) + ": " + std::to_string(x) + range);
  return x;
}

bool JsonObjectReader::boolean(const std::string& key, bool fallback) {
  known_.insert(key);
  if (!object_.contains(key)) return fallback;
  const auto& v = object_.at(key);
  if (!v.is_boolean()) throw Error(child_path(key) + ": expected true or false, got " + type_name(v));
  return v.get<bool>();
}

std::string JsonObjectReader::string(const std::string& key, const std::string& fallback) {
  known_.insert(key);
  if (!object_.contains(key)) return fallback;
  const auto& v = object_.at(key);
  if (!v.is_string()) throw Error(child_path(key) + ": expected a string, got " + type_name(v));
  return v.get<std::string>();
}

std::string JsonObjectReader::choice(const std::string& key, const std::string& fallback,
                                     const std::vector<std::string>& allowed) {
  const std::string value = string(key, fallback);
  for (const auto& a : allowed)
    if (a == value) return value;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  throw Error(child_path(key) + ": \"" + quoted_excerpt(value) + "\" is not one of " + list);
}

// Lists reuse the scalar checks element by element, naming each element by
// its index ("expert.ks[1]") in messages.
template <typename T, typename ReadOne>
std::vector<T> JsonObjectReader::list(const std::string& key, const std::vector<T>& fallback,
                                      ReadOne read_one) {
  known_.insert(key);
  if (!object_.contains(key)) return fallback;
  const auto& v = object_.at(key);
  if (!v.is_array()) throw Error(child_path(key) + ": expected an array, got " + type_name(v));
  std::vector<T> out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::string element = child_path(key) + "[" + std::to_string(i) + "]";
    const nlohmann::json wrapper = {{element, v[i]}};
    JsonObjectReader item(wrapper, "");
    out.push_back(read_one(item, element));
  }
  return out;
}

std::vector<double> JsonObjectReader::number_list(const std::string& key,
                                                  const std::vector<double>& fallback, double lo,
                                                  double hi) {
  return list<double>(key, fallback, [&](JsonObjectReader& item, const std::string& element) {
    return item.number(element, 0.0, lo, hi);
  });
}

std::vector<std::int64_t> JsonObjectReader::integer_list(const std::string& key,
                                                         const std::vector<std::int64_t>& fallback,
                                                         std::int64_t lo, std::int64_t hi) {
  return list<std::int64_t>(key, fallback, [&](JsonObjectReader& item, const std::string& element) {
    return item.integer(element, 0, lo, hi);
  });
}

void JsonObjectReader::finish() const {
  for (auto it = object_.begin(); it != object_.end(); ++it)
    if (!known_.count(it.key())) throw Error(child_path(quoted_excerpt(it.key())) + ": unknown key");
}

}  // namespace sglab::config
