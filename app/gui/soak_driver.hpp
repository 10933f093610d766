#pragma once
// `sglab --soak SECONDS`: the GUI drives itself for a long run (issue
// "Hardening": a soak that would show a leak, a stuck job or a frame-time
// drift). Every few seconds it shows the next lab, restarts the expert and
// DAG jobs with another seed (the running job is cancelled and a new one
// starts; eight seeds in turn, so the bounded caches reach their steady state) and keeps both training labs playing (a finished session is reset
// and played again). Every `log_every_s` it logs the resident memory and the
// frame intervals since the previous line.

#include <cstdio>
#include <string>
#include <vector>

#include "ui/app_shell.hpp"

namespace sglab::gui {

class SoakDriver {
 public:
  /// `log_path` "" logs to stdout only.
  SoakDriver(double seconds, std::string log_path, double log_every_s = 10.0);
  ~SoakDriver();
  SoakDriver(const SoakDriver&) = delete;
  SoakDriver& operator=(const SoakDriver&) = delete;

  /// "" or why the log cannot be written (the soak then does not start).
  const std::string& error() const { return error_; }
  /// Called once per frame, after the shell drew it; true when the soak is over.
  bool on_frame(ui::AppShell& shell, double now_ms, double interval_ms);
  /// The resident set size of this process in MiB (/proc/self/statm), or -1.
  static double resident_mib();

 private:
  void act(ui::AppShell& shell);
  void restart_job(ui::AppShell& shell, const char* lab_id, const char* body_key);
  void keep_training(ui::AppShell& shell);
  void log_line(const ui::AppShell& shell, double elapsed_s);

  double seconds_;
  double log_every_s_;
  std::string error_;
  std::FILE* log_ = nullptr;
  double start_ms_ = -1.0;
  double next_action_s_ = 0.0;
  double next_log_s_ = 0.0;
  long action_ = 0;
  unsigned long long restarts_ = 0;
  std::vector<double> intervals_;  ///< since the last log line
  std::vector<double> rss_samples_;
};

}  // namespace sglab::gui
