#include "core/expert/sweep_shard.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>
#include <set>

#include "core/expert/expert_cell.hpp"
#include "core/expert/expert_problem.hpp"
#include "core/expert/sweep_config_reader.hpp"
#include "core/expert/sweep_output.hpp"
#include "core/expert/trial_estimators.hpp"
#include "core/util/error.hpp"

namespace sglab::expert {

namespace {

using nlohmann::json;

// One work unit: trials [first, first + count) of cell (ki, di, ci, si).
struct Unit {
  std::size_t ki, di, ci, si;
  std::size_t first;
  int count;
};

// Units in run_sweep's order: k, d, case, n, trial batch.
std::vector<Unit> work_units(const SweepConfig& c) {
  std::vector<Unit> units;
  const auto trials = static_cast<std::size_t>(c.trials);
  for (std::size_t ki = 0; ki < c.ks.size(); ++ki)
    for (std::size_t di = 0; di < c.dims.size(); ++di)
      for (std::size_t ci = 0; ci < c.cases.size(); ++ci)
        for (std::size_t si = 0; si < c.sample_sizes.size(); ++si)
          for (std::size_t first = 0; first < trials; first += kMaxTrialBatch)
            units.push_back({ki, di, ci, si, first,
                             static_cast<int>(std::min<std::size_t>(kMaxTrialBatch, trials - first))});
  return units;
}

// A trial costs O(2^d · m²) whatever the case or n (THEORY.md §6, "How the numbers are made").
std::vector<double> unit_weights(const SweepConfig& c, const std::vector<Unit>& units) {
  std::vector<double> w;
  w.reserve(units.size());
  for (const Unit& u : units) w.push_back(std::ldexp(1.0, c.dims[u.di]) * u.count);
  return w;
}

std::size_t cell_index(const SweepConfig& c, std::size_t ki, std::size_t di, std::size_t ci, std::size_t si) {
  return ((ki * c.dims.size() + di) * c.cases.size() + ci) * c.sample_sizes.size() + si;
}

json theory_json(const CellTheory& t) {
  return {{"mse_bp", shard::exact_number(t.form.mse_bp)},
          {"sg_var", shard::exact_number(t.form.sg_var)},
          {"sg_bias2", shard::exact_number(t.form.sg_bias2)},
          {"cross", shard::exact_number(t.form.cross)},
          {"crossover_n", shard::exact_number(t.crossover_n)}};
}

CellTheory theory_from_json(const json& j, const std::string& what) {
  CellTheory t;
  t.form.mse_bp = shard::exact_number_from_json(j.at("mse_bp"), what + ".mse_bp");
  t.form.sg_var = shard::exact_number_from_json(j.at("sg_var"), what + ".sg_var");
  t.form.sg_bias2 = shard::exact_number_from_json(j.at("sg_bias2"), what + ".sg_bias2");
  t.form.cross = shard::exact_number_from_json(j.at("cross"), what + ".cross");
  t.crossover_n = shard::exact_number_from_json(j.at("crossover_n"), what + ".crossover_n");
  return t;
}

// Runs the units [begin, end) of one (k, d) group and appends their cells to `cells`.
void run_group(const SweepConfig& config, const std::vector<Unit>& units, std::size_t begin,
               std::size_t end, int threads, json& cells) {
  const int d = config.dims[units[begin].di], k = config.ks[units[begin].ki];
  const ExpertProblem problem = ExpertProblem::build({d, k, config.m, config.leak, config.seed}, threads);
  const auto trials = static_cast<std::size_t>(config.trials);
  // Slot per (case, n) of this group; trial slots outside the shard stay unused.
  const std::size_t n_sizes = config.sample_sizes.size();
  std::vector<TrialErrors> errors(config.cases.size() * n_sizes * trials);
  parallel_for(end - begin, threads, [&](std::size_t item) {
    const Unit& u = units[begin + item];
    const TrialSpec spec = cell_trial_spec(config, config.cases[u.ci], config.sample_sizes[u.si]);
    std::uint64_t streams[kMaxTrialBatch];
    for (int b = 0; b < u.count; ++b)
      streams[b] = trial_noise_stream(spec.noise_case, d, k, config.m, spec.n, spec.sampling,
                                      u.first + static_cast<std::size_t>(b));
    TrialScratch scratch;
    run_trial_batch(problem, spec, config.seed, streams, u.count, scratch,
                    &errors[(u.ci * n_sizes + u.si) * trials + u.first]);
  });
  // Units of one cell are contiguous, so each cell's trials form one range.
  for (std::size_t i = begin; i < end;) {
    std::size_t j = i;
    while (j < end && units[j].ci == units[i].ci && units[j].si == units[i].si) ++j;
    const Unit& u = units[i];
    const std::size_t first = u.first, last = units[j - 1].first + static_cast<std::size_t>(units[j - 1].count);
    json bp = json::array(), sg = json::array(), mix = json::array();
    for (std::size_t t = first; t < last; ++t) {
      const TrialErrors& e = errors[(u.ci * n_sizes + u.si) * trials + t];
      bp.push_back(shard::exact_number(e.bp));
      sg.push_back(shard::exact_number(e.sg));
      mix.push_back(shard::exact_number(e.mix));
    }
    const NoiseCase c = config.cases[u.ci];
    const int n = config.sample_sizes[u.si];
    json cell = {{"cell", cell_index(config, u.ki, u.di, u.ci, u.si)},
                 {"case", to_string(c)}, {"d", d}, {"k", k}, {"n", n},
                 {"first_trial", first}, {"bp", bp}, {"sg", sg}, {"mix", mix}};
    cell["theory"] = config.sampling == Sampling::kEveryState ? theory_json(cell_theory(problem, config, c, n))
                                                               : json(nullptr);
    cells.push_back(std::move(cell));
    i = j;
  }
}

}  // namespace

shard::ShardFile run_sweep_shard(const SweepConfig& config, const shard::ShardSpec& spec,
                                 const std::function<void(const std::string&)>& on_line) {
  validate(config);
  const std::vector<Unit> units = work_units(config);
  const auto [begin, end] = shard::weighted_part(unit_weights(config, units), spec);
  const int threads = resolve_thread_count(config.threads);
  json cells = json::array();
  for (std::size_t i = begin; i < end;) {
    std::size_t j = i;
    while (j < end && units[j].ki == units[i].ki && units[j].di == units[i].di) ++j;
    const auto start = std::chrono::steady_clock::now();
    run_group(config, units, i, j, threads, cells);
    if (on_line) {
      char line[200];
      std::snprintf(line, sizeof line, "[shard %d/%d] k=%d d=%d: %zu trial batches (%.2fs)", spec.index,
                    spec.count, config.ks[units[i].ki], config.dims[units[i].di], j - i,
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      on_line(line);
    }
    i = j;
  }
  shard::ShardFile file;
  file.kind = kExpertSweepShardKind;
  file.spec = spec;
  file.settings = sweep_config_json(config);
  file.payload = {{"units", {{"begin", begin}, {"end", end}, {"total", units.size()}}}, {"cells", cells}};
  return file;
}

namespace {

// Trials of every cell gathered from the shards, with the closed forms.
struct GatheredCell {
  std::vector<TrialErrors> errors;
  std::vector<char> have;
  std::optional<CellTheory> theory;
};

void gather_cell(const SweepConfig& config, const shard::ShardFile& file, const json& entry,
                 std::vector<GatheredCell>& cells) {
  const std::string where = file.source + ": cell";
  const auto index = entry.at("cell").get<std::size_t>();
  if (index >= cells.size()) throw Error(where + " index " + std::to_string(index) + " is out of range");
  const std::size_t si = index % config.sample_sizes.size();
  const std::size_t ci = (index / config.sample_sizes.size()) % config.cases.size();
  const std::size_t di = (index / (config.sample_sizes.size() * config.cases.size())) % config.dims.size();
  const std::size_t ki = index / (config.sample_sizes.size() * config.cases.size() * config.dims.size());
  if (entry.at("case").get<std::string>() != to_string(config.cases[ci]) ||
      entry.at("d").get<int>() != config.dims[di] || entry.at("k").get<int>() != config.ks[ki] ||
      entry.at("n").get<int>() != config.sample_sizes[si])
    throw Error(where + " " + std::to_string(index) + " does not match the settings' cell order");
  GatheredCell& cell = cells[index];
  const json& bp = entry.at("bp");
  const json& sg = entry.at("sg");
  const json& mix = entry.at("mix");
  const auto first = entry.at("first_trial").get<std::size_t>();
  if (sg.size() != bp.size() || mix.size() != bp.size() || first + bp.size() > cell.errors.size())
    throw Error(where + " " + std::to_string(index) + " has inconsistent trial arrays");
  for (std::size_t t = 0; t < bp.size(); ++t) {
    if (cell.have[first + t]) throw Error(where + " " + std::to_string(index) + ": trial " +
                                          std::to_string(first + t) + " also comes from another shard");
    cell.have[first + t] = 1;
    cell.errors[first + t] = {shard::exact_number_from_json(bp[t], where + ".bp"),
                              shard::exact_number_from_json(sg[t], where + ".sg"),
                              shard::exact_number_from_json(mix[t], where + ".mix")};
  }
  if (!entry.at("theory").is_null() && !cell.theory) cell.theory = theory_from_json(entry.at("theory"), where);
}

}  // namespace

SweepResult merge_sweep_shards(const std::vector<shard::ShardFile>& given) {
  // threads and the memory ceiling never change a number (DESIGN.md: determinism).
  const std::vector<shard::ShardFile> files = shard::check_complete_set(given, {"threads", "max_memory_gb"});
  const shard::ShardFile& head = files.front();
  if (head.kind != kExpertSweepShardKind)
    throw Error("merge: " + head.source + " is a \"" + head.kind + "\" shard; this sglab-cli merges \"" +
                kExpertSweepShardKind + "\" shards");
  SweepResult result;
  result.config = sweep_config_from_json(head.settings, head.source);
  const SweepConfig& config = result.config;
  const std::vector<Unit> units = work_units(config);
  const std::vector<double> weights = unit_weights(config, units);
  std::vector<GatheredCell> cells(config.ks.size() * config.dims.size() * config.cases.size() *
                                  config.sample_sizes.size());
  for (GatheredCell& cell : cells) {
    cell.errors.resize(static_cast<std::size_t>(config.trials));
    cell.have.assign(static_cast<std::size_t>(config.trials), 0);
  }
  for (const shard::ShardFile& file : files) {
    try {
      const auto [begin, end] = shard::weighted_part(weights, file.spec);
      const json& span = file.payload.at("units");
      if (span.at("begin").get<std::size_t>() != begin || span.at("end").get<std::size_t>() != end ||
          span.at("total").get<std::size_t>() != units.size())
        throw Error(file.source + ": its work units are not those of shard " + std::to_string(file.spec.index) +
                    "/" + std::to_string(file.spec.count) + " of these settings (another sglab version?)");
      for (const json& entry : file.payload.at("cells")) gather_cell(config, file, entry, cells);
    } catch (const json::exception& e) {
      throw Error(file.source + ": malformed expert-sweep payload (" + std::string(e.what()) + ")");
    }
  }
  for (std::size_t ki = 0; ki < config.ks.size(); ++ki)
    for (std::size_t di = 0; di < config.dims.size(); ++di)
      for (std::size_t ci = 0; ci < config.cases.size(); ++ci)
        for (std::size_t si = 0; si < config.sample_sizes.size(); ++si) {
          const GatheredCell& cell = cells[cell_index(config, ki, di, ci, si)];
          const std::string name = std::string("case=") + to_string(config.cases[ci]) +
                                   " d=" + std::to_string(config.dims[di]) + " k=" +
                                   std::to_string(config.ks[ki]) + " n=" + std::to_string(config.sample_sizes[si]);
          for (std::size_t t = 0; t < cell.have.size(); ++t)
            if (!cell.have[t]) throw Error("merge: no shard holds trial " + std::to_string(t) + " of cell " + name);
          if (config.sampling == Sampling::kEveryState && !cell.theory)
            throw Error("merge: no shard holds the closed forms of cell " + name);
          result.cells.push_back(summarize_cell(config.dims[di], config.ks[ki], config.m, config,
                                                config.cases[ci], config.sample_sizes[si], cell.errors,
                                                cell.theory ? &*cell.theory : nullptr));
        }
  return result;
}

}  // namespace sglab::expert
