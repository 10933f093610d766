#include "core/expert/expert_sweep.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "core/expert/expert_plan.hpp"
#include "core/expert/expert_problem.hpp"

namespace sglab::expert {

namespace {

// Problem instances held at once: several small (k, d) groups share one pool
// of work (so the cores stay busy on d = 4 as on d = 12); a large instance
// runs alone, so peak memory stays that of the largest instance.
constexpr double kWaveBytes = 256.0 * 1024 * 1024;

}  // namespace

SweepResult run_sweep(const SweepConfig& config, const WorkControl* control,
                      const std::function<void(const std::string&)>& on_line) {
  validate(config);
  SweepResult result;
  result.config = config;
  const int threads = resolve_thread_count(config.threads);
  const std::vector<PlanGroup> plan = sweep_plan(config);
  for (std::size_t begin = 0; begin < plan.size();) {
    // The wave: consecutive groups up to the memory budget (at least one).
    std::size_t end = begin;
    double bytes = 0.0;
    while (end < plan.size()) {
      const double more = ExpertProblem::memory_bytes(
          {plan[end].d, plan[end].k, config.m, config.leak, config.seed});
      if (end > begin && bytes + more > kWaveBytes) break;
      bytes += more;
      ++end;
    }
    const auto start = std::chrono::steady_clock::now();
    // Progress inside this wave is mapped onto the whole sweep.
    WorkControl inner;
    if (control != nullptr) {
      inner.cancel = control->cancel;
      if (control->on_progress) {
        const double base = static_cast<double>(begin) / static_cast<double>(plan.size());
        const double width = static_cast<double>(end - begin) / static_cast<double>(plan.size());
        inner.on_progress = [&, base, width](double f) { control->on_progress(base + width * f); };
      }
    }
    std::vector<ExpertProblem> problems(end - begin);
    auto build = [&](std::size_t i, int build_threads) {
      const PlanGroup& group = plan[begin + i];
      problems[i] = ExpertProblem::build({group.d, group.k, config.m, config.leak, config.seed},
                                         build_threads, &inner);
    };
    if (end - begin == 1) {
      build(0, threads);
    } else {
      // Largest instances first, so the wave's last build is a small one and
      // no core waits long on it (each lands in its own slot: order-free).
      std::vector<std::size_t> by_size(end - begin);
      std::iota(by_size.begin(), by_size.end(), std::size_t{0});
      std::stable_sort(by_size.begin(), by_size.end(), [&](std::size_t a, std::size_t b) {
        return plan[begin + a].d > plan[begin + b].d;
      });
      parallel_for(
          end - begin, threads, [&](std::size_t i) { build(by_size[i], 1); }, &inner);
    }
    std::vector<const ExpertProblem*> instances;
    std::vector<const std::vector<CellSpec>*> cells;
    for (std::size_t i = 0; i < problems.size(); ++i) {
      instances.push_back(&problems[i]);
      cells.push_back(&plan[begin + i].cells);
    }
    std::vector<std::vector<CellResult>> done =
        run_groups(instances, config, cells, threads, &inner);
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (std::size_t g = begin; g < end; ++g) {
      std::string line;
      std::vector<CellResult>& group_cells = done[g - begin];
      for (std::size_t i = 0; i < group_cells.size(); ++i) {
        CellResult& cell = group_cells[i];
        if (i % config.sample_sizes.size() == 0) {  // each case's first n
          char buf[160];
          std::snprintf(buf, sizeof buf, "  %s n=%d ratio=%.3g [%.3g, %.3g]",
                        to_string(cell.noise_case), cell.n, cell.ratio.ratio, cell.ratio.ci_low,
                        cell.ratio.ci_high);
          line += buf;
        }
        result.cells.push_back(std::move(cell));
      }
      if (on_line) {
        // Groups of one wave run together: each reports the wave's time.
        char head[160];
        std::snprintf(head, sizeof head, "[%zu/%zu] k=%d d=%d (2^(d-k)=%g, %.2fs):", g + 1,
                      plan.size(), plan[g].k, plan[g].d, std::ldexp(1.0, plan[g].d - plan[g].k),
                      secs);
        on_line(head + line);
      }
    }
    begin = end;
  }
  return result;
}

}  // namespace sglab::expert
