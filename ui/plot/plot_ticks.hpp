#pragma once
// Axis ticks for the plot widget: "nice" linear steps (1, 2, 5 × 10^k) and
// log-scale decades with 2 and 5 in between when the range is short.
// Pure functions: tested without a window.

#include <string>
#include <vector>

namespace sglab::ui::plot {

struct Tick {
  double value = 0.0;  ///< in data units
  std::string label;   ///< empty for minor ticks
  bool major = true;
};

/// About `target` labelled ticks covering [lo, hi] (lo < hi).
std::vector<Tick> linear_ticks(double lo, double hi, int target = 6, bool integers_only = false);

/// Ticks for a log axis over [lo, hi] (0 < lo < hi, data units): every decade
/// labelled (every 2nd, 3rd… when there are many), 2 and 5 labelled when the
/// range spans under two decades, unlabelled minor ticks at 2..9 otherwise.
std::vector<Tick> log_ticks(double lo, double hi, int max_labels = 7);

/// Short label: "0.25", "1000", "1e-05", "3.2e+06"; trailing zeros dropped.
std::string format_number(double v, int significant = 3);

}  // namespace sglab::ui::plot
