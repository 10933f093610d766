#include "core/expert/expert_plan.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>

#include "core/expert/closed_form.hpp"
#include "core/expert/trial_estimators.hpp"

namespace sglab::expert {

namespace {

// Hands each concurrent trial batch its own buffers; at most `threads` are in use.
class ScratchPool {
 public:
  TrialScratch acquire() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (free_.empty()) return {};
    TrialScratch s = std::move(free_.back());
    free_.pop_back();
    return s;
  }
  void release(TrialScratch s) {
    std::lock_guard<std::mutex> lock(mutex_);
    free_.push_back(std::move(s));
  }

 private:
  std::mutex mutex_;
  std::vector<TrialScratch> free_;
};

std::uint64_t trial_stream(const ExpertProblem& problem, const SweepConfig& config, CellSpec cell,
                           std::size_t trial) {
  return trial_noise_stream(cell.noise_case, problem.d(), problem.k(), config.m, cell.n,
                            config.sampling, trial);
}

}  // namespace

std::vector<PlanGroup> sweep_plan(const SweepConfig& config) {
  std::vector<PlanGroup> groups;
  for (int k : config.ks) {
    for (int d : config.dims) {
      PlanGroup group{d, k, {}};
      for (NoiseCase c : config.cases)
        for (int n : config.sample_sizes) group.cells.push_back({c, n});
      groups.push_back(std::move(group));
    }
  }
  return groups;
}

std::vector<int> lab_sweep_dims(int d, int k, double leak) {
  // The paper's range 4..12, widened to reach the chosen d, never below k.
  // A leak reads a coordinate the expert does not see, so it needs d > k.
  const int lo = std::max({std::min(4, d), k + (leak > 0.0 ? 1 : 0), 2});
  const int hi = std::max(12, d);
  std::vector<int> dims;
  for (int dd = lo; dd <= hi; ++dd) dims.push_back(dd);
  return dims;
}

LabPlan lab_plan(int d, int k, int n, double leak) {
  LabPlan plan;
  for (int kk = k - 1; kk <= k + 1; ++kk)
    if (kk >= 1 && kk <= d) plan.ks.push_back(kk);
  for (int kk : plan.ks) plan.dims.push_back(lab_sweep_dims(d, kk, leak));
  // Four Monte Carlo points over 1.5 decades (the closed-form curve is dense).
  plan.ns = {1, 3, 10, 30};
  plan.ns.push_back(n);
  std::sort(plan.ns.begin(), plan.ns.end());
  plan.ns.erase(std::unique(plan.ns.begin(), plan.ns.end()), plan.ns.end());
  return plan;
}

namespace {

// One pool item: a batch of trials of one cell, or the closed forms of one
// (group, case) (closed_form at n = 1 for the crossover, then each n of the case).
struct PoolItem {
  std::size_t group,
      cell;  ///< cell: index into the group's cells (trial batches) or its first cell of the case
  std::size_t first_trial;  ///< trial batches only
  bool theory;
  double cost;  ///< for ordering only (bigger first keeps every core busy at the end)
};

// The work of run_groups in one pool, with no barrier before the summaries: a
// cell is summarised (bootstrap included) by the worker that completes the
// last item it needs (its trial batches and its case's closed forms), while
// other workers still run trials. A summary reads only its own cell's slots,
// so its bytes do not depend on which worker runs it or when.
class GroupPool {
 public:
  GroupPool(const std::vector<const ExpertProblem*>& problems, const SweepConfig& config,
            const std::vector<const std::vector<CellSpec>*>& cells, int threads)
      : problems_(problems), config_(config), cells_(cells),
        trials_(static_cast<std::size_t>(config.trials)),
        with_theory_(config.sampling == Sampling::kEveryState), errors_(problems.size()),
        theory_(problems.size()), out_(problems.size()), base_once_(problems.size()),
        bases_(problems.size()) {
    std::size_t total = 0;
    for (std::size_t g = 0; g < problems.size(); ++g) {
      first_cell_.push_back(total);
      total += cells[g]->size();
    }
    pending_ = std::vector<std::atomic<int>>(total);
    choose_trials_per_item(resolve_thread_count(threads));
    for (std::size_t g = 0; g < problems.size(); ++g) plan_group(g);
    // Larger items first; ties keep their order, so the schedule is a pure function of the plan.
    std::stable_sort(items_.begin(), items_.end(),
                     [](const PoolItem& a, const PoolItem& b) { return a.cost > b.cost; });
  }

  std::size_t size() const { return items_.size(); }
  void run(std::size_t i) {
    const PoolItem& item = items_[i];
    if (item.theory)
      run_theory(item);
    else
      run_trials(item);
  }
  std::vector<std::vector<CellResult>> take() { return std::move(out_); }

 private:
  // Every-state sampling on instances whose per-state arrays outgrow the
  // caches (d ≥ 16: ≥ 11 MB at m = 5): eight trials per item, one pass over
  // the states for both lane sets (every_state_lanes.hpp). Otherwise four,
  // the finer items that keep two workers even on the lab's small instances.
  // Eight-trial items only while they are at least one per worker: d = 20
  // with 20 trials makes 9 trial items (6 of eight trials, 3 of four), and
  // on 16 cores the ~125 ms eight-trial items would set the end: ~7x at
  // most. Four-trial items make 15, one per core. Never below four: a lane
  // set is four trials wide, fewer would idle lanes.
  // A trial's errors do not depend on the batch it runs in (each lane is
  // its own trial: ExpertEngine.LaneKernelEqualsReferenceBitForBit), so the
  // bytes are the same for every thread count
  // (ExpertTheory.SweepIsTheSameWhenManyThreadsSplitTrialsFiner).
  void choose_trials_per_item(int threads) {
    std::size_t eight_trial_items = 0;
    for (std::size_t g = 0; g < problems_.size(); ++g)
      if (takes_eight_trials(g)) eight_trial_items += cells_[g]->size() * ((trials_ + kMaxTrialPass - 1) / kMaxTrialPass);
    passes_of_eight_ = eight_trial_items >= static_cast<std::size_t>(threads);
  }
  bool takes_eight_trials(std::size_t g) const {
    return with_theory_ && problems_[g]->states() >= (std::size_t{1} << 16);
  }
  std::size_t trials_per_item(std::size_t g) const {
    return static_cast<std::size_t>(passes_of_eight_ && takes_eight_trials(g) ? kMaxTrialPass : kMaxTrialBatch);
  }

  void plan_group(std::size_t g) {
    const std::vector<CellSpec>& group = *cells_[g];
    const std::size_t per_item = trials_per_item(g);
    const double states = static_cast<double>(problems_[g]->states());
    errors_[g].resize(group.size() * trials_);
    theory_[g].resize(group.size());
    out_[g].resize(group.size());
    for (std::size_t c = 0; c < group.size(); ++c) {
      int needs = 0;
      // Costs in units of one four-trial pass over the states. A pass of the
      // activation case draws one word per draw and no normals: about 3/4 of
      // the other cases' (d = 20: 120 against 160–190 ms per eight trials).
      const double case_weight = group[c].noise_case == NoiseCase::kActivation ? 0.75 : 1.0;
      for (std::size_t first = 0; first < trials_; first += per_item, ++needs) {
        const double share = static_cast<double>(std::min(per_item, trials_ - first)) / kMaxTrialBatch;
        items_.push_back({g, c, first, false, states * share * case_weight});
      }
      if (with_theory_) ++needs;  // the closed forms of its case
      bool first_of_case = with_theory_;
      std::size_t forms = 0;  // closed forms the case's theory item computes: one per cell
      for (std::size_t e = 0; e < group.size(); ++e) {
        if (group[e].noise_case != group[c].noise_case) continue;
        if (e < c) first_of_case = false;
        ++forms;
      }
      // A closed form is one pass over the states without noise: about a
      // quarter of a four-trial pass. The theory items so come after the
      // trial passes, as small items that even out the workers' ends.
      if (first_of_case) items_.push_back({g, c, 0, true, 0.25 * states * static_cast<double>(forms)});
      pending_[first_cell_[g] + c].store(needs, std::memory_order_relaxed);
    }
  }

  void run_theory(const PoolItem& item) {
    const ExpertProblem& problem = *problems_[item.group];
    const std::vector<CellSpec>& group = *cells_[item.group];
    const NoiseCase noise_case = group[item.cell].noise_case;
    // The closed forms' noise-free part, once per instance, by whichever of
    // its cases' theory items runs first (the others wait for it).
    std::call_once(base_once_[item.group], [&] { bases_[item.group] = closed_form_base(problem); });
    const ClosedFormBase& base = bases_[item.group];
    const ClosedForm at_one = closed_form(problem, base, noise_case, config_.noise, 1);
    const double crossover = crossover_n_from(at_one);
    for (std::size_t c = item.cell; c < group.size(); ++c)
      if (group[c].noise_case == noise_case)
        theory_[item.group][c] = {
            group[c].n == 1 ? at_one : closed_form(problem, base, noise_case, config_.noise, group[c].n),
            crossover};
    for (std::size_t c = item.cell; c < group.size(); ++c)
      if (group[c].noise_case == noise_case) done(item.group, c);
  }

  void run_trials(const PoolItem& item) {
    const ExpertProblem& problem = *problems_[item.group];
    const CellSpec cell = (*cells_[item.group])[item.cell];
    const int count = static_cast<int>(std::min(trials_per_item(item.group), trials_ - item.first_trial));
    const TrialSpec spec = cell_trial_spec(config_, cell.noise_case, cell.n);
    std::uint64_t streams[kMaxTrialPass];
    for (int b = 0; b < count; ++b)
      streams[b] = trial_stream(problem, config_, cell, item.first_trial + static_cast<std::size_t>(b));
    TrialScratch scratch = scratch_.acquire();
    run_trial_batch(problem, spec, config_.seed, streams, count, scratch,
                    &errors_[item.group][item.cell * trials_ + item.first_trial]);
    scratch_.release(std::move(scratch));
    done(item.group, item.cell);
  }

  // One item cell (g, c) needs is complete; the last one summarises the cell.
  // acq_rel: the summariser sees every slot the other items wrote.
  void done(std::size_t g, std::size_t c) {
    if (pending_[first_cell_[g] + c].fetch_sub(1, std::memory_order_acq_rel) != 1) return;
    const ExpertProblem& problem = *problems_[g];
    const CellSpec cell = (*cells_[g])[c];
    const auto begin = errors_[g].begin() + static_cast<std::ptrdiff_t>(c * trials_);
    out_[g][c] = summarize_cell(problem.d(), problem.k(), problem.m(), config_, cell.noise_case, cell.n,
                                std::vector<TrialErrors>(begin, begin + static_cast<std::ptrdiff_t>(trials_)),
                                with_theory_ ? &theory_[g][c] : nullptr);
  }

  const std::vector<const ExpertProblem*>& problems_;
  const SweepConfig& config_;
  const std::vector<const std::vector<CellSpec>*>& cells_;
  const std::size_t trials_;
  const bool with_theory_;
  bool passes_of_eight_ = false;  ///< choose_trials_per_item
  std::vector<PoolItem> items_;
  std::vector<std::vector<TrialErrors>> errors_;
  std::vector<std::vector<CellTheory>> theory_;
  std::vector<std::vector<CellResult>> out_;
  std::vector<std::size_t> first_cell_;  ///< flat index of each group's first cell
  std::vector<std::atomic<int>> pending_;  ///< per cell: items still to complete
  std::vector<std::once_flag> base_once_;
  std::vector<ClosedFormBase> bases_;
  ScratchPool scratch_;
};

}  // namespace

std::vector<std::vector<CellResult>> run_groups(
    const std::vector<const ExpertProblem*>& problems, const SweepConfig& config,
    const std::vector<const std::vector<CellSpec>*>& cells, int threads,
    const WorkControl* control) {
  GroupPool pool(problems, config, cells, threads);
  parallel_for(pool.size(), threads, [&](std::size_t i) { pool.run(i); }, control);
  return pool.take();
}

std::vector<CellResult> run_cells(const ExpertProblem& problem, const SweepConfig& config,
                                  const std::vector<CellSpec>& cells, int threads,
                                  const WorkControl* control) {
  return run_groups({&problem}, config, {&cells}, threads, control).front();
}

CellResult run_cell_with_detail(const ExpertProblem& problem, const SweepConfig& config,
                                CellSpec cell, int threads, const WorkControl* control,
                                CellDetail& detail) {
  const auto trials = static_cast<std::size_t>(config.trials);
  TrialSpec spec = cell_trial_spec(config, cell.noise_case, cell.n);
  spec.lambda = 0.5;
  const std::size_t R = problem.states();
  constexpr std::size_t kChunks = 4;
  const std::size_t chunks = std::min(kChunks, trials);
  std::vector<TrialErrors> errors(trials);
  std::vector<std::vector<double>> sums_bp(chunks), sums_sg(chunks);
  std::atomic<std::size_t> done{0};
  parallel_for(chunks, threads, [&](std::size_t chunk) {
    TrialScratch scratch;
    StateErrors sums;
    sums.bp.assign(R, 0.0);
    sums.sg.assign(R, 0.0);
    // The chunk's trials chunk, chunk + chunks, …, up to four per pass over
    // the states; each state's errors summed in that trial order.
    for (std::size_t first = chunk; first < trials; first += chunks * kMaxTrialBatch) {
      throw_if_cancelled(control);
      std::uint64_t streams[kMaxTrialBatch];
      std::size_t which[kMaxTrialBatch];
      int count = 0;
      for (std::size_t t = first; t < trials && count < kMaxTrialBatch; t += chunks) {
        which[count] = t;
        streams[count++] = trial_stream(problem, config, cell, t);
      }
      TrialErrors out[kMaxTrialBatch];
      run_trial_batch_with_state_sums(problem, spec, config.seed, streams, count, scratch, out, sums);
      for (int b = 0; b < count; ++b) errors[which[b]] = out[b];
      const std::size_t now = done.fetch_add(static_cast<std::size_t>(count)) + static_cast<std::size_t>(count);
      if (control != nullptr && control->on_progress)
        control->on_progress(static_cast<double>(now) / static_cast<double>(trials));
    }
    sums_bp[chunk] = std::move(sums.bp);
    sums_sg[chunk] = std::move(sums.sg);
  });
  throw_if_cancelled(control);
  detail.state_err_bp.assign(R, 0.0);
  detail.state_err_sg.assign(R, 0.0);
  for (std::size_t c = 0; c < chunks; ++c)
    for (std::size_t r = 0; r < R; ++r) {
      detail.state_err_bp[r] += sums_bp[c][r];
      detail.state_err_sg[r] += sums_sg[c][r];
    }
  const double lambda = config.lambda;
  detail.cross.clear();
  for (auto& e : errors) {
    detail.cross.push_back(2.0 * e.mix - 0.5 * (e.bp + e.sg));
    e.mix = (1 - lambda) * (1 - lambda) * e.bp + lambda * lambda * e.sg +
            2 * lambda * (1 - lambda) * detail.cross.back();
  }
  return summarize_cell(problem, config, cell.noise_case, cell.n, errors);
}

}  // namespace sglab::expert
