#include "core/jobs/expert_lab_job.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>

#include "core/expert/expert_problem.hpp"
#include "core/expert/trial_estimators.hpp"
#include "core/rng/counter_rng.hpp"
#include "core/stats/summary_stats.hpp"

namespace sglab::jobs {

namespace {

using expert::CellResult;
using scenario::ExpertScenario;

// The trial-noise and bootstrap stream tags of core/expert/expert_sweep.cpp:
// stage 1 draws the very trials the sweep draws for the same cell, so its
// numbers agree with the n-sweep's point at the chosen n.
constexpr std::uint64_t kTrialNoiseStream = 11;
constexpr std::uint64_t kBootstrapStream = 12;

expert::SweepConfig base_config(const ExpertScenario& s, int threads) {
  expert::SweepConfig c;
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
  c.threads = threads;
  return c;
}

double weight_of(int d) { return std::ldexp(1.0, d); }

// Runs the sweep over the cells the cache lacks; returns every requested cell
// in order (dims outer, ns inner), or an empty vector when cancelled.
std::vector<CellResult> sweep_cached(const ExpertScenario& s, int threads, int k, const std::vector<int>& dims,
                                     const std::vector<int>& ns, ExpertCellCache* cache,
                                     const WorkControl& control) {
  std::vector<CellResult> out;
  std::vector<int> missing_dims;
  for (int d : dims) {
    bool all = cache != nullptr;
    for (int n : ns) {
      CellResult c;
      if (!all || !cache->find(ExpertCellCache::key(s, d, k, n), c)) all = false;
    }
    if (!all) missing_dims.push_back(d);
  }
  std::map<std::pair<int, int>, CellResult> fresh;
  if (!missing_dims.empty()) {
    expert::SweepConfig c = base_config(s, threads);
    c.dims = missing_dims;
    c.ks = {k};
    c.sample_sizes = ns;
    expert::SweepResult sweep = expert::run_sweep(c, &control);
    if (sweep.cancelled || control.cancelled()) return {};
    for (auto& cell : sweep.cells) {
      if (cache) {
        CellResult stored = cell;
        stored.err_bp.clear();
        stored.err_sg.clear();
        stored.err_mix.clear();
        cache->store(ExpertCellCache::key(s, cell.d, k, cell.n), stored);
      }
      fresh[{cell.d, cell.n}] = std::move(cell);
    }
  }
  for (int d : dims)
    for (int n : ns) {
      auto it = fresh.find({d, n});
      if (it != fresh.end()) {
        out.push_back(std::move(it->second));
      } else {
        CellResult c;
        if (cache && cache->find(ExpertCellCache::key(s, d, k, n), c)) out.push_back(std::move(c));
      }
    }
  return out;
}

}  // namespace

std::string ExpertCellCache::key(const ExpertScenario& s, int d, int k, int n) {
  char buf[512];
  std::snprintf(buf, sizeof buf, "%d|%d|%d|%d|%d|%a|%a|%a|%d|%llu|%d|%lld|%d|%d|%a", static_cast<int>(s.noise_case), d,
                k, s.m, n, s.noise.sigma, s.noise.p, s.noise.tau, s.trials,
                static_cast<unsigned long long>(s.seed), static_cast<int>(s.sampling),
                static_cast<long long>(s.random_samples), static_cast<int>(s.fallback), s.bootstrap_resamples,
                s.leak);
  return buf;
}

bool ExpertCellCache::find(const std::string& key, CellResult& out) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = cells_.find(key);
  if (it == cells_.end()) return false;
  out = it->second;
  return true;
}

void ExpertCellCache::store(const std::string& key, const CellResult& cell) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (cells_.size() >= kMaxCells) cells_.clear();
  cells_[key] = cell;
}

std::size_t ExpertCellCache::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return cells_.size();
}

std::vector<int> lab_sweep_ks(const ExpertScenario& s) {
  std::vector<int> ks;
  for (int k = s.k - 1; k <= s.k + 1; ++k)
    if (k >= 1 && k <= s.d) ks.push_back(k);
  return ks;
}

std::vector<int> lab_sweep_dims(const ExpertScenario& s, int k) {
  // The paper's range 4..12, widened to reach the chosen d, never below k.
  // A leak reads a coordinate the expert does not see, so it needs d > k.
  const int lo = std::max({std::min(4, s.d), k + (s.leak > 0.0 ? 1 : 0), 2});
  const int hi = std::max(12, s.d);
  std::vector<int> dims;
  for (int d = lo; d <= hi; ++d) dims.push_back(d);
  return dims;
}

std::vector<int> lab_sweep_ns(const ExpertScenario& s) {
  std::vector<int> ns = {1, 2, 4, 8, 16, 32};
  ns.push_back(s.n);
  std::sort(ns.begin(), ns.end());
  ns.erase(std::unique(ns.begin(), ns.end()), ns.end());
  return ns;
}

void compute_expert_lab(const ExpertScenario& s, int threads, const JobContext& context,
                        const std::function<void(std::shared_ptr<const ExpertLabResult>)>& publish,
                        ExpertCellCache* cache) {
  scenario::validate(s);
  const auto start = std::chrono::steady_clock::now();
  const auto elapsed = [&] {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  };
  const auto ks = lab_sweep_ks(s);
  const auto ns = lab_sweep_ns(s);

  // Progress weights: roughly the states each stage touches.
  const double w1 = weight_of(s.d) * 3.0;
  double w2 = 0.0;
  for (int n : ns) w2 += weight_of(s.d) * (0.2 + 0.02 * n);
  double w3 = 0.0;
  for (int k : ks)
    for (int d : lab_sweep_dims(s, k)) w3 += weight_of(d) * 1.2;
  const double total = w1 + w2 + w3;
  const double end1 = w1 / total, end2 = (w1 + w2) / total;

  auto result = std::make_shared<ExpertLabResult>();
  result->scenario = s;
  result->d = s.d;
  result->k = s.k;
  result->m = s.m;
  result->class_size = std::ldexp(1.0, s.d - s.k);

  // ---- Stage 1: the current cell -------------------------------------------------
  const WorkControl build_control = context.stage(0.0, end1 * 0.6);
  const expert::ExpertProblem problem =
      expert::ExpertProblem::build({s.d, s.k, s.m, s.leak, s.seed}, threads, &build_control);
  if (!problem.complete() || context.cancelled()) return;

  for (int j = 0; j < s.m; ++j) {
    std::uint32_t mask = 0;
    for (int c : problem.coordinates(j)) mask |= std::uint32_t{1} << c;
    result->expert_masks.push_back(mask);
  }

  result->has_theory = s.sampling == expert::Sampling::kEveryState;
  if (result->has_theory) {
    result->theory = expert::closed_form(problem, s.noise_case, s.noise, s.n);
    result->crossover_n = expert::crossover_n(problem, s.noise_case, s.noise);
    result->lambda_star = result->theory.lambda_star();
    for (int i = 0; i <= 100; ++i) {
      const double lambda = i / 100.0;
      result->lambda_grid.push_back(lambda);
      result->lambda_theory.push_back(result->theory.mse_at(lambda));
    }
  }

  // Monte Carlo trials of the current cell. One trial at λ = ½ gives the
  // mixture's error at every λ: with e_BP, e_SG the error vectors,
  //   ||(1−λ)e_BP + λe_SG||² = (1−λ)²·bp + λ²·sg + 2λ(1−λ)·⟨e_BP, e_SG⟩,
  // and ⟨e_BP, e_SG⟩ = 2·mix(½) − (bp + sg)/2.
  const std::size_t R = problem.states();
  std::vector<double> sum_bp(R, 0.0), sum_sg(R, 0.0);
  std::vector<double> err_bp, err_sg, cross;
  expert::TrialScratch scratch;
  expert::StateErrors per_state;
  expert::TrialSpec spec;
  spec.noise_case = s.noise_case;
  spec.noise = s.noise;
  spec.n = s.n;
  spec.sampling = s.sampling;
  spec.random_samples = s.random_samples;
  spec.fallback = s.fallback;
  spec.lambda = 0.5;
  for (int t = 0; t < s.trials; ++t) {
    if (context.cancelled()) return;
    const std::uint64_t stream = rng::make_stream(
        kTrialNoiseStream,
        {static_cast<std::uint64_t>(s.noise_case), static_cast<std::uint64_t>(s.d),
         static_cast<std::uint64_t>(s.k), static_cast<std::uint64_t>(s.m),
         static_cast<std::uint64_t>(s.n), static_cast<std::uint64_t>(s.sampling),
         static_cast<std::uint64_t>(t)});
    const expert::TrialErrors e = expert::run_trial(problem, spec, s.seed, stream, scratch, &per_state);
    err_bp.push_back(e.bp);
    err_sg.push_back(e.sg);
    cross.push_back(2.0 * e.mix - 0.5 * (e.bp + e.sg));
    for (std::size_t r = 0; r < R && r < per_state.bp.size(); ++r) {
      sum_bp[r] += per_state.bp[r];
      sum_sg[r] += per_state.sg[r];
    }
    context.set_progress(end1 * (0.6 + 0.4 * (t + 1) / s.trials));
  }
  result->state_err_bp.resize(R);
  result->state_err_sg.resize(R);
  for (std::size_t r = 0; r < R; ++r) {
    result->state_err_bp[r] = static_cast<float>(sum_bp[r] / s.trials);
    result->state_err_sg[r] = static_cast<float>(sum_sg[r] / s.trials);
  }
  const auto mix_errors = [&](double lambda) {
    std::vector<double> out(err_bp.size());
    for (std::size_t t = 0; t < out.size(); ++t)
      out[t] = (1 - lambda) * (1 - lambda) * err_bp[t] + lambda * lambda * err_sg[t] +
               2 * lambda * (1 - lambda) * cross[t];
    return out;
  };
  result->mse_bp = stats::mean(err_bp);
  result->mse_sg = stats::mean(err_sg);
  result->se_bp = stats::standard_error(err_bp);
  result->se_sg = stats::standard_error(err_sg);
  {
    const auto mix = mix_errors(s.lambda);
    result->mse_mix = stats::mean(mix);
    result->se_mix = stats::standard_error(mix);
  }
  result->ratio = stats::paired_bootstrap_ratio(
      err_bp, err_sg, s.bootstrap_resamples, s.seed,
      rng::make_stream(kBootstrapStream,
                       {static_cast<std::uint64_t>(s.noise_case), static_cast<std::uint64_t>(s.d),
                        static_cast<std::uint64_t>(s.k), static_cast<std::uint64_t>(s.n)}));
  std::vector<double> lambdas = {0.0, 0.2, 0.4, 0.6, 0.8, 1.0, s.lambda};
  if (result->has_theory) lambdas.push_back(result->lambda_star);
  std::sort(lambdas.begin(), lambdas.end());
  lambdas.erase(std::unique(lambdas.begin(), lambdas.end(),
                            [](double a, double b) { return std::abs(a - b) < 1e-9; }),
                lambdas.end());
  for (double lambda : lambdas) {
    const auto mix = mix_errors(lambda);
    result->lambda_points.push_back({lambda, stats::mean(mix), stats::standard_error(mix)});
  }
  result->stages_done = 1;
  result->elapsed_ms = elapsed();
  context.set_progress(end1);
  publish(std::make_shared<const ExpertLabResult>(*result));

  // ---- Stage 2: against n ---------------------------------------------------------
  {
    const WorkControl control = context.stage(end1, end2);
    std::vector<CellResult> cells = sweep_cached(s, threads, s.k, {s.d}, ns, cache, control);
    if (cells.empty() || context.cancelled()) return;
    result->n_cells = std::move(cells);
    if (result->has_theory) {
      const int n_max = std::max(64, ns.back() * 2);
      for (double x = 1.0; x <= n_max * 1.0001; x *= std::pow(2.0, 0.25)) {
        const int n = static_cast<int>(std::lround(x));
        if (!result->n_theory_grid.empty() && n == static_cast<int>(result->n_theory_grid.back()))
          continue;
        const expert::ClosedForm cf = expert::closed_form(problem, s.noise_case, s.noise, n);
        result->n_theory_grid.push_back(n);
        result->n_theory_bp.push_back(cf.mse_bp);
        result->n_theory_sg.push_back(cf.mse_sg());
      }
    }
  }
  result->stages_done = 2;
  result->elapsed_ms = elapsed();
  publish(std::make_shared<const ExpertLabResult>(*result));

  // ---- Stage 3: against d, for k − 1, k, k + 1 ------------------------------------
  double done = w1 + w2;
  for (int k : ks) {
    const std::vector<int> dims = lab_sweep_dims(s, k);
    double w = 0.0;
    for (int d : dims) w += weight_of(d) * 1.2;
    const WorkControl control = context.stage(done / total, (done + w) / total);
    done += w;
    std::vector<CellResult> cells = sweep_cached(s, threads, k, dims, {s.n}, cache, control);
    if (cells.empty() || context.cancelled()) return;
    for (auto& cell : cells) {  // the per-trial errors are not drawn: drop them
      cell.err_bp.clear();
      cell.err_sg.clear();
      cell.err_mix.clear();
    }
    result->sweep_ks.push_back(k);
    result->d_cells.push_back(std::move(cells));
    result->elapsed_ms = elapsed();
    publish(std::make_shared<const ExpertLabResult>(*result));
  }
  result->stages_done = 3;
  result->complete = true;
  result->elapsed_ms = elapsed();
  publish(std::make_shared<const ExpertLabResult>(*result));
}

}  // namespace sglab::jobs
