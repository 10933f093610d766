#pragma once
// What differs between two JSON documents, in words a person reads at a glance:
// "k = 3 → 4", "layers[2].q = 0.5 → 0.7". Used to label a pinned result with
// how its settings differ from the current ones (ui/plot/pin_set.hpp); it knows
// no lab, only JSON.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace sglab::config {

/// One differing leaf: its path ("layers[2].q") and both values as short text
/// ("(none)" where one side lacks the key).
struct JsonChange {
  std::string key;
  std::string before, after;
};

/// The differing leaves of `before` and `after`, in key order. Objects are
/// compared key by key; arrays of equal length element by element; an array
/// whose length changed is one change ("3 items → 4 items", or both lists when short).
std::vector<JsonChange> json_changes(const nlohmann::json& before, const nlohmann::json& after);

/// "k = 3 → 4, n = 2 → 8, +2 more": at most `max_shown` changes written out;
/// "same settings" when there are none.
std::string describe_changes(const std::vector<JsonChange>& changes, std::size_t max_shown = 2);

}  // namespace sglab::config
