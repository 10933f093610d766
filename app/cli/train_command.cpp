// sglab-cli train: the mixing-dynamics lab in batch (issue 5, THEORY.md §5).
// Trains BP, SG with fixed λ and SG with adaptive λ from one seed on one sample
// stream and writes every recorded step as CSV (train_records_csv.hpp).
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>

#include "app/cli/commands.hpp"
#include "app/cli/integer_flags.hpp"
#include "core/config/output_files.hpp"
#include "core/dynamics/divergence_note.hpp"
#include "core/dynamics/lambda_tracking.hpp"
#include "core/dynamics/dynamics_session.hpp"
#include "core/dynamics/train_config.hpp"
#include "core/dynamics/train_records_csv.hpp"
#include "core/labs/scenario_files.hpp"
#include "core/util/error.hpp"

namespace sglab::cli {

namespace {

struct TrainOptions {
  std::string scenario;
  std::string out;
  std::optional<long long> steps;
  std::optional<long long> batch;
  std::optional<double> lr;
  std::optional<double> predictor_lr;
  std::optional<std::uint64_t> seed;
  std::optional<double> momentum;
  std::optional<double> lambda;
  std::optional<double> initial_lambda;
  std::optional<long long> record_every;
  std::optional<long long> exact_every;
  std::optional<long long> eval_every;
  std::string lambda_estimator;
  std::string network;
  std::string tracking;
  bool unit_normalise = false;
  bool quiet = false;
};

// Flags override the scenario's "train" body; their ranges are checked by CLI11
// from TrainLimits (the same limits the file reader and the app use).
dynamics::TrainConfig apply_overrides(dynamics::TrainConfig c, const TrainOptions& o) {
  if (o.steps) c.steps = *o.steps;
  if (o.batch) c.batch_size = static_cast<int>(*o.batch);
  if (o.lr) c.learning_rate = *o.lr;
  if (o.predictor_lr) c.predictor_learning_rate = *o.predictor_lr;
  if (o.seed) c.seed = *o.seed;
  if (o.momentum) c.momentum = *o.momentum;
  if (o.lambda) c.fixed_lambda = *o.lambda;
  if (o.initial_lambda) c.initial_lambda = *o.initial_lambda;
  if (o.record_every) c.record_every = *o.record_every;
  if (o.exact_every) c.exact_every = *o.exact_every;
  if (o.eval_every) c.eval_every = *o.eval_every;
  if (o.network == "sparse40") c.network = dynamics::TrainNetwork{dynamics::TrainNetwork::Kind::kSparse40, {}, {}};
  if (o.network == "dag") c.network = dynamics::TrainNetwork{};
  if (!o.lambda_estimator.empty()) dynamics::lambda_estimator_from_name(o.lambda_estimator, c.lambda_estimator);
  if (o.unit_normalise) c.unit_normalise = true;
  return c;
}

// One stderr line however many runs diverged (always printed, even with --quiet).
void report_divergence(const dynamics::DynamicsSession& session) {
  const std::string note = dynamics::divergence_note(session.snapshot());
  if (!note.empty()) std::fprintf(stderr, "train: %s; marked in the CSV column \"diverged\"\n", note.c_str());
}

// The tracking summary's path: --tracking, else next to --out ("run.csv" → "run_lambda_tracking.csv").
std::string tracking_path(const TrainOptions& options) {
  if (!options.tracking.empty()) return options.tracking;
  std::string stem = options.out;
  if (stem.size() > 4 && stem.compare(stem.size() - 4, 4, ".csv") == 0) stem.resize(stem.size() - 4);
  return stem + "_lambda_tracking.csv";
}

void run_train(const TrainOptions& options, CommandContext& context) {
  // Fail before training when an output cannot be written; write both whole at the end.
  config::check_file_writable(options.out, "--out");
  const std::string tracking_file = tracking_path(options);
  config::check_file_writable(tracking_file, "--tracking");
  const config::Scenario scenario = labs::read_scenario(options.scenario);
  const dynamics::TrainConfig train = apply_overrides(dynamics::train_config_of(scenario), options);
  dynamics::DynamicsSession session(dynamics::training_network(scenario, train), train);  // validates

  const std::int64_t total = train.steps;
  const std::int64_t chunk = std::max<std::int64_t>(1, total / 20);
  const bool report = !options.quiet && total >= 2000;
  while (!session.finished()) {
    session.step(chunk);
    if (report)
      std::fprintf(stderr, "train: %lld / %lld steps (%.0f%%)\n", static_cast<long long>(session.steps_done()),
                   static_cast<long long>(total),
                   100.0 * static_cast<double>(session.steps_done()) / static_cast<double>(total));
  }
  const dynamics::TrainRecords records = session.snapshot();
  const dynamics::LambdaTracking tracking = dynamics::lambda_tracking(records);
  config::write_files({{tracking_file, dynamics::lambda_tracking_csv(records, tracking)},
                       {options.out, dynamics::train_records_csv(records)}},
                      "--out");
  report_divergence(session);
  // The tracking line is a result, printed even with --quiet (seed included, so it can be reproduced).
  std::fprintf(stderr, "train: seed %llu: %s -> %s\n", static_cast<unsigned long long>(train.seed),
               dynamics::lambda_tracking_summary(records, tracking).c_str(), tracking_file.c_str());
  if (!options.quiet)
    std::fprintf(stderr, "train: %lld steps, %zu records x %d nodes -> %s (%s)\n", static_cast<long long>(total),
                 session.snapshot().size(), session.layout().slots(), options.out.c_str(),
                 session.layout().exact_note.c_str());
  context.exit_code = 0;
}

}  // namespace

void add_train_command(CLI::App& app, CommandContext& context) {
  auto o = std::make_shared<TrainOptions>();
  CLI::App* cmd = app.add_subcommand(
      "train",
      "Mixing dynamics (THEORY.md §5): train a DAG scenario with BP, SG at fixed lambda and SG at adaptive lambda "
      "from one seed and one sample stream; write every recorded step as CSV.\n"
      "The scenario is any scenario file with an optional \"train\" object (keys: network (\"dag\": the file's "
      "\"dag\" body, the default; \"sparse40\"; or {\"name\", \"dag\"}), steps, batch_size, learning_rate, "
      "predictor_learning_rate, fixed_lambda, initial_lambda, momentum, unit_normalise, seed, record_every, "
      "exact_every, exact_max_outcome_bits, exact_predictor, lambda_estimator, eval_every, eval_size); flags override it.\n"
      "CSV (long format): one row per recorded step and non-input node with columns step,node,layer,terminal,"
      "loss_bp,loss_sg_fixed,loss_sg_adaptive (batch-mean loss before the step's update, repeated per node),"
      "lambda_fixed,lambda_adaptive (after the step's update),lambda_batch,lambda_batch_raw,v,c,b2,clipped "
      "(-1/0/+1),degenerate (v + b^2 ~ 0: old lambda kept),predictor_error_fixed,predictor_error_adaptive "
      "(mean squared error of the child's prediction against delta_c*g~_c before the predictor step),"
      "lambda_star_exact (exact lambda*(n = B) at the adaptive run's parameters with the best-linear predictor, "
      "every exact_every steps), diverged (runs stopped by divergence at or before this step, as run@N joined by ';': "
      "a run whose loss or parameters become non-finite at step N is stopped there, its later loss cells are empty, "
      "the other runs go on, and one stderr line says so), lambda_paper,lambda_ratio,lambda_bias_corrected (the adaptive-lambda "
      "estimators on the adaptive run's batches: the paper's momentum on the clamped batch plug-in, and momentum on "
      "-c and v + b^2 separately, clamped after; lambda_bias_corrected: the ratio rule with eq 18's downstream-bias "
      "term estimated from the batch's BP gradients, a diagnostic; --lambda-estimator picks the one the run uses), "
      "eval_loss_bp,eval_loss_sg_fixed,eval_loss_sg_adaptive (loss on a held-out set every --eval-every steps). "
      "Empty cell = not applicable / not computed.\n"
      "A second CSV (--tracking) holds each estimator's tracking error per node, mean |lambda - lambda*(n = B)| "
      "over the recorded steps of the run's second half that carry an exact lambda* (needs --exact-every); "
      "one stderr line gives the means over nodes.");
  cmd->add_option("--scenario", o->scenario, "scenario file (JSON) with a \"dag\" body or a \"train\" network")->required();
  cmd->add_option("--out", o->out, "CSV file to write (written whole at the end; nothing on error)")->required();
  using L = dynamics::TrainLimits;
  cmd->add_option("--steps", o->steps, "SGD steps per run (default: train.steps or 1000)")
      ->check(integer_in(1, L::kMaxSteps));
  cmd->add_option("--batch", o->batch, "batch size B >= 2 (default 64)")->check(integer_in(L::kMinBatch, L::kMaxBatch));
  cmd->add_option("--lr", o->lr, "SGD learning rate of the parameters (default 0.05)")
      ->check(CLI::Range(0.0, L::kMaxLearningRate));
  cmd->add_option("--predictor-lr", o->predictor_lr, "SGD learning rate of the predictors (default 0.1)")
      ->check(CLI::Range(0.0, L::kMaxLearningRate));
  cmd->add_option("--seed", o->seed, "seed of the sample stream, 0 .. 2^64-1 (default 1)")->check(any_seed());
  cmd->add_option("--momentum", o->momentum, "adaptive-lambda momentum m in [0, 1]; 1 freezes lambda (default 0.9)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--lambda", o->lambda, "fixed lambda of the sg_fixed run, all nodes (default: the scenario's)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--initial-lambda", o->initial_lambda, "starting lambda of the adaptive run (default: --lambda)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--record-every", o->record_every, "record every k-th step (default 1)")
      ->check(integer_in(1, L::kMaxSteps));
  cmd->add_option("--exact-every", o->exact_every, "exact lambda* every K steps, 0 = never (default 0)")
      ->check(integer_in(0, L::kMaxSteps));
  cmd->add_option("--eval-every", o->eval_every,
                  "loss of each run on a held-out set (train.eval_size samples, fixed by the seed) every K steps, "
                  "0 = never (default 0)")
      ->check(integer_in(0, L::kMaxSteps));
  cmd->add_option("--lambda-estimator", o->lambda_estimator,
                  "the estimator whose lambda the adaptive run uses: paper | ratio | bias_corrected (default: "
                  "train.lambda_estimator or paper); all are recorded")
      ->check(CLI::IsMember({"paper", "ratio", "bias_corrected"}));
  cmd->add_option("--network", o->network,
                  "which network trains: dag (the scenario's \"dag\" body) | sparse40 (the 40-node sparse reference "
                  "net) (default: train.network or dag)")
      ->check(CLI::IsMember({"dag", "sparse40"}));
  cmd->add_option("--tracking", o->tracking,
                  "CSV of the lambda tracking error per node and estimator (default: --out with "
                  "_lambda_tracking.csv in place of .csv)");
  cmd->add_flag("--unit-normalise", o->unit_normalise,
                "per-sample node gradients reduced to their sign in the parameter gradients (the paper code's "
                "unit normalisation with scalar nodes)");
  cmd->add_flag("--quiet", o->quiet, "no progress lines");
  cmd->callback([o, &context] {
    if (!context.parse_only) run_train(*o, context);
  });
}

}  // namespace sglab::cli
