// sglab-cli bandit: the contextual-bandit lab in batch (issue 9, THEORY.md §8).
// One run or a sweep (p_flip × num_parents × policy_lr × methods × seeds) on
// the 8×8 digits or synthetic contexts; writes evals.csv (one row per run and
// evaluation point), summary.csv (mean ± SE over seeds) and config.json (a
// scenario file that reproduces the experiment).
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>

#include "app/cli/commands.hpp"
#include "core/config/output_files.hpp"
#include "core/labs/scenario_files.hpp"
#include "core/bandit/bandit_config_json.hpp"
#include "core/bandit/bandit_csv.hpp"
#include "core/bandit/bandit_session.hpp"
#include "core/bandit/bandit_shard.hpp"
#include "core/shard/shard_file.hpp"
#include "core/util/error.hpp"

namespace sglab::cli {

namespace {

using bandit::BanditLimits;
using L = BanditLimits;

struct BanditOptions {
  std::string scenario, outdir = "out/bandit", data, digits;
  std::vector<double> p_flip, policy_lr;
  std::vector<int> num_parents;
  std::vector<std::string> methods;
  std::optional<int> seeds, n_dim, layers, width, slots, mlp_width, batch, eval_points, eval_contexts;
  std::optional<long long> steps, first_seed;
  std::optional<double> lambda, initial_lambda, momentum, predictor_lr, predictor_init_scale, lr_sg, lr_bp, lr_mlp;
  bool paper_scale = false, no_residual = false, quiet = false;
  int threads = 0;
  std::string shard;  // "I/N": run only shard I of N's runs (bandit_shard.hpp)
};

// The "bandit" body of any scenario file (the one reader: core/labs/scenario_files).
bandit::BanditConfig read_bandit_scenario(const std::string& path) {
  const config::Scenario scenario = labs::read_scenario(path);
  const nlohmann::json* body = scenario.body("bandit");
  if (!body) throw Error(path + ": has no \"bandit\" body (the experiment this command runs)");
  return bandit::bandit_config_from_json(*body, "bandit");
}

bandit::BanditConfig build_config(const BanditOptions& o) {
  bandit::BanditConfig c = o.scenario.empty() ? bandit::BanditConfig{} : read_bandit_scenario(o.scenario);
  if (o.paper_scale) bandit::apply_paper_scale(c);
  if (!o.data.empty()) c.data = o.data == "digits" ? bandit::DataSource::kDigits : bandit::DataSource::kSynthetic;
  if (!o.digits.empty()) c.digits_path = o.digits;
  if (!o.p_flip.empty()) c.p_flip = o.p_flip;
  if (!o.policy_lr.empty()) c.policy_lr = o.policy_lr;
  if (!o.num_parents.empty()) c.num_parents = o.num_parents;
  if (!o.methods.empty()) {
    c.methods.clear();
    for (const auto& m : o.methods) c.methods.push_back(bandit::parse_method(m, "--methods"));
  }
  auto set = [](auto& field, const auto& opt) {
    if (opt) field = *opt;
  };
  set(c.seeds, o.seeds);
  set(c.first_seed, o.first_seed);
  set(c.n_dim, o.n_dim);
  set(c.layers, o.layers);
  set(c.width, o.width);
  set(c.slots, o.slots);
  set(c.mlp_width, o.mlp_width);
  set(c.batch_size, o.batch);
  set(c.eval_points, o.eval_points);
  set(c.eval_contexts, o.eval_contexts);
  set(c.steps, o.steps);
  set(c.fixed_lambda, o.lambda);
  set(c.initial_lambda, o.initial_lambda);
  set(c.momentum, o.momentum);
  set(c.predictor_lr, o.predictor_lr);
  set(c.predictor_init_scale, o.predictor_init_scale);
  set(c.policy_lr_sg, o.lr_sg);
  set(c.policy_lr_bp, o.lr_bp);
  set(c.policy_lr_mlp, o.lr_mlp);
  if (o.no_residual) c.residual = false;
  bandit::validate(c, "bandit");  // flags and file alike: one line naming the key
  return c;
}

void report_finished(const bandit::BanditSnapshot& snap, std::vector<bool>& reported, bool quiet) {
  for (std::size_t i = 0; i < snap.runs.size(); ++i) {
    const auto& r = snap.runs[i];
    if (reported[i] || r.evals.empty() || r.steps_done * static_cast<std::int64_t>(snap.runs.size()) < snap.steps_total)
      continue;
    reported[i] = true;
    if (quiet) continue;
    std::fprintf(stderr, "bandit: run %zu/%zu %-11s seed %llu p_flip %g parents %d lr %g: eval reward %.4f\n", i + 1,
                 snap.runs.size(), bandit::method_name(r.spec.method).c_str(),
                 static_cast<unsigned long long>(r.spec.seed), r.spec.p_flip, r.spec.num_parents, r.spec.policy_lr,
                 r.evals.back().eval_reward);
  }
}

void run_bandit(const BanditOptions& o, CommandContext& context) {
  namespace fs = std::filesystem;
  const bandit::BanditConfig config = build_config(o);
  const std::optional<shard::ShardSpec> shard =
      o.shard.empty() ? std::nullopt : std::optional(shard::parse_shard_spec(o.shard, "--shard"));
  config::check_folder_writable(o.outdir, "--outdir");  // before any work
  const bandit::PlanRange runs = shard ? bandit::bandit_shard_runs(config, *shard) : bandit::PlanRange{};
  // Runs stepped one per thread, so they finish (and are reported) one by one.
  bandit::BanditSession session(config, o.threads, static_cast<std::size_t>(resolve_thread_count(o.threads)),
                                runs);  // a missing data file is one line
  if (!o.quiet) {
    const std::string part = shard ? " (shard " + o.shard + ": runs " + std::to_string(runs.begin + 1) + ".." +
                                         std::to_string(runs.begin + session.plan().size()) + " of " +
                                         std::to_string(bandit::plan_bandit_runs(config).size()) + ")"
                                   : "";
    std::fprintf(stderr, "bandit: %zu runs x %lld steps on %s%s\n", session.plan().size(),
                 static_cast<long long>(config.steps), session.data_description().c_str(), part.c_str());
  }
  std::vector<bool> reported(session.plan().size(), false);
  const std::int64_t chunk = std::max<std::int64_t>(1, config.steps / 10);
  while (!session.finished()) {
    session.advance(chunk);
    report_finished(*session.snapshot(), reported, o.quiet);
  }
  const fs::path outdir(o.outdir);
  std::error_code ec;
  fs::create_directories(outdir, ec);
  if (ec) throw Error("--outdir: cannot create " + outdir.string() + " (" + ec.message() + ")");
  if (shard) {
    const fs::path path = outdir / shard::shard_file_name(*shard);
    config::write_file(path.string(), shard::to_json(bandit::bandit_shard_file(config, *shard, session)).dump() + "\n",
                       "--outdir");
    if (!o.quiet) std::fprintf(stderr, "bandit: wrote %s (sglab-cli merge joins the shards)\n", path.c_str());
  } else {
    config::write_files(bandit::bandit_output_files(o.outdir, config, *session.snapshot()), "--outdir");
    if (!o.quiet) std::fprintf(stderr, "bandit: wrote evals.csv, summary.csv and config.json to %s\n", outdir.c_str());
  }
  context.exit_code = 0;
}

}  // namespace

void add_bandit_command(CLI::App& app, CommandContext& context) {
  auto o = std::make_shared<BanditOptions>();
  CLI::App* cmd = app.add_subcommand(
      "bandit",
      "Contextual bandit with a SparseNet policy (THEORY.md §8, paper §6): BP, SG at fixed lambda, SG at adaptive "
      "lambda and a dense MLP, from one seed and one sample stream per seed. Writes evals.csv (method,seed,p_flip,"
      "num_parents,policy_lr,step,samples_seen,eval_reward, per-layer lambda, true and synthetic gradient norms), "
      "summary.csv (mean and SE over seeds) and config.json (a scenario file reproducing the run). Flags override "
      "--scenario, which overrides the defaults (a small, fast net; --paper-scale sets the paper's sizes).");
  cmd->add_option("--scenario", o->scenario, "scenario file (JSON, lab \"bandit\", its \"bandit\" object)");
  cmd->add_option("--outdir", o->outdir, "output folder (default out/bandit); files are written whole at the end");
  cmd->add_option("--data", o->data, "contexts: digits (8x8, python3-sklearn) or synthetic")
      ->check(CLI::IsMember({"digits", "synthetic"}));
  cmd->add_option("--digits", o->digits, "digits.csv.gz to read (default: search the python3-sklearn install)");
  cmd->add_option("--p-flip", o->p_flip, "reward flip probabilities (a sweep)")->check(CLI::Range(L::kMinPFlip, L::kMaxPFlip));
  cmd->add_option("--seeds", o->seeds, "seeds per point")->check(CLI::Range(L::kMinSeeds, L::kMaxSeeds));
  cmd->add_option("--first-seed", o->first_seed, "first seed")->check(CLI::Range(L::kMinSeed, L::kMaxSeed));
  cmd->add_option("--methods", o->methods, "comma list of bp, sg-fixed, sg-adaptive, mlp")
      ->delimiter(',')
      ->check(CLI::IsMember(bandit::all_method_names()));
  cmd->add_option("--num-parents", o->num_parents, "parents per neuron (a sweep)")
      ->check(CLI::Range(L::kMinParents, L::kMaxParents));
  cmd->add_option("--policy-lr", o->policy_lr, "policy learning rates (a sweep; default: each method's own)")
      ->check(CLI::Range(L::kMinLearningRate, L::kMaxLearningRate));
  cmd->add_option("--steps", o->steps, "policy steps per run")->check(CLI::Range(L::kMinSteps, L::kMaxSteps));
  cmd->add_option("--batch", o->batch, "batch size")->check(CLI::Range(L::kMinBatch, L::kMaxBatch));
  cmd->add_option("--eval-points", o->eval_points, "evenly spaced evaluation steps")
      ->check(CLI::Range(L::kMinEvalPoints, L::kMaxEvalPoints));
  cmd->add_option("--eval-contexts", o->eval_contexts, "held-out contexts per evaluation")
      ->check(CLI::Range(L::kMinEvalContexts, L::kMaxEvalContexts));
  cmd->add_option("--n-dim", o->n_dim, "neuron output size n")->check(CLI::Range(L::kMinNDim, L::kMaxNDim));
  cmd->add_option("--layers", o->layers, "hidden layers L")->check(CLI::Range(L::kMinLayers, L::kMaxLayers));
  cmd->add_option("--width", o->width, "neurons per layer")->check(CLI::Range(L::kMinWidth, L::kMaxWidth));
  cmd->add_option("--slots", o->slots, "slots per neuron")->check(CLI::Range(L::kMinSlots, L::kMaxSlots));
  cmd->add_option("--mlp-width", o->mlp_width, "MLP hidden width")->check(CLI::Range(L::kMinMlpWidth, L::kMaxMlpWidth));
  cmd->add_option("--lambda", o->lambda, "lambda of sg-fixed (paper: theta 0.9, lambda 0.1)")
      ->check(CLI::Range(L::kMinLambda, L::kMaxLambda));
  cmd->add_option("--initial-lambda", o->initial_lambda, "starting lambda of sg-adaptive")
      ->check(CLI::Range(L::kMinLambda, L::kMaxLambda));
  cmd->add_option("--momentum", o->momentum, "adaptive-lambda momentum; 1 freezes lambda")
      ->check(CLI::Range(L::kMinMomentum, L::kMaxMomentum));
  cmd->add_option("--predictor-lr", o->predictor_lr, "Adam learning rate of the predictors")
      ->check(CLI::Range(L::kMinLearningRate, L::kMaxLearningRate));
  cmd->add_option("--predictor-init-scale", o->predictor_init_scale,
                  "predictor initial weights N(0, scale^2/(nP)); 1 = the paper's, 0 = synthetic gradients start at zero")
      ->check(CLI::Range(L::kMinInitScale, L::kMaxInitScale));
  cmd->add_option("--lr-sg", o->lr_sg, "default policy lr of sg-fixed / sg-adaptive")
      ->check(CLI::Range(L::kMinLearningRate, L::kMaxLearningRate));
  cmd->add_option("--lr-bp", o->lr_bp, "default policy lr of bp")->check(CLI::Range(L::kMinLearningRate, L::kMaxLearningRate));
  cmd->add_option("--lr-mlp", o->lr_mlp, "default policy lr of mlp")->check(CLI::Range(L::kMinLearningRate, L::kMaxLearningRate));
  cmd->add_flag("--paper-scale", o->paper_scale,
                "the paper's sizes: n_dim 10, L 5, width 200, slots 5, parents 5, MLP 745, 1500 steps, 4000 eval contexts");
  cmd->add_flag("--no-residual", o->no_residual, "SparseNet without the residual connection");
  cmd->add_option("--threads", o->threads, "worker threads (0 = all cores); results do not depend on it")
      ->check(CLI::Range(0, 256));
  cmd->add_flag("--quiet", o->quiet, "no progress lines");
  cmd->add_option("--shard", o->shard,
                  "I/N: run only shard I of N of the runs (1 <= I <= N) and write OUTDIR/shard-I-of-N.json; "
                  "`sglab-cli merge` joins the N files into the unsharded evals.csv, summary.csv and config.json, "
                  "byte for byte");
  cmd->callback([o, &context] {
    if (!context.parse_only) run_bandit(*o, context);
  });
}

}  // namespace sglab::cli
