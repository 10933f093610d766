#include "ui/undo_history.hpp"

#include <cctype>
#include <map>
#include <vector>

namespace sglab::ui {

bool UndoHistory::record(const nlohmann::json& state, const nlohmann::json& view) {
  if (!entries_.empty() && entries_[cursor_].state == state) return false;
  if (!entries_.empty()) entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(cursor_) + 1, entries_.end());
  entries_.push_back({state, view});
  while (entries_.size() > depth_) entries_.pop_front();
  cursor_ = entries_.size() - 1;
  return true;
}

const UndoHistory::Entry* UndoHistory::undo() {
  if (!can_undo()) return nullptr;
  return &entries_[--cursor_];
}

const UndoHistory::Entry* UndoHistory::redo() {
  if (!can_redo()) return nullptr;
  return &entries_[++cursor_];
}

namespace {

// "/bodies/dag/layers/1/width" with skip_levels 2 → "layers[1].width".
std::string readable_path(const std::string& pointer, int skip_levels) {
  std::vector<std::string> parts;
  std::string part;
  for (std::size_t i = 1; i <= pointer.size(); ++i) {
    if (i == pointer.size() || pointer[i] == '/') {
      parts.push_back(part);
      part.clear();
    } else {
      part += pointer[i];
    }
  }
  std::string out;
  for (std::size_t i = static_cast<std::size_t>(skip_levels); i < parts.size(); ++i) {
    std::string p = parts[i];
    for (std::size_t pos; (pos = p.find("~1")) != std::string::npos;) p.replace(pos, 2, "/");
    for (std::size_t pos; (pos = p.find("~0")) != std::string::npos;) p.replace(pos, 2, "~");
    const bool index = !p.empty() && std::isdigit(static_cast<unsigned char>(p[0])) != 0;
    if (index) out += "[" + p + "]";
    else out += (out.empty() ? "" : ".") + p;
  }
  return out.empty() ? "the state" : out;
}

std::string short_value(const nlohmann::json& v) {
  std::string s = v.is_string() ? v.get<std::string>() : v.dump();
  if (s.size() > 24) s = s.substr(0, 21) + "…";
  return s;
}

}  // namespace

std::string describe_change(const nlohmann::json& from, const nlohmann::json& to, int skip_levels) {
  const nlohmann::json patch = nlohmann::json::diff(from, to);
  if (patch.empty()) return "no change";
  std::string out;
  constexpr std::size_t kListed = 2;
  std::map<std::string, std::size_t> appended;  // array → items the patch appended so far
  for (std::size_t i = 0; i < patch.size() && i < kListed; ++i) {
    const nlohmann::json& op = patch[i];
    std::string pointer = op.at("path").get<std::string>();
    if (pointer.size() >= 2 && pointer.compare(pointer.size() - 2, 2, "/-") == 0) {
      // An item appended to an array ("/layers/-"): name it by the index it gets.
      const std::string parent = pointer.substr(0, pointer.size() - 2);
      const nlohmann::json::json_pointer at(parent);
      const std::size_t base = from.contains(at) && from.at(at).is_array() ? from.at(at).size() : 0;
      pointer = parent + "/" + std::to_string(base + appended[parent]++);
    }
    const std::string path = readable_path(pointer, skip_levels);
    const std::string kind = op.at("op").get<std::string>();
    if (i > 0) out += ", ";
    if (kind == "replace") {
      const nlohmann::json::json_pointer at(pointer);
      const std::string before = from.contains(at) ? short_value(from.at(at)) : "?";
      out += path + " = " + before + " → " + short_value(op.at("value"));
    } else if (kind == "add") {
      out += path + " added";
    } else {
      out += path + " removed";
    }
  }
  if (patch.size() > kListed) out += " and " + std::to_string(patch.size() - kListed) + " more";
  return out;
}

}  // namespace sglab::ui
