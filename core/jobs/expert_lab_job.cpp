#include "core/jobs/expert_lab_job.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>

#include "core/expert/expert_plan.hpp"
#include "core/stats/summary_stats.hpp"

namespace sglab::jobs {

namespace {

using expert::CellResult;
using expert::ExpertScenario;

double weight_of(int d) { return std::ldexp(1.0, d); }

// The scenario's knobs as the core's sweep settings.
// A cell as the cache and the result keep it: the per-trial errors are not drawn.
CellResult without_trials(CellResult cell) {
  cell.err_bp.clear();
  cell.err_sg.clear();
  cell.err_mix.clear();
  return cell;
}

// Everything one job needs besides the stage it is in.
struct LabJob {
  const ExpertScenario& s;
  expert::SweepConfig config;
  expert::LabPlan plan;
  int threads;
  const JobContext& context;
  ExpertCellCache& cache;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();

  double elapsed_ms() const {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  }
  void publish_copy(const ExpertLabResult& result,
                    const std::function<void(std::shared_ptr<const ExpertLabResult>)>& publish) const {
    context.throw_if_cancelled();  // a cancelled job publishes nothing
    publish(std::make_shared<const ExpertLabResult>(result));
  }
};

// The closed forms of the current cell (every-state sampling only).
void fill_theory(const LabJob& job, const expert::ExpertProblem& problem, ExpertLabResult& result) {
  const ExpertScenario& s = job.s;
  result.has_theory = s.sampling == expert::Sampling::kEveryState;
  if (!result.has_theory) return;
  const expert::ClosedFormBase base = expert::closed_form_base(problem);
  result.theory = expert::closed_form(problem, base, s.noise_case, s.noise, s.n);
  result.theory_at_one =
      s.n == 1 ? result.theory : expert::closed_form(problem, base, s.noise_case, s.noise, 1);
  result.crossover_n = expert::crossover_n_from(result.theory_at_one);
  result.lambda_star = result.theory.lambda_star();
  for (int i = 0; i <= 100; ++i) {
    const double lambda = i / 100.0;
    result.lambda_grid.push_back(lambda);
    result.lambda_theory.push_back(result.theory.mse_at(lambda));
  }
}

// Monte Carlo MSE of the mixture at a few λ, from one set of trials (expert_plan.hpp).
void fill_lambda_points(const ExpertScenario& s, const CellResult& cell, const std::vector<double>& cross,
                        ExpertLabResult& result) {
  std::vector<double> lambdas = {0.0, 0.2, 0.4, 0.6, 0.8, 1.0, s.lambda};
  if (result.has_theory) lambdas.push_back(result.lambda_star);
  std::sort(lambdas.begin(), lambdas.end());
  lambdas.erase(std::unique(lambdas.begin(), lambdas.end(), [](double a, double b) { return std::abs(a - b) < 1e-9; }),
                lambdas.end());
  for (double lambda : lambdas) {
    std::vector<double> mix(cell.err_bp.size());
    for (std::size_t t = 0; t < mix.size(); ++t)
      mix[t] = (1 - lambda) * (1 - lambda) * cell.err_bp[t] + lambda * lambda * cell.err_sg[t] +
               2 * lambda * (1 - lambda) * cross[t];
    result.lambda_points.push_back({lambda, stats::mean(mix), stats::standard_error(mix)});
  }
}

// Stage 1: the current cell (d, k, n) with its per-state and per-λ detail.
CellResult current_cell_stage(const LabJob& job, const expert::ExpertProblem& problem, double end1,
                              ExpertLabResult& result) {
  const ExpertScenario& s = job.s;
  for (int j = 0; j < s.m; ++j) {
    std::uint32_t mask = 0;
    for (int c : problem.coordinates(j)) mask |= std::uint32_t{1} << c;
    result.expert_masks.push_back(mask);
  }
  fill_theory(job, problem, result);
  const WorkControl control = job.context.stage(end1 * 0.5, end1);
  expert::CellDetail detail;
  const CellResult current =
      expert::run_cell_with_detail(problem, job.config, {s.noise_case, s.n}, job.threads, &control, detail);
  const std::size_t R = problem.states();
  result.state_err_bp.resize(R);
  result.state_err_sg.resize(R);
  for (std::size_t r = 0; r < R; ++r) {
    result.state_err_bp[r] = static_cast<float>(detail.state_err_bp[r] / s.trials);
    result.state_err_sg[r] = static_cast<float>(detail.state_err_sg[r] / s.trials);
  }
  result.mse_bp = current.mse_bp;
  result.mse_sg = current.mse_sg;
  result.se_bp = current.se_bp;
  result.se_sg = current.se_sg;
  result.mse_mix = current.mse_mix;
  result.se_mix = current.se_mix;
  result.ratio = current.ratio;
  fill_lambda_points(s, current, detail.cross, result);
  // The same cell is a point of both sweeps below: compute it once.
  job.cache.store(ExpertCellCache::key(s, s.d, s.k, s.n), without_trials(current));
  return without_trials(current);
}

// Stage 2: against n at (d, k), on the same problem instance.
void n_sweep_stage(const LabJob& job, const expert::ExpertProblem& problem, const CellResult& current,
                   const WorkControl& control, ExpertLabResult& result) {
  const ExpertScenario& s = job.s;
  const std::vector<int>& ns = job.plan.ns;
  result.n_cells.assign(ns.size(), CellResult{});
  std::vector<expert::CellSpec> missing;
  std::vector<std::size_t> slots;
  for (std::size_t i = 0; i < ns.size(); ++i) {
    if (ns[i] == s.n) {
      result.n_cells[i] = current;
    } else if (!job.cache.find(ExpertCellCache::key(s, s.d, s.k, ns[i]), result.n_cells[i])) {
      missing.push_back({s.noise_case, ns[i]});
      slots.push_back(i);
    }
  }
  const std::vector<CellResult> cells = expert::run_cells(problem, job.config, missing, job.threads, &control);
  for (std::size_t j = 0; j < cells.size(); ++j) {
    result.n_cells[slots[j]] = without_trials(cells[j]);
    job.cache.store(ExpertCellCache::key(s, s.d, s.k, ns[slots[j]]), result.n_cells[slots[j]]);
  }
  if (!result.has_theory) return;
  // The dense curves from the closed form at n = 1: in every noise case both
  // variances scale as 1/n and the leak bias does not depend on n
  // (closed_form.hpp, crossover_n), so mse_bp(n) = A/n and mse_sg(n) = V/n + bias².
  // One pass over the states instead of one per grid point (a knob change at
  // d = 12 spent ~8 % of its CPU, serially, on these); equal to closed_form(n)
  // up to rounding, and only the plots read them.
  const expert::ClosedForm& one = result.theory_at_one;
  const int n_max = std::max(64, ns.back() * 2);
  for (double x = 1.0; x <= n_max * 1.0001; x *= std::pow(2.0, 0.25)) {
    const int n = static_cast<int>(std::lround(x));
    if (!result.n_theory_grid.empty() && n == static_cast<int>(result.n_theory_grid.back())) continue;
    const double nn = static_cast<double>(n);
    result.n_theory_grid.push_back(n);
    result.n_theory_bp.push_back(one.mse_bp / nn);
    result.n_theory_sg.push_back(one.sg_var / nn + one.sg_bias2);
  }
}

// Stage 3, one phase: the d-sweep cells of the plan's k indices `kis` that the
// cache lacks, one cell per thread (most are small). Fills by_k.
void d_sweep_phase(const LabJob& job, const std::vector<std::size_t>& kis, const WorkControl& control,
                   std::vector<std::vector<CellResult>>& by_k) {
  const ExpertScenario& s = job.s;
  struct Item {
    std::size_t ki;
    int d;
    std::size_t slot;
  };
  std::vector<Item> items;
  for (std::size_t ki : kis) {
    const std::vector<int>& dims = job.plan.dims[ki];
    by_k[ki].resize(dims.size());
    for (std::size_t di = 0; di < dims.size(); ++di)
      if (!job.cache.find(ExpertCellCache::key(s, dims[di], job.plan.ks[ki], s.n), by_k[ki][di]))
        items.push_back({ki, dims[di], di});
  }
  WorkControl cell_control;  // per cell: cancellation only; progress counts finished cells
  cell_control.cancel = control.cancel;
  parallel_for(
      items.size(), job.threads,
      [&](std::size_t i) {
        const Item& it = items[i];
        const int k = job.plan.ks[it.ki];
        const auto problem = job.cache.problem({it.d, k, s.m, s.leak, s.seed}, 1, &cell_control);
        CellResult cell =
            without_trials(expert::run_cells(*problem, job.config, {{s.noise_case, s.n}}, 1, &cell_control).front());
        job.cache.store(ExpertCellCache::key(s, it.d, k, s.n), cell);
        by_k[it.ki][it.slot] = std::move(cell);
      },
      &control);
}

// The progress weight of the d-sweep cells the cache lacks for k index ki.
double d_sweep_weight(const LabJob& job, std::size_t ki) {
  double w = 0.0;
  for (int d : job.plan.dims[ki])
    if (!job.cache.contains(ExpertCellCache::key(job.s, d, job.plan.ks[ki], job.s.n))) w += weight_of(d) * 1.2;
  return w;
}

// Stage 3: against d, for k − 1, k, k + 1 — the chosen k first (its line and the
// MSE-against-d plot, published on its own), then its neighbours.
void d_sweep_stage(const LabJob& job, double done, double total, ExpertLabResult& result,
                   const std::function<void(std::shared_ptr<const ExpertLabResult>)>& publish) {
  const std::vector<int>& ks = job.plan.ks;
  const std::size_t chosen = static_cast<std::size_t>(std::find(ks.begin(), ks.end(), job.s.k) - ks.begin());
  std::vector<std::size_t> neighbours;
  for (std::size_t ki = 0; ki < ks.size(); ++ki)
    if (ki != chosen) neighbours.push_back(ki);
  std::vector<std::vector<CellResult>> by_k(ks.size());
  const std::vector<std::size_t> phases[2] = {{chosen}, neighbours};
  for (int phase = 0; phase < 2; ++phase) {
    double w = 0.0;
    for (std::size_t ki : phases[phase]) w += d_sweep_weight(job, ki);
    d_sweep_phase(job, phases[phase], job.context.stage(done / total, (done + w) / total), by_k);
    done += w;
    job.context.throw_if_cancelled();
    result.sweep_ks.clear();
    result.d_cells.clear();
    for (std::size_t ki = 0; ki < ks.size(); ++ki) {
      if (by_k[ki].empty()) continue;  // not computed yet (first phase)
      result.sweep_ks.push_back(ks[ki]);
      result.d_cells.push_back(by_k[ki]);
    }
    result.elapsed_ms = job.elapsed_ms();
    if (phase == 0 && !neighbours.empty()) job.publish_copy(result, publish);
  }
}

}  // namespace

std::vector<int> lab_sweep_ks(const ExpertScenario& s) { return expert::lab_plan(s.d, s.k, s.n, s.leak).ks; }

std::vector<int> lab_sweep_dims(const ExpertScenario& s, int k) { return expert::lab_sweep_dims(s.d, k, s.leak); }

std::vector<int> lab_sweep_ns(const ExpertScenario& s) { return expert::lab_plan(s.d, s.k, s.n, s.leak).ns; }

void compute_expert_lab(const ExpertScenario& s, int threads, const JobContext& context,
                        const std::function<void(std::shared_ptr<const ExpertLabResult>)>& publish,
                        ExpertCellCache* cache) {
  expert::validate(s);
  ExpertCellCache local_cache;  // without a caller's cache, this job's own
  const LabJob job{s, expert::sweep_config_of(s), expert::lab_plan(s.d, s.k, s.n, s.leak), threads, context,
                   cache != nullptr ? *cache : local_cache};

  // Progress weights: roughly the states each stage touches.
  const double w1 = weight_of(s.d) * 2.0;
  const double w2 = weight_of(s.d) * 0.7 * static_cast<double>(job.plan.ns.size() - 1);
  double w3 = 0.0;
  for (const auto& dims : job.plan.dims)
    for (int d : dims) w3 += weight_of(d) * 1.2;
  const double total = w1 + w2 + w3;
  const double end1 = w1 / total, end2 = (w1 + w2) / total;

  ExpertLabResult result;
  result.scenario = s;
  result.d = s.d;
  result.k = s.k;
  result.m = s.m;
  result.class_size = std::ldexp(1.0, s.d - s.k);

  const WorkControl build_control = context.stage(0.0, end1 * 0.5);
  const auto problem = job.cache.problem({s.d, s.k, s.m, s.leak, s.seed}, threads, &build_control);
  const CellResult current = current_cell_stage(job, *problem, end1, result);
  result.stages_done = 1;
  result.elapsed_ms = job.elapsed_ms();
  context.set_progress(end1);
  job.publish_copy(result, publish);

  n_sweep_stage(job, *problem, current, context.stage(end1, end2), result);
  result.stages_done = 2;
  result.elapsed_ms = job.elapsed_ms();
  job.publish_copy(result, publish);

  d_sweep_stage(job, w1 + w2, total, result, publish);
  result.stages_done = 3;
  result.complete = true;
  result.elapsed_ms = job.elapsed_ms();
  job.publish_copy(result, publish);
}

}  // namespace sglab::jobs
