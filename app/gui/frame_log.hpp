#pragma once
// Per-frame timing for `sglab --frame-log FILE`: one CSV row per frame and a
// percentile summary, so the "UI keeps drawing while a job runs" target is
// measured, not guessed.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace sglab::gui {

struct FrameSample {
  double interval_ms = 0.0;  ///< time since the previous frame started
  double work_ms = 0.0;      ///< building + rendering this frame (before the limiter sleeps)
  bool job_busy = false;     ///< a background job was running
  /// CPU time of our own frame code on the UI thread: ImGui::NewFrame through
  /// ImGui::Render (the labs' drawing and ImGui's layout), without the GL
  /// backend and driver (llvmpipe rasterises in RenderDrawData, not counted).
  /// Thread CPU time, so other processes on the machine do not inflate it.
  double own_cpu_ms = 0.0;
  int vertices = 0;          ///< ImDrawData::TotalVtxCount of the frame
  /// Pixels the frame shades (ui/draw_fill.hpp), in millions: its draw data
  /// inside the damaged rectangles (ui/draw_damage.hpp). What the software
  /// rasteriser's time follows.
  double fill_mpx = 0.0;
  /// CPU time of the UI thread over the whole frame: our code, the GL driver's
  /// work on this thread (draw-data upload, buffer swap) and PNG read-backs.
  double ui_thread_cpu_ms = 0.0;
  /// Drawn (its damaged rectangles) and shown (false: identical to the frame on screen, skipped).
  bool redrawn = true;
};

class FrameLog {
 public:
  void add(const FrameSample& s) { samples_.push_back(s); }
  /// The GL driver's own threads' CPU over the logged frames (driver_threads.hpp), for the summary.
  void set_driver_thread_cpu_ms(double ms) { driver_thread_cpu_ms_ = ms; }
  std::size_t size() const { return samples_.size(); }

  static double percentile(std::vector<double> v, double q) {
    if (v.empty()) return 0.0;
    std::sort(v.begin(), v.end());
    const double pos = q / 100.0 * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const auto hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
  }

  /// Writes the CSV (first frame skipped in the summary: it includes start-up).
  /// Returns the one-line summary, or "" after printing an error.
  std::string write(const std::string& path) const {
    FILE* f = std::fopen(path.c_str(), "w");
    if (f == nullptr) {
      std::fprintf(stderr, "sglab: cannot write frame log %s\n", path.c_str());
      return {};
    }
    std::fprintf(f, "frame,interval_ms,work_ms,job_busy,own_cpu_ms,vertices,fill_mpx,ui_thread_cpu_ms,redrawn\n");
    for (std::size_t i = 0; i < samples_.size(); ++i) {
      const auto& s = samples_[i];
      std::fprintf(f, "%zu,%.3f,%.3f,%d,%.3f,%d,%.4f,%.3f,%d\n", i, s.interval_ms, s.work_ms, s.job_busy ? 1 : 0,
                   s.own_cpu_ms, s.vertices, s.fill_mpx, s.ui_thread_cpu_ms, s.redrawn ? 1 : 0);
    }
    std::fclose(f);
    return summary();
  }

  /// "frames N: interval p50/p99/max; our CPU p50/p99; vertices p50/max; frames while a job ran (p99);
  /// fill p50/max; UI thread CPU p50/p99; GL driver threads' CPU per frame".
  /// The first frame is left out: it includes start-up (fonts, first layout,
  /// the GL driver compiling its shaders); so is the second frame's interval,
  /// which is the first frame's duration.
  std::string summary() const {
    std::vector<double> all, busy, cpu, vertices, fill, ui_cpu;
    std::size_t redrawn = 0;
    for (std::size_t i = 1; i < samples_.size(); ++i) {
      const auto& s = samples_[i];
      if (i >= 2) {
        all.push_back(s.interval_ms);
        if (s.job_busy) busy.push_back(s.interval_ms);
      }
      cpu.push_back(s.own_cpu_ms);
      vertices.push_back(static_cast<double>(s.vertices));
      fill.push_back(s.fill_mpx);
      ui_cpu.push_back(s.ui_thread_cpu_ms);
      if (s.redrawn) ++redrawn;
    }
    const auto max_of = [](const std::vector<double>& v) { return v.empty() ? 0.0 : *std::max_element(v.begin(), v.end()); };
    const double frames = static_cast<double>(std::max<std::size_t>(cpu.size(), 1));
    char line[640];
    std::snprintf(line, sizeof line,
                  "frames %zu: interval p50 %.1f ms, p99 %.1f ms, max %.1f ms; our CPU p50 %.2f ms, p99 %.2f ms; "
                  "vertices p50 %.0f, max %.0f; %zu frames while a job ran (p99 %.1f ms); "
                  "fill p50 %.2f Mpx, max %.2f Mpx; UI thread CPU p50 %.2f ms, p99 %.2f ms; "
                  "GL driver threads %.1f ms CPU per frame; %zu frames redrawn (the others equalled the screen)",
                  cpu.size(), percentile(all, 50), percentile(all, 99), max_of(all), percentile(cpu, 50),
                  percentile(cpu, 99), percentile(vertices, 50), max_of(vertices), busy.size(), percentile(busy, 99),
                  percentile(fill, 50), max_of(fill), percentile(ui_cpu, 50), percentile(ui_cpu, 99),
                  driver_thread_cpu_ms_ / frames, redrawn);
    return line;
  }

 private:
  std::vector<FrameSample> samples_;
  double driver_thread_cpu_ms_ = 0.0;
};

}  // namespace sglab::gui
