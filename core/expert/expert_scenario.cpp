#include "core/expert/expert_scenario.hpp"

#include "core/config/json_reader.hpp"
#include "core/util/error.hpp"

namespace sglab::expert {

using L = ExpertLimits;

bool ExpertScenario::operator==(const ExpertScenario& o) const {
  return noise_case == o.noise_case && d == o.d && k == o.k && m == o.m && n == o.n &&
         noise.sigma == o.noise.sigma && noise.p == o.noise.p && noise.tau == o.noise.tau &&
         trials == o.trials && seed == o.seed && sampling == o.sampling &&
         random_samples == o.random_samples && fallback == o.fallback && lambda == o.lambda &&
         leak == o.leak && bootstrap_resamples == o.bootstrap_resamples;
}

namespace {

void check_int(const std::string& key, std::int64_t v, std::int64_t lo, std::int64_t hi) {
  if (v < lo || v > hi)
    throw Error(key + ": " + std::to_string(v) + " is out of range [" + std::to_string(lo) + ", " +
                std::to_string(hi) + "]");
}

void check_real(const std::string& key, double v, double lo, double hi) {
  if (!(v >= lo && v <= hi)) {
    nlohmann::json a = v, b = lo, c = hi;  // shortest round-trip formatting
    throw Error(key + ": " + a.dump() + " is out of range [" + b.dump() + ", " + c.dump() + "]");
  }
}

}  // namespace

void validate(const ExpertScenario& s, const std::string& path) {
  const auto key = [&](const char* k) { return path + "." + k; };
  check_int(key("d"), s.d, L::kMinDimInteractive, L::kMaxDimInteractive);
  if (s.k < 1 || s.k > s.d)
    throw Error(key("k") + ": " + std::to_string(s.k) + " is out of range [1, d = " +
                std::to_string(s.d) + "] (an expert sees at most all d coordinates)");
  if (s.leak > 0.0 && s.k >= s.d)
    throw Error(key("leak") + ": a leak reads a coordinate the expert does not see, so it needs k < d (k = d = " +
                std::to_string(s.d) + ")");
  check_int(key("m"), s.m, 1, L::kMaxExpertsInteractive);
  check_int(key("n"), s.n, 1, L::kMaxRepeatsInteractive);
  check_real(key("sigma"), s.noise.sigma, 0.0, L::kMaxNoise);
  check_real(key("p"), s.noise.p, L::kMinP, 1.0);
  check_real(key("tau"), s.noise.tau, 0.0, L::kMaxNoise);
  check_int(key("trials"), s.trials, L::kMinTrials, L::kMaxTrialsInteractive);
  check_int(key("random_samples"), s.random_samples, 1, L::kMaxRandomSamplesInteractive);
  check_real(key("lambda"), s.lambda, 0.0, 1.0);
  check_real(key("leak"), s.leak, 0.0, L::kMaxLeak);
  check_int(key("bootstrap_resamples"), s.bootstrap_resamples, 0, L::kMaxBootstrapInteractive);
}

ExpertScenario expert_scenario_from_json(const nlohmann::json& body, const std::string& path) {
  config::JsonObjectReader r(body, path);
  ExpertScenario s;
  s.noise_case = expert::parse_noise_case(
      r.choice("case", expert::to_string(s.noise_case), {"noisy", "activation", "partial"}),
      path + ".case");
  s.d = static_cast<int>(r.integer("d", s.d, L::kMinDimInteractive, L::kMaxDimInteractive));
  s.k = static_cast<int>(r.integer("k", s.k, 1, L::kMaxDimInteractive));
  s.m = static_cast<int>(r.integer("m", s.m, 1, L::kMaxExpertsInteractive));
  s.n = static_cast<int>(r.integer("n", s.n, 1, L::kMaxRepeatsInteractive));
  s.noise.sigma = r.number("sigma", s.noise.sigma, 0.0, L::kMaxNoise);
  s.noise.p = r.number("p", s.noise.p, L::kMinP, 1.0);
  s.noise.tau = r.number("tau", s.noise.tau, 0.0, L::kMaxNoise);
  s.trials = static_cast<int>(r.integer("trials", s.trials, L::kMinTrials, L::kMaxTrialsInteractive));
  s.seed = r.unsigned_integer("seed", s.seed, L::kMaxSeed);
  s.sampling = expert::parse_sampling(
      r.choice("sampling", expert::to_string(s.sampling), {"every", "random"}), path + ".sampling");
  s.random_samples = r.integer("random_samples", s.random_samples, 1, L::kMaxRandomSamplesInteractive);
  s.fallback = expert::parse_fallback(
      r.choice("fallback", expert::to_string(s.fallback), {"global_mean", "zero"}),
      path + ".fallback");
  s.lambda = r.number("lambda", s.lambda, 0.0, 1.0);
  s.leak = r.number("leak", s.leak, 0.0, L::kMaxLeak);
  s.bootstrap_resamples = static_cast<int>(
      r.integer("bootstrap_resamples", s.bootstrap_resamples, 0, L::kMaxBootstrapInteractive));
  r.finish();
  validate(s, path);  // cross-field rules (k ≤ d)
  return s;
}

nlohmann::json expert_scenario_to_json(const ExpertScenario& s) {
  nlohmann::json j = nlohmann::json::object();
  j["case"] = expert::to_string(s.noise_case);
  j["d"] = s.d;
  j["k"] = s.k;
  j["m"] = s.m;
  j["n"] = s.n;
  j["sigma"] = s.noise.sigma;
  j["p"] = s.noise.p;
  j["tau"] = s.noise.tau;
  j["trials"] = s.trials;
  j["seed"] = s.seed;
  j["sampling"] = expert::to_string(s.sampling);
  j["random_samples"] = s.random_samples;
  j["fallback"] = expert::to_string(s.fallback);
  j["lambda"] = s.lambda;
  j["leak"] = s.leak;
  j["bootstrap_resamples"] = s.bootstrap_resamples;
  return j;
}


SweepConfig sweep_config_of(const ExpertScenario& s) {
  SweepConfig c;
  c.dims = {s.d};
  c.ks = {s.k};
  c.sample_sizes = {s.n};
  c.cases = {s.noise_case};
  c.m = s.m;
  c.noise = s.noise;
  c.trials = s.trials;
  c.seed = s.seed;
  c.fallback = s.fallback;
  c.bootstrap_resamples = s.bootstrap_resamples;
  c.lambda = s.lambda;
  c.leak = s.leak;
  c.sampling = s.sampling;
  c.random_samples = s.random_samples;
  return c;
}

ExpertScenario expert_scenario_of(const config::Scenario& scenario) {
  const nlohmann::json* body = scenario.body("expert");
  return body ? expert_scenario_from_json(*body, "expert") : ExpertScenario{};
}

}  // namespace sglab::expert
