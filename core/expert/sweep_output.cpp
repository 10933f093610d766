#include "core/expert/sweep_output.hpp"

#include <filesystem>

#include <cmath>
#include <cstdio>
#include <sstream>

namespace sglab::expert {

namespace {

// 12 significant digits: enough to compare runs, stable across thread counts
// because the doubles themselves are.
std::string num(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.12g", x);
  return buf;
}

}  // namespace

std::string summary_csv(const SweepResult& result) {
  std::ostringstream out;
  out << "case,d,k,m,n,total_samples,trials,mse_bp,mse_sg,se_bp,se_sg,ratio_bp_over_sg,ratio_se,"
         "ratio_ci_low,ratio_ci_high,mse_mix,se_mix,lambda,theory_mse_bp,theory_mse_sg,"
         "theory_mse_mix,theory_ratio,theory_lambda_star,theory_crossover_n\n";
  for (const CellResult& c : result.cells) {
    out << to_string(c.noise_case) << ',' << c.d << ',' << c.k << ',' << c.m << ',' << c.n << ','
        << c.total_samples << ',' << c.trials << ',' << num(c.mse_bp) << ',' << num(c.mse_sg) << ','
        << num(c.se_bp) << ',' << num(c.se_sg) << ',' << num(c.ratio.ratio) << ','
        << num(c.ratio.se) << ',' << num(c.ratio.ci_low) << ',' << num(c.ratio.ci_high) << ','
        << num(c.mse_mix) << ',' << num(c.se_mix) << ',' << num(result.config.lambda);
    if (c.has_theory) {
      out << ',' << num(c.theory.mse_bp) << ',' << num(c.theory.mse_sg()) << ','
          << num(c.theory.mse_at(result.config.lambda)) << ',' << num(c.theory.ratio()) << ','
          << num(c.theory.lambda_star()) << ',' << num(c.theory_crossover_n);
    } else {
      out << ",,,,,,";
    }
    out << '\n';
  }
  return out.str();
}

nlohmann::json sweep_config_json(const SweepConfig& c) {
  nlohmann::json cases = nlohmann::json::array();
  for (NoiseCase nc : c.cases) cases.push_back(to_string(nc));
  return {
      {"command", "expert-sweep"},
      {"dims", c.dims},
      {"ks", c.ks},
      {"sample_sizes", c.sample_sizes},
      {"cases", cases},
      {"m", c.m},
      {"sigma", c.noise.sigma},
      {"p", c.noise.p},
      {"tau", c.noise.tau},
      {"trials", c.trials},
      {"seed", c.seed},
      {"fallback", to_string(c.fallback)},
      {"ratio_bootstrap", c.bootstrap_resamples},
      {"lambda", c.lambda},
      {"leak", c.leak},
      {"sampling", to_string(c.sampling)},
      {"samples", c.random_samples},
      {"threads", c.threads},
      {"max_memory_gb", c.max_memory_gb},
  };
}

std::vector<config::OutputFile> sweep_output_files(const std::string& outdir, const SweepResult& result,
                                                   const SweepConfig& config) {
  const std::string summary = summary_csv(result);
  nlohmann::json json = sweep_config_json(config);
  json["summary_csv_fnv1a64"] = config::content_checksum(summary);
  const std::filesystem::path dir(outdir);
  return {{(dir / "summary.csv").string(), summary}, {(dir / "config.json").string(), json.dump(2) + "\n"}};
}

}  // namespace sglab::expert
