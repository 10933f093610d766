#include "core/config/json_diff.hpp"

#include <algorithm>
#include <cmath>

namespace sglab::config {

namespace {

constexpr std::size_t kShortList = 4;        // lists up to this many scalars are written out whole
constexpr std::size_t kMaxValueChars = 24;   // longer values are cut with "…"

std::string cut(std::string text) {
  if (text.size() <= kMaxValueChars) return text;
  std::size_t end = kMaxValueChars;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;  // whole UTF-8 characters
  return text.substr(0, end) + "…";
}

bool scalar_list(const nlohmann::json& v) {
  if (!v.is_array() || v.size() > kShortList) return false;
  for (const auto& e : v)
    if (e.is_structured()) return false;
  return true;
}

std::string value_text(const nlohmann::json& v) {
  if (v.is_string()) return cut(v.get<std::string>());
  // A whole number stored as a double reads as one: "n = 4 → 16", not "4.0 → 16.0".
  if (v.is_number_float() && std::abs(v.get<double>()) < 1e15 && v.get<double>() == std::floor(v.get<double>()))
    return std::to_string(static_cast<long long>(v.get<double>()));
  if (v.is_object()) return "{…}";
  if (v.is_array() && !scalar_list(v)) return std::to_string(v.size()) + (v.size() == 1 ? " item" : " items");
  return cut(v.dump());
}

std::string join(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }

void diff(const nlohmann::json& a, const nlohmann::json& b, const std::string& path, std::vector<JsonChange>& out) {
  if (a == b) return;
  if (a.is_object() && b.is_object()) {
    // nlohmann's default json keeps keys sorted: one merge walk visits each key once.
    auto ia = a.begin();
    auto ib = b.begin();
    while (ia != a.end() || ib != b.end()) {
      if (ib == b.end() || (ia != a.end() && ia.key() < ib.key())) {
        out.push_back({join(path, ia.key()), value_text(*ia), "(none)"});
        ++ia;
      } else if (ia == a.end() || ib.key() < ia.key()) {
        out.push_back({join(path, ib.key()), "(none)", value_text(*ib)});
        ++ib;
      } else {
        diff(*ia, *ib, join(path, ia.key()), out);
        ++ia;
        ++ib;
      }
    }
    return;
  }
  if (a.is_array() && b.is_array() && a.size() == b.size()) {
    for (std::size_t i = 0; i < a.size(); ++i) diff(a[i], b[i], path + "[" + std::to_string(i) + "]", out);
    return;
  }
  out.push_back({path.empty() ? "value" : path, value_text(a), value_text(b)});
}

}  // namespace

std::vector<JsonChange> json_changes(const nlohmann::json& before, const nlohmann::json& after) {
  std::vector<JsonChange> out;
  diff(before, after, "", out);
  return out;
}

std::string describe_changes(const std::vector<JsonChange>& changes, std::size_t max_shown) {
  if (changes.empty()) return "same settings";
  std::string text;
  const std::size_t shown = std::min(changes.size(), std::max<std::size_t>(max_shown, 1));
  for (std::size_t i = 0; i < shown; ++i) {
    if (i > 0) text += ", ";
    text += changes[i].key + " = " + changes[i].before + " → " + changes[i].after;
  }
  if (changes.size() > shown) text += ", +" + std::to_string(changes.size() - shown) + " more";
  return text;
}

}  // namespace sglab::config
