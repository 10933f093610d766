#include "app/gui/soak_driver.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "app/gui/frame_log.hpp"
#include "ui/bandit/bandit_lab.hpp"
#include "ui/dynamics/dynamics_lab.hpp"

namespace sglab::gui {

namespace {

constexpr double kActionEveryS = 3.0;
constexpr long kSeedsInTurn = 8;

}  // namespace

SoakDriver::SoakDriver(double seconds, std::string log_path, double log_every_s)
    : seconds_(seconds), log_every_s_(log_every_s) {
  if (log_path.empty()) return;
  log_ = std::fopen(log_path.c_str(), "w");
  if (log_ == nullptr) {
    error_ = "cannot write the soak log \"" + log_path + "\": " + std::strerror(errno);
    return;
  }
  std::fprintf(log_, "elapsed_s,rss_mib,frames,interval_p50_ms,interval_p99_ms,interval_max_ms,job_restarts,lab\n");
}

SoakDriver::~SoakDriver() {
  if (log_ != nullptr) std::fclose(log_);
}

double SoakDriver::resident_mib() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return -1.0;
  unsigned long size = 0, resident = 0;
  const bool ok = std::fscanf(f, "%lu %lu", &size, &resident) == 2;
  std::fclose(f);
  if (!ok) return -1.0;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

// A new seed in the lab's body: the lab cancels its running job (if any) and starts
// the new one, which is exactly what a user moving the seed slider does.
void SoakDriver::restart_job(ui::AppShell& shell, const char* lab_id, const char* body_key) {
  ui::Lab* lab = shell.lab(lab_id);
  if (lab == nullptr) return;
  config::Scenario scenario = shell.current_scenario();
  auto body = scenario.bodies.find(body_key);
  if (body == scenario.bodies.end() || !body->second.contains("seed")) return;
  // Eight seeds in turn: the labs' caches (bounded, core/jobs/expert_cell_cache.hpp)
  // fill within minutes, so memory that still grows after that is a leak.
  body->second["seed"] = static_cast<unsigned long long>(action_ / 3 % kSeedsInTurn);
  lab->load(scenario);
  ++restarts_;
}

// Both training labs play all the time; a finished (or diverged) session starts again.
void SoakDriver::keep_training(ui::AppShell& shell) {
  if (auto* dynamics = dynamic_cast<ui::DynamicsLab*>(shell.lab("dynamics")); dynamics && !dynamics->playing()) {
    dynamics->reset();
    dynamics->set_playing(true);
  }
  if (auto* bandit = dynamic_cast<ui::BanditLab*>(shell.lab("bandit")); bandit && !bandit->playing()) {
    bandit->reset();
    bandit->set_playing(true);
  }
}

void SoakDriver::act(ui::AppShell& shell) {
  const auto& labs = shell.labs();
  switch (action_ % 3) {
    case 0: shell.select_lab(labs[static_cast<std::size_t>(action_ / 3) % labs.size()]->id()); break;
    case 1: restart_job(shell, "expert", "expert"); break;
    case 2: restart_job(shell, "dag", "dag"); break;
  }
  keep_training(shell);
  ++action_;
}

void SoakDriver::log_line(const ui::AppShell& shell, double elapsed_s) {
  const double rss = resident_mib();
  rss_samples_.push_back(rss);
  const double p50 = FrameLog::percentile(intervals_, 50), p99 = FrameLog::percentile(intervals_, 99);
  double max = 0.0;
  for (double v : intervals_) max = v > max ? v : max;
  const char* lab = shell.active_lab().id();
  std::printf("sglab: soak %6.0f s: RSS %7.1f MiB, %zu frames, interval p50 %.1f ms, p99 %.1f ms, max %.1f ms, "
              "%llu job restarts, showing %s\n",
              elapsed_s, rss, intervals_.size(), p50, p99, max, restarts_, lab);
  std::fflush(stdout);
  if (log_ != nullptr) {
    std::fprintf(log_, "%.0f,%.1f,%zu,%.2f,%.2f,%.2f,%llu,%s\n", elapsed_s, rss, intervals_.size(), p50, p99, max,
                 restarts_, lab);
    std::fflush(log_);
  }
  intervals_.clear();
}

bool SoakDriver::on_frame(ui::AppShell& shell, double now_ms, double interval_ms) {
  if (start_ms_ < 0.0) {
    start_ms_ = now_ms;
    log_line(shell, 0.0);
    next_log_s_ = log_every_s_;
    next_action_s_ = kActionEveryS;
    keep_training(shell);
    return false;
  }
  intervals_.push_back(interval_ms);
  const double elapsed_s = (now_ms - start_ms_) / 1000.0;
  if (elapsed_s >= next_action_s_) {
    act(shell);
    next_action_s_ += kActionEveryS;
  }
  const bool over = elapsed_s >= seconds_;
  if (elapsed_s >= next_log_s_ || over) {
    log_line(shell, elapsed_s);
    next_log_s_ += log_every_s_;
  }
  return over;
}

}  // namespace sglab::gui
