#include "core/config/scenario.hpp"

#include "core/config/json_reader.hpp"
#include "core/util/error.hpp"

namespace sglab::config {

const nlohmann::json* Scenario::body(const std::string& key) const {
  const auto it = bodies.find(key);
  return it == bodies.end() ? nullptr : &it->second;
}

const nlohmann::json* Scenario::view(const std::string& id) const {
  const auto it = views.find(id);
  return it == views.end() ? nullptr : &it->second;
}

bool Scenario::operator==(const Scenario& o) const {
  return lab == o.lab && name == o.name && description == o.description && bodies == o.bodies &&
         views == o.views;
}

namespace {

void read_envelope_header(JsonObjectReader& r) {
  if (!r.has("schema")) throw Error(std::string("schema: missing (expected \"") + kScenarioSchema + "\")");
  const std::string schema = r.string("schema", "");
  if (schema != kScenarioSchema)
    throw Error("schema: \"" + quoted_excerpt(schema) + "\" is not \"" + kScenarioSchema + "\"");
  if (!r.has("version")) throw Error("version: missing (expected 1)");
  const auto version = r.integer("version", kScenarioVersion, 1, 1000000);
  if (version != kScenarioVersion)
    throw Error("version: " + std::to_string(version) + " is not supported (this build reads version " +
                std::to_string(kScenarioVersion) + ")");
}

std::map<std::string, nlohmann::json> read_views(const nlohmann::json& views,
                                                 const std::vector<std::string>& lab_ids) {
  std::map<std::string, nlohmann::json> out;
  JsonObjectReader r(views, "view");
  for (const auto& id : lab_ids) {
    if (!r.has(id)) continue;
    const nlohmann::json& v = r.raw(id);
    if (!v.is_object()) throw Error("view." + id + ": expected an object, got " + v.type_name());
    out[id] = v;
  }
  r.finish();
  return out;
}

}  // namespace

Scenario scenario_from_json(const nlohmann::json& doc, const std::vector<LabBody>& labs,
                            const std::string& source) {
  try {
    JsonObjectReader r(doc, "");
    read_envelope_header(r);
    std::vector<std::string> lab_ids;
    for (const auto& l : labs) lab_ids.push_back(l.lab);
    Scenario s;
    s.lab = r.choice("lab", lab_ids.empty() ? "" : lab_ids.front(), lab_ids);
    s.name = r.string("name", "");
    s.description = r.string("description", "");
    for (const auto& l : labs)
      if (r.has(l.body_key)) s.bodies[l.body_key] = l.canonical(r.raw(l.body_key), l.body_key);
    if (r.has("view")) s.views = read_views(r.raw("view"), lab_ids);
    r.finish();
    return s;
  } catch (const Error& e) {
    throw Error(source + ": " + e.what());
  }
}

nlohmann::json scenario_to_json(const Scenario& s) {
  nlohmann::json j = nlohmann::json::object();
  j["schema"] = kScenarioSchema;
  j["version"] = kScenarioVersion;
  j["lab"] = s.lab;
  j["name"] = s.name;
  j["description"] = s.description;
  for (const auto& [key, body] : s.bodies) j[key] = body;
  if (!s.views.empty()) {
    nlohmann::json views = nlohmann::json::object();
    for (const auto& [id, v] : s.views) views[id] = v;
    j["view"] = std::move(views);
  }
  return j;
}

std::string scenario_to_text(const Scenario& s) { return scenario_to_json(s).dump(2) + "\n"; }

}  // namespace sglab::config
