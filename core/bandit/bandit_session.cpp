#include "core/bandit/bandit_session.hpp"

#include <algorithm>

#include "core/bandit/digits_reader.hpp"
#include "core/bandit/run_steps_scheduler.hpp"

namespace sglab::bandit {

namespace {

// Doubles of one run's state (parameters, gradient, two Adam moments; the
// predictors likewise): runs are kept in memory together up to ~1 GB.
constexpr double kRunMemoryBudgetDoubles = 128.0 * 1024 * 1024;

double run_doubles(const BanditConfig& c, int parents, int inputs, int actions) {
  SparseNetShape s;
  s.input_dim = inputs;
  s.n_dim = c.n_dim;
  s.layers = c.layers;
  s.width = c.width;
  s.slots = c.slots;
  s.parents = parents;
  s.actions = actions;
  const double policy = static_cast<double>(s.param_count());
  const double predictor = static_cast<double>(c.layers * c.width) * c.slots * c.n_dim * (s.nd() + 1);
  const double mlp = static_cast<double>(c.mlp_width) * (inputs + c.layers * c.mlp_width + actions);
  return 4.0 * (std::max(policy + predictor, mlp)) + 1.0;
}

int step_cost_rank(Method m) {
  switch (m) {
    case Method::kSgAdaptive: return 0;
    case Method::kSgFixed: return 1;
    case Method::kBackprop: return 2;
    case Method::kMlp: return 3;
  }
  return 3;
}

}  // namespace

double default_policy_lr(const BanditConfig& c, Method m) {
  switch (m) {
    case Method::kBackprop: return c.policy_lr_bp;
    case Method::kMlp: return c.policy_lr_mlp;
    case Method::kSgFixed:
    case Method::kSgAdaptive: return c.policy_lr_sg;
  }
  return c.policy_lr_sg;
}

std::vector<BanditRunSpec> plan_bandit_runs(const BanditConfig& c) {
  std::vector<BanditRunSpec> plan;
  const std::vector<double> lrs = c.policy_lr.empty() ? std::vector<double>{-1.0} : c.policy_lr;
  for (double p : c.p_flip)
    for (std::size_t pi = 0; pi < c.num_parents.size(); ++pi)
      for (double lr : lrs)
        for (Method m : c.methods) {
          if (m == Method::kMlp && pi > 0) continue;
          for (int s = 0; s < c.seeds; ++s)
            plan.push_back({m, static_cast<std::uint64_t>(c.first_seed + s), p, c.num_parents[pi],
                            lr < 0 ? default_policy_lr(c, m) : lr});
        }
  return plan;
}

BanditSession::BanditSession(const BanditConfig& config, int threads, std::size_t max_active_runs, PlanRange runs)
    : config_(config), threads_(resolve_thread_count(threads)) {
  validate(config_);
  plan_ = plan_bandit_runs(config_);
  const std::size_t end = std::min(runs.end, plan_.size());
  plan_begin_ = std::min(runs.begin, end);
  plan_ = std::vector<BanditRunSpec>(plan_.begin() + static_cast<std::ptrdiff_t>(plan_begin_),
                                     plan_.begin() + static_cast<std::ptrdiff_t>(end));
  if (config_.data == DataSource::kDigits) {
    const std::string path = config_.digits_path.empty() ? find_digits_file() : config_.digits_path;
    digits_ = std::make_shared<const DigitsData>(read_digits_file(path));
    data_description_ = "digits " + path + " (" + std::to_string(digits_->labels.size()) + " images)";
  } else {
    data_description_ = "synthetic contexts (" + std::to_string(config_.synthetic_features) + " features, " +
                        std::to_string(config_.synthetic_actions) + " actions)";
  }
  double largest = 1.0;
  for (int p : config_.num_parents)
    largest = std::max(largest, run_doubles(config_, p, input_dim(config_), num_actions(config_)));
  group_size_ = static_cast<std::size_t>(std::clamp(kRunMemoryBudgetDoubles / largest, 1.0, std::max(1.0, static_cast<double>(plan_.size()))));
  if (max_active_runs > 0) group_size_ = std::min(group_size_, max_active_runs);
  results_.resize(plan_.size());
  for (std::size_t i = 0; i < plan_.size(); ++i) results_[i].spec = plan_[i];
  publish();
}

std::shared_ptr<const BanditData> BanditSession::data_for(std::uint64_t seed) {
  auto& slot = data_[seed];
  if (!slot) {
    slot = config_.data == DataSource::kDigits
               ? std::make_shared<const BanditData>(split_digits(*digits_, config_.classes, config_.eval_fraction, seed))
               : std::make_shared<const BanditData>(make_synthetic_data(
                     config_.synthetic_features, config_.synthetic_actions, config_.difficulty,
                     config_.synthetic_train, config_.synthetic_eval, seed));
  }
  return slot;
}

bool BanditSession::finished() const { return next_run_ >= plan_.size() && active_.empty(); }

bool BanditSession::advance(std::int64_t steps_per_run, const WorkControl* control) {
  while (active_.size() < group_size_ && next_run_ < plan_.size()) {
    const BanditRunSpec& spec = plan_[next_run_];
    active_.push_back({next_run_, std::make_unique<BanditRun>(config_, spec, data_for(spec.seed)), 0.0});
    ++next_run_;
  }
  // One run: its neurons share the threads. Several: one thread per run at a
  // time, its steps handed out one by one (run_steps_scheduler.hpp).
  const int inner_threads = active_.size() == 1 ? threads_ : 1;
  std::vector<ScheduledRun> schedule(active_.size());
  for (std::size_t i = 0; i < active_.size(); ++i)
    schedule[i] = {steps_per_run, active_[i].seconds_per_step, step_cost_rank(active_[i].run->spec().method)};
  const bool completed = run_steps_interleaved(
      schedule, active_.size() == 1 ? 1 : threads_,
      [&](std::size_t i) {
        BanditRun& run = *active_[i].run;
        if (!run.finished()) run.step(inner_threads);
        return run.finished();
      },
      control);
  for (std::size_t i = 0; i < active_.size(); ++i) active_[i].seconds_per_step = schedule[i].seconds_per_step;
  for (const ActiveRun& a : active_) {
    results_[a.plan_index].steps_done = a.run->steps_done();
    results_[a.plan_index].evals = a.run->records();
  }
  active_.erase(std::remove_if(active_.begin(), active_.end(), [](const ActiveRun& a) { return a.run->finished(); }),
                active_.end());
  publish();
  if (control != nullptr && control->on_progress) {
    const auto snap = snapshot();
    control->on_progress(static_cast<double>(snap->steps_done) / static_cast<double>(snap->steps_total));
  }
  return completed;
}

void BanditSession::publish() {
  auto snap = std::make_shared<BanditSnapshot>();
  snap->runs = results_;
  for (const auto& r : results_) snap->steps_done += r.steps_done;
  snap->steps_total = static_cast<std::int64_t>(plan_.size()) * config_.steps;
  snap->finished = finished();
  std::lock_guard<std::mutex> lock(snapshot_mutex_);
  snapshot_ = std::move(snap);
}

std::shared_ptr<const BanditSnapshot> BanditSession::snapshot() const {
  std::lock_guard<std::mutex> lock(snapshot_mutex_);
  return snapshot_;
}

}  // namespace sglab::bandit
