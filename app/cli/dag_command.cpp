// sglab-cli dag: exact (or sampled) per-node analysis of a DAG scenario
// (THEORY.md §7, issue 4). Prints the per-node table, or writes it as CSV/JSON.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/cli/commands.hpp"
#include "app/cli/integer_flags.hpp"
#include "core/config/output_files.hpp"
#include "core/labs/scenario_files.hpp"
#include "core/dag/dag_conditions.hpp"
#include "core/dag/dag_exact_analysis.hpp"
#include "core/dag/dag_exact_report.hpp"
#include "core/dag/dag_network.hpp"
#include "core/dag/dag_sample_mode.hpp"
#include "core/dag/dag_sample_report.hpp"
#include "core/dag/dag_spec_json.hpp"
#include "core/util/error.hpp"

namespace sglab::cli {

namespace {

struct DagOptions {
  std::string scenario;
  std::string n_list = "1,4,16,64";
  std::string mode = "exact";
  bool json = false;
  bool csv = false;
  std::string out;
  std::string write_scenario;
  int threads = 0;
  long long samples = -1;  // sample mode: samples per trial (default: the largest n)
  int trials = 200;
};

// Sample sizes are counts: integers in [1, 1e15], each listed once.
std::vector<double> parse_n_list(const std::string& text) {
  constexpr std::int64_t kMaxN = 1000000000000000;
  const auto values = parse_unique_integer_list({text}, 1, kMaxN, "--n", false);
  return std::vector<double>(values.begin(), values.end());
}

// Writes everything at once: no partial output on error.
void emit(const std::string& text, const std::string& out) {
  if (out.empty()) {
    std::cout << text;
    std::cout.flush();
    return;
  }
  config::write_file(out, text, "--out");
}

void run_dag(const DagOptions& options, CommandContext& context) {
  if (options.json && options.csv) throw Error("--json and --csv: choose one output format");
  if (!options.out.empty()) config::check_file_writable(options.out, "--out");
  if (!options.write_scenario.empty()) config::check_file_writable(options.write_scenario, "--write-scenario");
  const std::vector<double> ns = parse_n_list(options.n_list);
  const config::Scenario scenario = labs::read_scenario(options.scenario);
  const dag::DagNetwork net = dag::build_dag_network(dag::dag_spec_of(scenario, options.scenario));
  std::string text;
  if (options.mode == "exact") {
    dag::DagExactOptions exact;
    exact.threads = options.threads;
    const auto analysis = dag::analyze_dag_exact(net, exact);
    const auto conditions = dag::assess_dag_conditions(net, analysis, ns);
    const dag::DagExactReport report{&analysis, &conditions, ns};
    if (options.json) text = dag::dag_exact_report_json(report).dump(2) + "\n";
    else if (options.csv) text = dag::dag_exact_report_csv(report);
    else text = dag::dag_exact_report_text(report);
  } else {
    dag::DagSampleOptions sample;
    sample.threads = options.threads;
    sample.trials = options.trials;
    double largest = 1.0;
    for (double n : ns) largest = std::max(largest, n);
    sample.samples_per_trial = options.samples > 0 ? static_cast<std::uint64_t>(options.samples)
                                                   : static_cast<std::uint64_t>(largest);
    const auto result = dag::run_dag_sample_mode(net, sample);
    if (options.json) text = dag::dag_sample_report_json(result).dump(2) + "\n";
    else if (options.csv) text = dag::dag_sample_report_csv(result);
    else text = dag::dag_sample_report_text(result);
  }
  emit(text, options.out);
  // After success only: a refused analysis leaves no scenario file behind.
  if (!options.write_scenario.empty()) labs::write_scenario(options.write_scenario, scenario);
  context.exit_code = 0;
}

}  // namespace

void add_dag_command(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<DagOptions>();
  CLI::App* cmd = app.add_subcommand(
      "dag", "Per-node variance decomposition of a small DAG: BP vs synthetic gradients (THEORY.md §7)");
  cmd->add_option("--scenario", options->scenario, "scenario file (JSON) with a \"dag\" body")->required();
  cmd->add_option("--n", options->n_list, "sample sizes for MSE(n) and lambda*(n), comma-separated")
      ->capture_default_str();
  cmd->add_option("--mode", options->mode, "exact (enumerate every outcome) or sample (Monte Carlo trials)")
      ->check(CLI::IsMember({"exact", "sample"}))
      ->capture_default_str();
  cmd->add_flag("--json", options->json, "write JSON");
  cmd->add_flag("--csv", options->csv, "write CSV (one row per node and n)");
  cmd->add_option("--out", options->out, "write to FILE instead of standard output");
  cmd->add_option("--write-scenario", options->write_scenario,
                  "also save the resolved scenario (every weight explicit) to FILE");
  cmd->add_option("--threads", options->threads, "worker threads (0 = all cores)")
      ->check(integer_in(0, 1024))
      ->capture_default_str();
  cmd->add_option("--samples", options->samples, "sample mode: samples per trial (default: the largest --n)")
      ->check(integer_in(1, dag::DagLimits::kMaxSamplesPerTrial));
  cmd->add_option("--trials", options->trials, "sample mode: number of trials")
      ->check(integer_in(dag::DagLimits::kMinTrials, dag::DagLimits::kMaxTrials))
      ->capture_default_str();
  cmd->callback([options, &context] {
    if (!context.parse_only) run_dag(*options, context);
  });
}

}  // namespace sglab::cli
