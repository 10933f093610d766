#pragma once
// The scenario envelope: one versioned file format for every lab (DESIGN.md).
//
//   {"schema": "sglab-scenario", "version": 1, "lab": "<active lab>",
//    "name": "...", "description": "...",
//    "<body key>": {...}, ...          one optional body per lab (its whole science state)
//    "view": {"<lab>": {...}, ...}}    optional, per lab: what only the app shows (selection, n)
//
// This layer knows no lab: the labs come in as a table of LabBody entries (id,
// body key and the lab's strict codec; core/labs/lab_bodies.hpp holds sglab's
// table). Unknown keys, wrong types, out-of-range values and duplicate keys are
// errors naming the file and key; load → save → load gives the identical document.

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace sglab::config {

inline constexpr const char* kScenarioSchema = "sglab-scenario";
inline constexpr int kScenarioVersion = 1;

/// One lab's part of the format. `canonical` reads a body strictly (throwing
/// sglab::Error naming the key under `path`) and returns it in canonical form.
struct LabBody {
  std::string lab;       ///< the "lab" value that opens it ("expert", "dag", "dynamics", …)
  std::string body_key;  ///< its key in the file ("expert", "dag", "train", …)
  std::function<nlohmann::json(const nlohmann::json& body, const std::string& path)> canonical;
};

struct Scenario {
  std::string lab;  ///< the active lab
  std::string name;
  std::string description;
  std::map<std::string, nlohmann::json> bodies;  ///< body key → canonical body
  std::map<std::string, nlohmann::json> views;   ///< lab → view object (checked by the app)

  /// The body under `key`, or nullptr when the file has none.
  const nlohmann::json* body(const std::string& key) const;
  const nlohmann::json* view(const std::string& lab) const;
  bool operator==(const Scenario& other) const;
};

/// Strict reading of a parsed document; `source` (a file path) prefixes messages.
Scenario scenario_from_json(const nlohmann::json& doc, const std::vector<LabBody>& labs,
                            const std::string& source);
nlohmann::json scenario_to_json(const Scenario& scenario);
/// The document as a file's text (2-space indented, newline-terminated).
std::string scenario_to_text(const Scenario& scenario);

}  // namespace sglab::config
