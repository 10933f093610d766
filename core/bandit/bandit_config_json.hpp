#pragma once
// Strict JSON codec of BanditConfig: the "bandit" body of a scenario file
// ({"schema":"sglab-scenario","version":1,"lab":"bandit","name":..,"bandit":{...}}).
// Unknown keys, wrong types and out-of-range values are rejected with a
// message naming the key by its full path; missing keys take the defaults.

#include <nlohmann/json.hpp>

#include <string>

#include "core/bandit/bandit_config.hpp"

namespace sglab::bandit {

BanditConfig bandit_config_from_json(const nlohmann::json& body, const std::string& path = "bandit");
nlohmann::json bandit_config_to_json(const BanditConfig& config);

}  // namespace sglab::bandit
