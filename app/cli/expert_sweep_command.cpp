// sglab-cli expert-sweep: the paper's Figure 2a sweep (THEORY.md §6).
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>

#include "app/cli/commands.hpp"
#include "app/cli/integer_flags.hpp"
#include "core/config/output_files.hpp"
#include "core/expert/expert_sweep.hpp"
#include "core/expert/sweep_shard.hpp"
#include "core/expert/expert_scenario.hpp"
#include "core/expert/sweep_output.hpp"
#include "core/labs/scenario_files.hpp"
#include "core/config/json_reader.hpp"
#include "core/util/error.hpp"

namespace sglab::cli {

namespace {

namespace fs = std::filesystem;

struct ExpertSweepOptions {
  std::vector<std::string> dims = {"4..12"};
  std::vector<std::string> ks = {"2", "3", "4"};
  std::vector<std::string> sample_sizes = {"1", "2", "3", "4"};
  std::vector<std::string> cases = {"noisy", "activation", "partial"};
  std::string fallback = "global_mean";
  std::string sampling = "every";
  std::string outdir = "out/expert-sweep";
  std::string shard;  // "I/N": compute only shard I of N (see run_shard)
  std::string scenario;  // the expert lab's cell of a scenario file, instead of the science flags
  expert::SweepConfig config;
};

// Entries of --dims/--ks/--sample-sizes: integers, each once (a repeated d
// would only repeat rows); their finer ranges are checked by expert::validate.
std::vector<int> parse_int_list(const std::vector<std::string>& tokens, const std::string& flag) {
  const auto values = parse_unique_integer_list(tokens, 0, std::numeric_limits<int>::max(), flag, true);
  return std::vector<int>(values.begin(), values.end());
}

// One shard of the sweep: writes OUTDIR/shard-I-of-N.json for `sglab-cli merge`.
int run_shard(const expert::SweepConfig& c, const shard::ShardSpec& spec, const fs::path& outdir) {
  std::printf("sglab expert-sweep: shard %d/%d of %zu dims x %zu ks x %zu cases x %zu n, %d trials, seed %llu\n",
              spec.index, spec.count, c.dims.size(), c.ks.size(), c.cases.size(), c.sample_sizes.size(),
              c.trials, static_cast<unsigned long long>(c.seed));
  std::fflush(stdout);
  const shard::ShardFile file = expert::run_sweep_shard(c, spec, [](const std::string& line) {
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
  });
  std::error_code ec;
  fs::create_directories(outdir, ec);
  if (ec) throw Error("--outdir: cannot create " + outdir.string() + " (" + ec.message() + ")");
  const fs::path path = outdir / shard::shard_file_name(spec);
  config::write_file(path.string(), shard::to_json(file).dump() + "\n", "--outdir");
  std::printf("wrote %s\n", path.c_str());
  return 0;
}

// The sweep from the flags, or from a scenario file's "expert" body (the lab's
// one cell, read by the one scenario reader; --threads and --max-memory-gb still apply).
void build_sweep_config(ExpertSweepOptions& o) {
  expert::SweepConfig& c = o.config;
  if (!o.scenario.empty()) {
    const config::Scenario scenario = labs::read_scenario(o.scenario);
    if (!scenario.body("expert"))
      throw Error(o.scenario + ": has no \"expert\" body (the expert lab's cell this command runs)");
    const expert::ExpertScenario cell = expert::expert_scenario_of(scenario);
    const int threads = c.threads;
    const double max_memory_gb = c.max_memory_gb;
    c = expert::sweep_config_of(cell);
    c.threads = threads;
    c.max_memory_gb = max_memory_gb;
    return;
  }
  c.dims = parse_int_list(o.dims, "--dims");
  c.ks = parse_int_list(o.ks, "--ks");
  c.sample_sizes = parse_int_list(o.sample_sizes, "--sample-sizes");
  c.cases.clear();
  for (const auto& name : o.cases) c.cases.push_back(expert::parse_noise_case(name, "--cases"));
  c.fallback = expert::parse_fallback(o.fallback, "--fallback");
  c.sampling = expert::parse_sampling(o.sampling, "--sampling");
}

int run_expert_sweep(ExpertSweepOptions& o) {
  build_sweep_config(o);
  expert::SweepConfig& c = o.config;
  expert::validate(c);
  const fs::path outdir(o.outdir);
  // Checked up front so a long run never ends in an I/O error; nothing is
  // created before the run has succeeded.
  config::check_folder_writable(o.outdir, "--outdir");

  if (!o.shard.empty()) return run_shard(c, shard::parse_shard_spec(o.shard, "--shard"), outdir);

  std::printf("sglab expert-sweep: %zu dims x %zu ks x %zu cases x %zu n, %d trials, seed %llu\n",
              c.dims.size(), c.ks.size(), c.cases.size(), c.sample_sizes.size(), c.trials,
              static_cast<unsigned long long>(c.seed));
  std::fflush(stdout);
  const expert::SweepResult result = expert::run_sweep(c, nullptr, [](const std::string& line) {
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
  });

  std::error_code ec;
  fs::create_directories(outdir, ec);
  if (ec) throw Error("--outdir: cannot create " + outdir.string() + " (" + ec.message() + ")");
  config::write_files(expert::sweep_output_files(o.outdir, result, c), "--outdir");
  std::printf("wrote %s and %s\n", (outdir / "summary.csv").c_str(), (outdir / "config.json").c_str());
  return 0;
}

}  // namespace

void add_expert_sweep_command(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<ExpertSweepOptions>();
  CLI::App* sub = app.add_subcommand(
      "expert-sweep",
      "Finite-partition expert network (THEORY.md §6): MSE of BP and SG and their ratio against "
      "2^(d-k), the paper's Figure 2a. Writes summary.csv and config.json to --outdir.");
  auto& o = *options;
  auto& c = o.config;
  sub->add_option("--dims", o.dims, "dimensions d: list and/or ranges like 4..12")->capture_default_str();
  sub->add_option("--ks", o.ks, "expert projection sizes k (1 <= k <= d)")->capture_default_str();
  sub->add_option("--m", c.m, "number of experts")->check(integer_in(1, expert::ExpertLimits::kMaxExperts))->capture_default_str();
  sub->add_option("--sample-sizes", o.sample_sizes, "repeats per state n")->capture_default_str();
  sub->add_option("--trials", c.trials, "Monte Carlo trials per cell")->check(integer_in(expert::ExpertLimits::kMinTrials, expert::ExpertLimits::kMaxTrials))->capture_default_str();
  sub->add_option("--sigma", c.noise.sigma, "case noisy: std of one repeat's feedback noise")
      ->capture_default_str();
  sub->add_option("--p", c.noise.p, "case activation: firing probability, in (0, 1]")
      ->capture_default_str();
  sub->add_option("--tau", c.noise.tau, "case partial: std of the unobserved input")
      ->capture_default_str();
  sub->add_option("--seed", c.seed, "seed of every random draw, 0 .. 2^64-1")->check(any_seed())->capture_default_str();
  sub->add_option("--fallback", o.fallback, "SG table entry for an unseen key: global_mean|zero")
      ->capture_default_str();
  sub->add_option("--ratio-bootstrap", c.bootstrap_resamples,
                  "paired bootstrap resamples for the ratio's SE and 95% CI")
      ->check(integer_in(0, expert::ExpertLimits::kMaxBootstrap))
      ->capture_default_str();
  sub->add_option("--cases", o.cases, "noise cases: noisy activation partial")->capture_default_str();
  sub->add_option("--outdir", o.outdir, "output folder for summary.csv and config.json")
      ->capture_default_str();
  sub->add_option("--threads", c.threads, "worker threads (0 = all cores); results do not depend on it")
      ->check(integer_in(0, 256))
      ->capture_default_str();
  sub->add_option("--lambda", c.lambda, "mixing weight of the extra mse_mix column, in [0, 1]")
      ->capture_default_str();
  sub->add_option("--leak", c.leak,
                  "beyond the paper: leak epsilon >= 0 breaks condition B (SG becomes biased)")
      ->capture_default_str();
  sub->add_option("--sampling", o.sampling,
                  "every: each state n times (paper); random: n*N states with replacement")
      ->capture_default_str();
  sub->add_option("--samples", c.random_samples, "N for --sampling random")
      ->check(integer_in(1, expert::ExpertLimits::kMaxRandomSamples))->capture_default_str();
  sub->add_option("--shard", o.shard,
                  "I/N: compute only shard I of N (1 <= I <= N) and write OUTDIR/shard-I-of-N.json; "
                  "`sglab-cli merge` joins the N files into the unsharded summary.csv, byte for byte");
  sub->add_option("--max-memory-gb", c.max_memory_gb, "refuse runs estimated to need more memory")
      ->capture_default_str();
  CLI::Option* scenario = sub->add_option(
      "--scenario", o.scenario,
      "run the expert lab's cell of a scenario file (its \"expert\" body: d, k, n, case and every knob) "
      "instead of the flags above");
  for (const char* science : {"--dims", "--ks", "--m", "--sample-sizes", "--trials", "--sigma", "--p", "--tau",
                              "--seed", "--fallback", "--ratio-bootstrap", "--cases", "--lambda", "--leak",
                              "--sampling", "--samples"})
    scenario->excludes(sub->get_option(science));
  sub->callback([options, &context] {
    if (!context.parse_only) context.exit_code = run_expert_sweep(*options);
  });
}

}  // namespace sglab::cli
