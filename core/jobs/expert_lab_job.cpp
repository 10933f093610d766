#include "core/jobs/expert_lab_job.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>

#include "core/expert/expert_cell.hpp"
#include "core/expert/expert_problem.hpp"
#include "core/expert/trial_estimators.hpp"
#include "core/stats/summary_stats.hpp"

namespace sglab::jobs {

namespace {

using expert::CellResult;
using scenario::ExpertScenario;

double weight_of(int d) { return std::ldexp(1.0, d); }

// The scenario's knobs as the core's sweep settings (for summarize_cell).
expert::SweepConfig sweep_config_of(const ExpertScenario& s) {
  expert::SweepConfig c;
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

// The very trials the CLI sweep draws for the same cell (core/expert/expert_cell.hpp).
std::uint64_t trial_stream(const ExpertScenario& s, int d, int k, int n, int t) {
  return expert::trial_noise_stream(s.noise_case, d, k, s.m, n, s.sampling, static_cast<std::uint64_t>(t));
}

// One (d, k, n) cell on an already built problem, exactly as run_sweep computes
// it (same trial and bootstrap streams), except that the trials run at λ = ½:
// with e_BP, e_SG the error vectors, ||(1−λ)e_BP + λe_SG||² =
// (1−λ)²·bp + λ²·sg + 2λ(1−λ)·⟨e_BP, e_SG⟩ and ⟨e_BP, e_SG⟩ = 2·mix(½) − (bp+sg)/2,
// so one trial gives the mixture at every λ. Optionally sums each state's
// errors over the trials (the pooling view). Trials run in a fixed number of
// chunks, so every sum is the same whatever the thread count.
CellResult compute_cell(const expert::ExpertProblem& problem, const ExpertScenario& s, int n, int threads,
                        const WorkControl& control, std::vector<double>* state_bp, std::vector<double>* state_sg,
                        std::vector<double>* cross_out) {
  const int d = problem.d(), k = problem.k();
  const auto trials = static_cast<std::size_t>(s.trials);
  expert::TrialSpec spec = expert::cell_trial_spec(sweep_config_of(s), s.noise_case, n);
  spec.lambda = 0.5;
  const bool per_state = state_bp != nullptr && state_sg != nullptr;
  const std::size_t R = problem.states();
  constexpr std::size_t kChunks = 4;
  const std::size_t chunks = per_state ? std::min(kChunks, trials) : trials;
  std::vector<expert::TrialErrors> errors(trials);
  std::vector<std::vector<double>> sums_bp(per_state ? chunks : 0), sums_sg(per_state ? chunks : 0);
  std::atomic<std::size_t> done{0};
  parallel_for(
      chunks, threads,
      [&](std::size_t chunk) {
        expert::TrialScratch scratch;
        expert::StateErrors states;
        if (per_state) {
          sums_bp[chunk].assign(R, 0.0);
          sums_sg[chunk].assign(R, 0.0);
        }
        for (std::size_t t = chunk; t < trials; t += chunks) {
          control.throw_if_cancelled();
          errors[t] = expert::run_trial(problem, spec, s.seed, trial_stream(s, d, k, n, static_cast<int>(t)), scratch,
                                        per_state ? &states : nullptr);
          if (per_state) {
            for (std::size_t r = 0; r < R && r < states.bp.size(); ++r) {
              sums_bp[chunk][r] += states.bp[r];
              sums_sg[chunk][r] += states.sg[r];
            }
          }
          const std::size_t now = done.fetch_add(1) + 1;
          if (control.on_progress) control.on_progress(static_cast<double>(now) / static_cast<double>(trials));
        }
      },
      &control);
  if (per_state) {
    state_bp->assign(R, 0.0);
    state_sg->assign(R, 0.0);
    for (std::size_t c = 0; c < chunks; ++c)
      for (std::size_t r = 0; r < R; ++r) {
        (*state_bp)[r] += sums_bp[c][r];
        (*state_sg)[r] += sums_sg[c][r];
      }
  }
  std::vector<double> cross;
  std::vector<expert::TrialErrors> at_lambda = errors;
  for (auto& e : at_lambda) {
    cross.push_back(2.0 * e.mix - 0.5 * (e.bp + e.sg));
    e.mix = (1 - s.lambda) * (1 - s.lambda) * e.bp + s.lambda * s.lambda * e.sg +
            2 * s.lambda * (1 - s.lambda) * cross.back();
  }
  CellResult cell = expert::summarize_cell(problem, sweep_config_of(s), s.noise_case, n, at_lambda);
  if (cross_out != nullptr) *cross_out = std::move(cross);
  return cell;
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

std::shared_ptr<const expert::ExpertProblem> ExpertCellCache::problem(const expert::ProblemSpec& spec, int threads,
                                                                      const WorkControl* control) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "%d|%d|%d|%a|%llu", spec.d, spec.k, spec.m, spec.leak,
                static_cast<unsigned long long>(spec.seed));
  const std::string key = buf;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = problems_.find(key);
    if (it != problems_.end()) {
      it->second.last_use = ++clock_;
      return it->second.problem;
    }
  }
  auto built = std::make_shared<const expert::ExpertProblem>(expert::ExpertProblem::build(spec, threads, control));
  std::lock_guard<std::mutex> lock(mutex_);
  Held& held = problems_[key];
  held.problem = built;
  held.last_use = ++clock_;
  held.bytes = expert::ExpertProblem::memory_bytes(spec);
  double total = 0;
  for (const auto& [k, h] : problems_) total += h.bytes;
  while (total > kMaxProblemBytes && problems_.size() > 1) {  // evict the least recently used
    auto oldest = problems_.end();
    for (auto it = problems_.begin(); it != problems_.end(); ++it)
      if (it->first != key && (oldest == problems_.end() || it->second.last_use < oldest->second.last_use)) oldest = it;
    if (oldest == problems_.end()) break;
    total -= oldest->second.bytes;
    problems_.erase(oldest);
  }
  return built;
}

std::size_t ExpertCellCache::problems() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return problems_.size();
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
  // Four Monte Carlo points over 1.5 decades (the closed-form curve is dense).
  std::vector<int> ns = {1, 3, 10, 30};
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
  const double w1 = weight_of(s.d) * 2.0;
  const double w2 = weight_of(s.d) * 0.7 * static_cast<double>(ns.size() - 1);
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
  const WorkControl build_control = context.stage(0.0, end1 * 0.5);
  ExpertCellCache local_cache;  // without a caller's cache, this job's own
  if (cache == nullptr) cache = &local_cache;
  const auto problem_ptr = cache->problem({s.d, s.k, s.m, s.leak, s.seed}, threads, &build_control);

  const expert::ExpertProblem& problem = *problem_ptr;

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

  std::vector<double> state_sum_bp, state_sum_sg, cross;
  const WorkControl trial_control = context.stage(end1 * 0.5, end1);
  CellResult current = compute_cell(problem, s, s.n, threads, trial_control, &state_sum_bp, &state_sum_sg, &cross);
  const std::size_t R = problem.states();
  result->state_err_bp.resize(R);
  result->state_err_sg.resize(R);
  for (std::size_t r = 0; r < R; ++r) {
    result->state_err_bp[r] = static_cast<float>(state_sum_bp[r] / s.trials);
    result->state_err_sg[r] = static_cast<float>(state_sum_sg[r] / s.trials);
  }
  const std::vector<double>& err_bp = current.err_bp;
  const std::vector<double>& err_sg = current.err_sg;
  const auto mix_errors = [&](double lambda) {
    std::vector<double> out(err_bp.size());
    for (std::size_t t = 0; t < out.size(); ++t)
      out[t] = (1 - lambda) * (1 - lambda) * err_bp[t] + lambda * lambda * err_sg[t] +
               2 * lambda * (1 - lambda) * cross[t];
    return out;
  };
  result->mse_bp = current.mse_bp;
  result->mse_sg = current.mse_sg;
  result->se_bp = current.se_bp;
  result->se_sg = current.se_sg;
  result->mse_mix = current.mse_mix;
  result->se_mix = current.se_mix;
  result->ratio = current.ratio;
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
  // The same cell is a point of both sweeps below: compute it once.
  if (cache != nullptr) {
    CellResult stored = current;
    stored.err_bp.clear();
    stored.err_sg.clear();
    stored.err_mix.clear();
    cache->store(ExpertCellCache::key(s, s.d, s.k, s.n), stored);
  }
  result->stages_done = 1;
  result->elapsed_ms = elapsed();
  context.set_progress(end1);
  context.throw_if_cancelled();
  publish(std::make_shared<const ExpertLabResult>(*result));

  // ---- Stage 2: against n, on the same problem instance ----------------------------
  {
    const double per_n = (end2 - end1) / static_cast<double>(ns.size());
    for (std::size_t i = 0; i < ns.size(); ++i) {
      const int n = ns[i];
      CellResult cell;
      if (n == s.n) {
        cell = current;
      } else if (cache == nullptr || !cache->find(ExpertCellCache::key(s, s.d, s.k, n), cell)) {
        const WorkControl control = context.stage(end1 + per_n * i, end1 + per_n * (i + 1));
        cell = compute_cell(problem, s, n, threads, control, nullptr, nullptr, nullptr);
        if (cache != nullptr) {
          CellResult stored = cell;
          stored.err_bp.clear();
          stored.err_sg.clear();
          stored.err_mix.clear();
          cache->store(ExpertCellCache::key(s, s.d, s.k, n), stored);
        }
      }
      cell.err_bp.clear();
      cell.err_sg.clear();
      cell.err_mix.clear();
      result->n_cells.push_back(std::move(cell));
    }
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
  context.throw_if_cancelled();
  publish(std::make_shared<const ExpertLabResult>(*result));

  // ---- Stage 3: against d, for k − 1, k, k + 1 ------------------------------------
  // The chosen k first (its line and the MSE-against-d plot), then its
  // neighbours. Cells run in parallel, one per thread: most are small.
  std::vector<int> order = {s.k};
  for (int k : ks)
    if (k != s.k) order.push_back(k);
  std::vector<std::vector<CellResult>> by_k(ks.size());
  double done = w1 + w2;
  for (std::size_t phase = 0; phase < 2; ++phase) {
    struct Item {
      std::size_t ki;
      int d;
      std::size_t slot;
    };
    std::vector<Item> items;
    std::vector<std::size_t> phase_ks;
    for (std::size_t oi = (phase == 0 ? 0 : 1); oi < (phase == 0 ? 1 : order.size()); ++oi) {
      const std::size_t ki = static_cast<std::size_t>(std::find(ks.begin(), ks.end(), order[oi]) - ks.begin());
      phase_ks.push_back(ki);
      const std::vector<int> dims = lab_sweep_dims(s, ks[ki]);
      by_k[ki].resize(dims.size());
      for (std::size_t di = 0; di < dims.size(); ++di) {
        if (!cache->find(ExpertCellCache::key(s, dims[di], ks[ki], s.n), by_k[ki][di]))
          items.push_back({ki, dims[di], di});
      }
    }
    double w = 0.0;
    for (const auto& it : items) w += weight_of(it.d) * 1.2;
    const WorkControl control = context.stage(done / total, (done + w) / total);
    done += w;
    std::atomic<std::size_t> finished_items{0};
    WorkControl inner;  // per cell: cancellation only, progress counted per finished cell
    inner.cancel = control.cancel;
    parallel_for(
        items.size(), threads,
        [&](std::size_t i) {
          const Item& it = items[i];
          const auto p = cache->problem({it.d, ks[it.ki], s.m, s.leak, s.seed}, 1, &inner);
          CellResult cell = compute_cell(*p, s, s.n, 1, inner, nullptr, nullptr, nullptr);
          cell.err_bp.clear();  // the per-trial errors are not drawn: drop them
          cell.err_sg.clear();
          cell.err_mix.clear();
          cache->store(ExpertCellCache::key(s, it.d, ks[it.ki], s.n), cell);
          by_k[it.ki][it.slot] = std::move(cell);
          const std::size_t now = finished_items.fetch_add(1) + 1;
          if (control.on_progress) control.on_progress(static_cast<double>(now) / static_cast<double>(items.size()));
        },
        &control);
    context.throw_if_cancelled();
    result->sweep_ks.clear();
    result->d_cells.clear();
    for (std::size_t ki = 0; ki < ks.size(); ++ki) {
      if (by_k[ki].empty()) continue;  // not computed yet (phase 0)
      result->sweep_ks.push_back(ks[ki]);
      result->d_cells.push_back(by_k[ki]);
    }
    result->elapsed_ms = elapsed();
    if (phase == 0 && order.size() > 1) publish(std::make_shared<const ExpertLabResult>(*result));
  }
  result->stages_done = 3;
  result->complete = true;
  result->elapsed_ms = elapsed();
  context.throw_if_cancelled();
  publish(std::make_shared<const ExpertLabResult>(*result));
}

}  // namespace sglab::jobs
