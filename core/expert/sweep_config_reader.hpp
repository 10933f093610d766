#pragma once
// Reads a sweep's config.json object (sweep_config_json) back into a
// SweepConfig: the settings a shard file carries, so merge re-runs the
// summary with exactly the run's settings.

#include <nlohmann/json.hpp>

#include <string>

#include "core/expert/expert_config.hpp"

namespace sglab::expert {

/// Strict: every key of sweep_config_json, no other, each of its type; then
/// validate(). Throws sglab::Error naming `source` and the key.
SweepConfig sweep_config_from_json(const nlohmann::json& j, const std::string& source);

}  // namespace sglab::expert
