#pragma once
// Undo / redo of a lab's edits (issue 11, "Keys and undo"): a bounded list of
// the lab's stored states and a cursor into it. The shell records a state when
// an edit ends (a slider released, a combo item picked: one drag is one step)
// and restores one with Lab::load. Pure data: no ImGui, unit-tested on its own.

#include <cstddef>
#include <deque>
#include <string>

#include <nlohmann/json.hpp>

namespace sglab::ui {

class UndoHistory {
 public:
  /// One recorded state: what an undo compares and restores (`state`), and the
  /// lab's view at that time (`view`: only used when the view of the moment
  /// does not fit the restored state, e.g. a selected node that no longer exists).
  struct Entry {
    nlohmann::json state;
    nlohmann::json view;
  };

  explicit UndoHistory(std::size_t depth = 100) : depth_(depth < 1 ? 1 : depth) {}

  /// Records `state` when it differs from the entry under the cursor: drops the
  /// redo tail, appends, forgets the oldest entry beyond `depth`. The first call
  /// sets the starting point. Returns true when an entry was added.
  bool record(const nlohmann::json& state, const nlohmann::json& view);
  /// Moves the cursor back; returns the entry to restore, or nullptr at the start.
  const Entry* undo();
  /// Moves the cursor forward; returns the entry to restore, or nullptr at the end.
  const Entry* redo();
  bool can_undo() const { return cursor_ > 0; }
  bool can_redo() const { return cursor_ + 1 < entries_.size(); }
  /// Entries held (the starting point included).
  std::size_t size() const { return entries_.size(); }
  const Entry* current() const { return entries_.empty() ? nullptr : &entries_[cursor_]; }

 private:
  std::size_t depth_;
  std::deque<Entry> entries_;
  std::size_t cursor_ = 0;
};

}  // namespace sglab::ui
