#include "ui/plot/plot_ticks.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace sglab::ui::plot {

std::string format_number(double v, int significant) {
  if (!std::isfinite(v)) return v > 0 ? "inf" : (v < 0 ? "-inf" : "nan");
  if (v == 0.0) return "0";
  const double a = std::abs(v);
  char buf[64];
  if (a >= 1e-3 && a < 1e6) {
    std::snprintf(buf, sizeof buf, "%.*g", std::max(significant, 1 + static_cast<int>(std::log10(a))), v);
  } else {
    std::snprintf(buf, sizeof buf, "%.*e", std::max(0, significant - 1), v);
    // Drop trailing zeros of the mantissa: 1.00e-05 -> 1e-05.
    std::string s = buf;
    const auto e = s.find('e');
    std::string mant = s.substr(0, e), exp = s.substr(e);
    if (mant.find('.') != std::string::npos) {
      while (!mant.empty() && mant.back() == '0') mant.pop_back();
      if (!mant.empty() && mant.back() == '.') mant.pop_back();
    }
    return mant + exp;
  }
  return buf;
}

std::vector<Tick> linear_ticks(double lo, double hi, int target, bool integers_only) {
  std::vector<Tick> ticks;
  if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi)) return ticks;
  const double raw = (hi - lo) / std::max(1, target);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  // The nice step (1, 2, 2.5, 5 × 10^k) nearest the raw one on a log scale.
  double step = mag;
  double best = 1e300;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (integers_only && m == 2.5) continue;  // integer axes step 1, 2, 5, 10, …
    const double gap = std::abs(std::log(m * mag / raw));
    if (gap < best) {
      best = gap;
      step = m * mag;
    }
  }
  if (integers_only) step = std::max(1.0, std::round(step));
  const double first = std::ceil(lo / step - 1e-9) * step;
  for (double v = first; v <= hi + step * 1e-9; v += step) {
    const double clean = std::abs(v) < step * 1e-9 ? 0.0 : v;
    ticks.push_back({clean, format_number(clean, 4), true});
    if (ticks.size() > 100) break;
  }
  return ticks;
}

std::vector<Tick> log_ticks(double lo, double hi, int max_labels) {
  std::vector<Tick> ticks;
  if (!(lo > 0) || !(hi > lo) || !std::isfinite(hi)) return ticks;
  const int e0 = static_cast<int>(std::floor(std::log10(lo)));
  const int e1 = static_cast<int>(std::ceil(std::log10(hi)));
  const int decades = e1 - e0;
  const bool short_range = std::log10(hi / lo) < 2.0;
  // Thin the labels among the powers of ten inside the range, counting from the
  // first inside, so thinning never leaves fewer than two labelled decades.
  const int first_in = static_cast<int>(std::ceil(std::log10(lo) - 1e-12));
  const int last_in = static_cast<int>(std::floor(std::log10(hi) + 1e-12));
  const int inside = std::max(0, last_in - first_in + 1);
  const int stride = std::max(1, std::min((inside + max_labels - 1) / std::max(1, max_labels), inside - 1));
  for (int e = e0; e <= e1; ++e) {
    const double base = std::pow(10.0, e);
    for (int m = 1; m <= 9; ++m) {
      const double v = base * m;
      if (v < lo * (1 - 1e-12) || v > hi * (1 + 1e-12)) continue;
      if (m == 1) {
        const bool labelled = ((e - first_in) % stride) == 0;
        ticks.push_back({v, labelled ? format_number(v) : std::string(), true});
      } else if (short_range && (m == 2 || m == 5)) {
        ticks.push_back({v, format_number(v), true});
      } else if (decades <= 12) {
        ticks.push_back({v, std::string(), false});
      }
    }
  }
  // A short range may hold fewer than two of those ticks (ratio ≈ 128 at d = 10,
  // k = 3 spans about [115, 145]: no 100, no 200): then nice linear steps inside
  // the range label it instead, so the axis always has at least two numbers.
  int labelled = 0;
  for (const auto& t : ticks) labelled += t.label.empty() ? 0 : 1;
  if (labelled < 2) {
    ticks = linear_ticks(lo, hi, std::clamp(max_labels, 3, 5));
    if (ticks.size() < 2) {  // a range too narrow even for that: its two ends
      ticks = {{lo, format_number(lo, 4), true}, {hi, format_number(hi, 4), true}};
    }
  }
  return ticks;
}

}  // namespace sglab::ui::plot
