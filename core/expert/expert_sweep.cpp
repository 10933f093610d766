#include "core/expert/expert_sweep.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "core/expert/expert_plan.hpp"
#include "core/expert/expert_problem.hpp"

namespace sglab::expert {

SweepResult run_sweep(const SweepConfig& config, const WorkControl* control,
                      const std::function<void(const std::string&)>& on_line) {
  validate(config);
  SweepResult result;
  result.config = config;
  const int threads = resolve_thread_count(config.threads);
  const std::vector<PlanGroup> plan = sweep_plan(config);
  for (std::size_t g = 0; g < plan.size(); ++g) {
    const PlanGroup& group = plan[g];
    const auto start = std::chrono::steady_clock::now();
    // Progress inside this (k, d) is mapped onto the whole sweep.
    WorkControl inner;
    if (control != nullptr) {
      inner.cancel = control->cancel;
      if (control->on_progress) {
        const double base = static_cast<double>(g) / static_cast<double>(plan.size());
        const double width = 1.0 / static_cast<double>(plan.size());
        inner.on_progress = [&, base, width](double f) { control->on_progress(base + width * f); };
      }
    }
    const ExpertProblem problem =
        ExpertProblem::build({group.d, group.k, config.m, config.leak, config.seed}, threads, &inner);
    std::vector<CellResult> cells = run_cells(problem, config, group.cells, threads, &inner);
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      CellResult& cell = cells[i];
      if (i % config.sample_sizes.size() == 0) {  // each case's first n
        char buf[160];
        std::snprintf(buf, sizeof buf, "  %s n=%d ratio=%.3g [%.3g, %.3g]", to_string(cell.noise_case), cell.n,
                      cell.ratio.ratio, cell.ratio.ci_low, cell.ratio.ci_high);
        line += buf;
      }
      result.cells.push_back(std::move(cell));
    }
    if (on_line) {
      const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      char head[160];
      std::snprintf(head, sizeof head, "[%zu/%zu] k=%d d=%d (2^(d-k)=%g, %.2fs):", g + 1, plan.size(), group.k,
                    group.d, std::ldexp(1.0, group.d - group.k), secs);
      on_line(head + line);
    }
  }
  return result;
}

}  // namespace sglab::expert
