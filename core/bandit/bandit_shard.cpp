#include "core/bandit/bandit_shard.hpp"

#include "core/bandit/bandit_config_json.hpp"
#include "core/util/error.hpp"

namespace sglab::bandit {

namespace {

using nlohmann::json;

// Relative cost of a run, a rough model of one policy step (only how evenly the
// shards share the work depends on it, never a number): an SG step also runs
// the predictors forward, backward and their update (≈ 2.5 BP steps here,
// bench/bandit_perf_notes.md); a SparseNet neuron's work grows with its
// parents; the dense MLP is about half a BP run at the paper's sizes.
std::vector<double> run_weights(const std::vector<BanditRunSpec>& plan) {
  std::vector<double> weights;
  weights.reserve(plan.size());
  for (const BanditRunSpec& r : plan) {
    switch (r.method) {
      case Method::kMlp: weights.push_back(0.5); break;
      case Method::kBackprop: weights.push_back(1.0 + 0.1 * r.num_parents); break;
      case Method::kSgFixed:
      case Method::kSgAdaptive: weights.push_back(2.5 * (1.0 + 0.1 * r.num_parents)); break;
    }
  }
  return weights;
}

json numbers(const std::vector<double>& values) {
  json out = json::array();
  for (double v : values) out.push_back(shard::exact_number(v));
  return out;
}

std::vector<double> numbers_from(const json& j, std::size_t size, const std::string& what) {
  if (!j.is_array() || j.size() != size)
    throw Error(what + " must be an array of " + std::to_string(size) + " numbers");
  std::vector<double> out;
  for (const json& v : j) out.push_back(shard::exact_number_from_json(v, what));
  return out;
}

json run_json(std::size_t plan_index, const BanditRunResult& run) {
  json evals = json::array();
  for (const BanditEvalRecord& e : run.evals)
    evals.push_back({{"step", e.step},
                     {"samples_seen", e.samples_seen},
                     {"eval_reward", shard::exact_number(e.eval_reward)},
                     {"lambda", numbers(e.lambda)},
                     {"true_grad_norm", numbers(e.true_grad_norm)},
                     {"synthetic_grad_norm", numbers(e.synthetic_grad_norm)}});
  return {{"run", plan_index},
          {"method", method_name(run.spec.method)},
          {"seed", run.spec.seed},
          {"steps_done", run.steps_done},
          {"evals", evals}};
}

// One run of a shard's payload into its plan slot; checks it is the run the plan has there.
void gather_run(const BanditConfig& config, const std::vector<BanditRunSpec>& plan, const json& entry,
                const std::string& source, BanditSnapshot& out, std::vector<char>& have) {
  const auto index = entry.at("run").get<std::size_t>();
  const std::string where = source + ": run " + std::to_string(index);
  if (index >= plan.size()) throw Error(where + " is out of range (the plan has " + std::to_string(plan.size()) + ")");
  if (entry.at("method").get<std::string>() != method_name(plan[index].method) ||
      entry.at("seed").get<std::uint64_t>() != plan[index].seed)
    throw Error(where + " does not match the settings' run order (another sglab version?)");
  if (have[index]) throw Error(where + " also comes from another shard");
  have[index] = 1;
  BanditRunResult& run = out.runs[index];
  run.spec = plan[index];
  run.steps_done = entry.at("steps_done").get<std::int64_t>();
  const auto layers = static_cast<std::size_t>(config.layers);
  for (const json& e : entry.at("evals")) {
    BanditEvalRecord r;
    r.step = e.at("step").get<std::int64_t>();
    r.samples_seen = e.at("samples_seen").get<std::int64_t>();
    r.eval_reward = shard::exact_number_from_json(e.at("eval_reward"), where + ".eval_reward");
    r.lambda = numbers_from(e.at("lambda"), layers, where + ".lambda");
    r.true_grad_norm = numbers_from(e.at("true_grad_norm"), layers, where + ".true_grad_norm");
    r.synthetic_grad_norm = numbers_from(e.at("synthetic_grad_norm"), layers, where + ".synthetic_grad_norm");
    run.evals.push_back(std::move(r));
  }
  if (run.steps_done != config.steps)
    throw Error(where + " stopped at step " + std::to_string(run.steps_done) + " of " + std::to_string(config.steps));
}

}  // namespace

PlanRange bandit_shard_runs(const BanditConfig& config, const shard::ShardSpec& spec) {
  const auto [begin, end] = shard::weighted_part(run_weights(plan_bandit_runs(config)), spec);
  return {begin, end};
}

shard::ShardFile bandit_shard_file(const BanditConfig& config, const shard::ShardSpec& spec,
                                   const BanditSession& session) {
  if (!session.finished()) throw Error("bandit shard " + std::to_string(spec.index) + ": the runs are not finished");
  const auto snap = session.snapshot();
  json runs = json::array();
  for (std::size_t i = 0; i < snap->runs.size(); ++i) runs.push_back(run_json(session.plan_begin() + i, snap->runs[i]));
  shard::ShardFile file;
  file.kind = kBanditShardKind;
  file.spec = spec;
  file.settings = bandit_config_to_json(config);
  file.payload = {{"runs_total", plan_bandit_runs(config).size()}, {"runs", runs}};
  return file;
}

MergedBandit merge_bandit_shards(const std::vector<shard::ShardFile>& given) {
  // The config carries no thread count: every setting must agree.
  const std::vector<shard::ShardFile> files = shard::check_complete_set(given, {});
  const shard::ShardFile& head = files.front();
  if (head.kind != kBanditShardKind)
    throw Error("merge: " + head.source + " is a \"" + head.kind + "\" shard; this merges \"" + kBanditShardKind +
                "\" shards");
  MergedBandit merged;
  merged.config = bandit_config_from_json(head.settings, head.source + ": settings");
  const std::vector<BanditRunSpec> plan = plan_bandit_runs(merged.config);
  BanditSnapshot& snap = merged.snapshot;
  snap.runs.resize(plan.size());
  std::vector<char> have(plan.size(), 0);
  for (const shard::ShardFile& file : files) {
    try {
      if (file.payload.at("runs_total").get<std::size_t>() != plan.size())
        throw Error(file.source + ": its plan has " + file.payload.at("runs_total").dump() + " runs, these settings " +
                    std::to_string(plan.size()) + " (another sglab version?)");
      for (const json& entry : file.payload.at("runs")) gather_run(merged.config, plan, entry, file.source, snap, have);
    } catch (const json::exception& e) {
      throw Error(file.source + ": malformed bandit payload (" + std::string(e.what()) + ")");
    }
  }
  for (std::size_t i = 0; i < plan.size(); ++i)
    if (!have[i])
      throw Error("merge: no shard holds run " + std::to_string(i) + " (" + method_name(plan[i].method) + ", seed " +
                  std::to_string(plan[i].seed) + ")");
  for (const BanditRunResult& r : snap.runs) snap.steps_done += r.steps_done;
  snap.steps_total = static_cast<std::int64_t>(plan.size()) * merged.config.steps;
  snap.finished = true;
  return merged;
}

}  // namespace sglab::bandit
