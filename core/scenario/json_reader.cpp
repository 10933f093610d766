#include "core/scenario/json_reader.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/util/error.hpp"

namespace sglab::scenario {

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

}  // namespace

nlohmann::json parse_json_text(const std::string& text, const std::string& what) {
  check_depth(text, what);
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw Error(what + ": malformed JSON (" + std::string(e.what()) + ")");
  }
}

nlohmann::json read_json_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open file");
  in.seekg(0, std::ios::end);
  const auto size = in.tellg();
  if (size < 0) throw Error(path + ": cannot read file");
  if (static_cast<std::size_t>(size) > kMaxScenarioBytes)
    throw Error(path + ": file larger than " + std::to_string(kMaxScenarioBytes >> 20) + " MiB");
  in.seekg(0);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return parse_json_text(buffer.str(), path);
}

void write_json_file(const std::string& path, const nlohmann::json& doc) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(path + ": cannot write file");
    out << doc.dump(2) << '\n';
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      throw Error(path + ": write failed");
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw Error(path + ": cannot replace file");
  }
}

JsonObjectReader::JsonObjectReader(const nlohmann::json& object, std::string path)
    : object_(object), path_(std::move(path)) {
  if (!object_.is_object())
    throw Error(path_ + ": expected an object, got " + type_name(object_));
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
  throw Error(child_path(key) + ": \"" + value + "\" is not one of " + list);
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
    if (!known_.count(it.key())) throw Error(child_path(it.key()) + ": unknown key");
}

}  // namespace sglab::scenario
