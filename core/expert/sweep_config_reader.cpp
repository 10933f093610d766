#include "core/expert/sweep_config_reader.hpp"

#include <set>

#include "core/util/error.hpp"

namespace sglab::expert {

namespace {

template <typename T>
T get_key(const nlohmann::json& j, const char* key, const std::string& source) {
  if (!j.contains(key)) throw Error(source + ": settings miss \"" + std::string(key) + "\"");
  try {
    return j.at(key).get<T>();
  } catch (const nlohmann::json::exception&) {
    throw Error(source + ": settings \"" + std::string(key) + "\" has the wrong type");
  }
}

}  // namespace

SweepConfig sweep_config_from_json(const nlohmann::json& j, const std::string& source) {
  if (!j.is_object()) throw Error(source + ": settings must be an object");
  static const std::set<std::string> known = {
      "command", "dims",   "ks",       "sample_sizes",    "cases",  "m",    "sigma",
      "p",       "tau",    "trials",   "seed",            "fallback", "ratio_bootstrap", "lambda",
      "leak",    "sampling", "samples", "threads",        "max_memory_gb"};
  for (auto it = j.begin(); it != j.end(); ++it)
    if (known.count(it.key()) == 0) throw Error(source + ": unknown settings key \"" + it.key() + "\"");
  if (get_key<std::string>(j, "command", source) != "expert-sweep")
    throw Error(source + ": settings \"command\" is not \"expert-sweep\"");
  SweepConfig c;
  c.dims = get_key<std::vector<int>>(j, "dims", source);
  c.ks = get_key<std::vector<int>>(j, "ks", source);
  c.sample_sizes = get_key<std::vector<int>>(j, "sample_sizes", source);
  c.cases.clear();
  for (const std::string& name : get_key<std::vector<std::string>>(j, "cases", source))
    c.cases.push_back(parse_noise_case(name, source + ": settings \"cases\""));
  c.m = get_key<int>(j, "m", source);
  c.noise.sigma = get_key<double>(j, "sigma", source);
  c.noise.p = get_key<double>(j, "p", source);
  c.noise.tau = get_key<double>(j, "tau", source);
  c.trials = get_key<int>(j, "trials", source);
  c.seed = get_key<std::uint64_t>(j, "seed", source);
  c.fallback = parse_fallback(get_key<std::string>(j, "fallback", source), source + ": settings \"fallback\"");
  c.bootstrap_resamples = get_key<int>(j, "ratio_bootstrap", source);
  c.lambda = get_key<double>(j, "lambda", source);
  c.leak = get_key<double>(j, "leak", source);
  c.sampling = parse_sampling(get_key<std::string>(j, "sampling", source), source + ": settings \"sampling\"");
  c.random_samples = get_key<std::int64_t>(j, "samples", source);
  c.threads = get_key<int>(j, "threads", source);
  c.max_memory_gb = get_key<double>(j, "max_memory_gb", source);
  validate(c);
  return c;
}

}  // namespace sglab::expert
