#include "ui/undo_history.hpp"


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

}  // namespace sglab::ui
