#include "core/shard/shard_file.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

#include "core/util/error.hpp"

namespace sglab::shard {

namespace {

constexpr const char* kFormat = "sglab-shard";
constexpr int kVersion = 1;

int parse_positive(const std::string& text, const std::string& flag, const std::string& whole) {
  if (text.empty() || text.size() > 6 || text.find_first_not_of("0123456789") != std::string::npos)
    throw Error(flag + ": \"" + whole + "\" is not I/N with 1 <= I <= N <= " + std::to_string(kMaxShards));
  return std::stoi(text);
}

std::string label(const ShardSpec& s) { return std::to_string(s.index) + "/" + std::to_string(s.count); }

nlohmann::json without(nlohmann::json settings, const std::vector<std::string>& keys) {
  for (const std::string& key : keys) settings.erase(key);
  return settings;
}

// The first key on which two settings objects differ (for the refusal message).
std::string first_difference(const nlohmann::json& a, const nlohmann::json& b) {
  for (auto it = a.begin(); it != a.end(); ++it)
    if (!b.contains(it.key()) || b.at(it.key()) != it.value()) return it.key();
  for (auto it = b.begin(); it != b.end(); ++it)
    if (!a.contains(it.key())) return it.key();
  return "?";
}

}  // namespace

ShardSpec parse_shard_spec(const std::string& text, const std::string& flag) {
  const auto slash = text.find('/');
  if (slash == std::string::npos)
    throw Error(flag + ": \"" + text + "\" is not I/N with 1 <= I <= N <= " + std::to_string(kMaxShards));
  ShardSpec spec;
  spec.index = parse_positive(text.substr(0, slash), flag, text);
  spec.count = parse_positive(text.substr(slash + 1), flag, text);
  if (spec.count < 1 || spec.count > kMaxShards || spec.index < 1 || spec.index > spec.count)
    throw Error(flag + ": \"" + text + "\" is not I/N with 1 <= I <= N <= " + std::to_string(kMaxShards));
  return spec;
}

std::string shard_file_name(const ShardSpec& spec) {
  return "shard-" + std::to_string(spec.index) + "-of-" + std::to_string(spec.count) + ".json";
}

nlohmann::json to_json(const ShardFile& file) {
  return {{"format", kFormat},
          {"version", kVersion},
          {"kind", file.kind},
          {"shard", {{"index", file.spec.index}, {"count", file.spec.count}}},
          {"settings", file.settings},
          {"payload", file.payload}};
}

ShardFile shard_from_json(const nlohmann::json& j, const std::string& source) {
  const auto fail = [&](const std::string& why) { return Error(source + ": not a shard file: " + why); };
  if (!j.is_object() || j.value("format", "") != kFormat) throw fail("\"format\" is not \"sglab-shard\"");
  if (!j.contains("version") || j.at("version") != kVersion)
    throw fail("\"version\" must be " + std::to_string(kVersion));
  for (const char* key : {"kind", "shard", "settings", "payload"})
    if (!j.contains(key)) throw fail(std::string("missing \"") + key + "\"");
  ShardFile file;
  file.source = source;
  try {
    file.kind = j.at("kind").get<std::string>();
    file.spec.index = j.at("shard").at("index").get<int>();
    file.spec.count = j.at("shard").at("count").get<int>();
  } catch (const nlohmann::json::exception& e) {
    throw fail(e.what());
  }
  if (file.spec.count < 1 || file.spec.count > kMaxShards || file.spec.index < 1 ||
      file.spec.index > file.spec.count)
    throw fail("\"shard\" " + label(file.spec) + " is not I/N with 1 <= I <= N");
  file.settings = j.at("settings");
  file.payload = j.at("payload");
  if (!file.settings.is_object() || !file.payload.is_object())
    throw fail("\"settings\" and \"payload\" must be objects");
  return file;
}

ShardFile read_shard_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open shard file");
  std::ostringstream text;
  text << in.rdbuf();
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::parse_error& e) {
    throw Error(path + ": malformed JSON (" + std::string(e.what()) + ")");
  }
  return shard_from_json(j, path);
}

std::vector<ShardFile> check_complete_set(std::vector<ShardFile> files,
                                          const std::vector<std::string>& neutral_keys) {
  if (files.empty()) throw Error("merge: no shard files given");
  const ShardFile& first = files.front();
  const nlohmann::json reference = without(first.settings, neutral_keys);
  std::map<int, const ShardFile*> by_index;
  for (const ShardFile& f : files) {
    if (f.kind != first.kind)
      throw Error("merge: " + f.source + " is a \"" + f.kind + "\" shard but " + first.source +
                  " is a \"" + first.kind + "\" shard");
    if (f.spec.count != first.spec.count)
      throw Error("merge: " + f.source + " is shard " + label(f.spec) + " but " + first.source +
                  " is shard " + label(first.spec) + " (different shard counts)");
    const nlohmann::json settings = without(f.settings, neutral_keys);
    if (settings != reference)
      throw Error("merge: " + f.source + " and " + first.source + " come from different settings (\"" +
                  first_difference(reference, settings) + "\" differs)");
    const auto [it, inserted] = by_index.emplace(f.spec.index, &f);
    if (!inserted)
      throw Error("merge: shard " + label(f.spec) + " given twice: " + it->second->source + " and " +
                  f.source);
  }
  for (int i = 1; i <= first.spec.count; ++i)
    if (by_index.count(i) == 0)
      throw Error("merge: missing shard " + std::to_string(i) + "/" + std::to_string(first.spec.count) +
                  " (expected file " + shard_file_name({i, first.spec.count}) + ")");
  std::stable_sort(files.begin(), files.end(),
                   [](const ShardFile& a, const ShardFile& b) { return a.spec.index < b.spec.index; });
  return files;
}

nlohmann::json exact_number(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  return x;
}

double exact_number_from_json(const nlohmann::json& j, const std::string& what) {
  if (j.is_number()) return j.get<double>();
  if (j.is_string()) {
    const std::string s = j.get<std::string>();
    if (s == "inf") return std::numeric_limits<double>::infinity();
    if (s == "-inf") return -std::numeric_limits<double>::infinity();
    if (s == "nan") return std::numeric_limits<double>::quiet_NaN();
  }
  throw Error(what + ": expected a number, \"inf\", \"-inf\" or \"nan\"");
}

std::pair<std::size_t, std::size_t> weighted_part(const std::vector<double>& weights,
                                                  const ShardSpec& spec) {
  double total = 0.0;
  for (double w : weights) total += w;
  // Item i goes to part floor(before_i · N / total): monotone in i, so parts
  // are contiguous; near-equal weight when no single item dominates.
  std::size_t begin = weights.size(), end = weights.size();
  double before = 0.0;
  bool found = false;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const int part = total > 0.0 ? std::min(spec.count - 1, static_cast<int>(before * spec.count / total))
                                 : static_cast<int>(i * static_cast<std::size_t>(spec.count) / weights.size());
    if (part == spec.index - 1 && !found) {
      begin = i;
      found = true;
    }
    if (part > spec.index - 1) {
      end = i;
      break;
    }
    before += weights[i];
  }
  if (!found) begin = end;
  return {begin, end};
}

}  // namespace sglab::shard
