#include "core/expert/expert_cell.hpp"

#include "core/rng/counter_rng.hpp"
#include "core/stats/summary_stats.hpp"

namespace sglab::expert {

namespace {
enum : std::uint64_t { kTrialNoiseStream = 11, kBootstrapStream = 12 };
}  // namespace

std::uint64_t trial_noise_stream(NoiseCase c, int d, int k, int m, int n, Sampling sampling,
                                 std::uint64_t trial) {
  return rng::make_stream(kTrialNoiseStream,
                          {static_cast<std::uint64_t>(c), static_cast<std::uint64_t>(d),
                           static_cast<std::uint64_t>(k), static_cast<std::uint64_t>(m),
                           static_cast<std::uint64_t>(n), static_cast<std::uint64_t>(sampling), trial});
}

std::uint64_t bootstrap_stream(NoiseCase c, int d, int k, int n) {
  return rng::make_stream(kBootstrapStream,
                          {static_cast<std::uint64_t>(c), static_cast<std::uint64_t>(d),
                           static_cast<std::uint64_t>(k), static_cast<std::uint64_t>(n)});
}

TrialSpec cell_trial_spec(const SweepConfig& config, NoiseCase c, int n) {
  TrialSpec spec;
  spec.noise_case = c;
  spec.noise = config.noise;
  spec.n = n;
  spec.sampling = config.sampling;
  spec.random_samples = config.random_samples;
  spec.fallback = config.fallback;
  spec.lambda = config.lambda;
  return spec;
}

CellTheory cell_theory(const ExpertProblem& problem, const SweepConfig& config, NoiseCase c, int n) {
  const ClosedFormBase base = closed_form_base(problem);
  return {closed_form(problem, base, c, config.noise, n),
          crossover_n_from(closed_form(problem, base, c, config.noise, 1))};
}

CellResult summarize_cell(const ExpertProblem& problem, const SweepConfig& config, NoiseCase c,
                          int n, const std::vector<TrialErrors>& errors) {
  if (config.sampling != Sampling::kEveryState)
    return summarize_cell(problem.d(), problem.k(), problem.m(), config, c, n, errors, nullptr);
  const CellTheory theory = cell_theory(problem, config, c, n);
  return summarize_cell(problem.d(), problem.k(), problem.m(), config, c, n, errors, &theory);
}

CellResult summarize_cell(int d, int k, int m, const SweepConfig& config, NoiseCase c, int n,
                          const std::vector<TrialErrors>& errors, const CellTheory* theory) {
  CellResult cell;
  cell.noise_case = c;
  cell.d = d;
  cell.k = k;
  cell.m = m;
  cell.n = n;
  cell.total_samples = config.sampling == Sampling::kRandom ? config.random_samples * n
                                                            : (std::int64_t{1} << d) * n;
  cell.trials = static_cast<int>(errors.size());
  for (const TrialErrors& e : errors) {
    cell.err_bp.push_back(e.bp);
    cell.err_sg.push_back(e.sg);
    cell.err_mix.push_back(e.mix);
  }
  cell.mse_bp = stats::mean(cell.err_bp);
  cell.mse_sg = stats::mean(cell.err_sg);
  cell.mse_mix = stats::mean(cell.err_mix);
  cell.se_bp = stats::standard_error(cell.err_bp);
  cell.se_sg = stats::standard_error(cell.err_sg);
  cell.se_mix = stats::standard_error(cell.err_mix);
  cell.ratio = stats::paired_bootstrap_ratio(cell.err_bp, cell.err_sg, config.bootstrap_resamples,
                                             config.seed, bootstrap_stream(c, cell.d, cell.k, n));
  if (theory != nullptr) {
    cell.has_theory = true;
    cell.theory = theory->form;
    cell.theory_crossover_n = theory->crossover_n;
  }
  return cell;
}

}  // namespace sglab::expert
