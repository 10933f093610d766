#include "core/jobs/expert_cell_cache.hpp"

#include <cstdio>

namespace sglab::jobs {

using expert::CellResult;
using expert::ExpertScenario;

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
  ++hits_;
  out = it->second;
  return true;
}

bool ExpertCellCache::contains(const std::string& key) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return cells_.count(key) > 0;
}

std::size_t ExpertCellCache::hits() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return hits_;
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

}  // namespace sglab::jobs
