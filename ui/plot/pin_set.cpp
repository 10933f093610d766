#include "ui/plot/pin_set.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>

#include "core/config/json_diff.hpp"
#include "core/config/json_reader.hpp"
#include "core/util/error.hpp"

namespace sglab::ui::plot {

bool PinnedSeries::operator==(const PinnedSeries& o) const {
  return name == o.name && x == o.x && y == o.y && y_lo == o.y_lo && y_hi == o.y_hi && band_lo == o.band_lo &&
         band_hi == o.band_hi && line == o.line;
}

namespace {

// Versions come from one process-wide counter, so a PinSet read from a file
// never repeats a version a PinnedSpecs cache saw for an earlier set.
std::uint64_t next_version() {
  static std::atomic<std::uint64_t> counter{1};
  return counter.fetch_add(1, std::memory_order_relaxed);
}

// Ghost styles, one per pin: greys dark enough for the projector profile (no
// light grey on white), told apart by line pattern and marker.
struct GhostStyle {
  ImU32 colour;
  bool dashed, dotted;
  Marker marker;
};
constexpr GhostStyle kGhostStyles[kMaxPins] = {
    {IM_COL32(120, 120, 120, 255), false, false, Marker::kCircle},
    {IM_COL32(95, 95, 95, 255), true, false, Marker::kSquare},
    {IM_COL32(70, 70, 70, 255), true, true, Marker::kTriangle},
};

// The indices a pinned series keeps: all when short; else, per bucket of
// consecutive points, its first, lowest, highest and last point in order.
std::vector<std::size_t> kept_indices(const std::vector<std::size_t>& finite, const std::vector<double>& y) {
  if (finite.size() <= kMaxPinnedPoints) return finite;
  const std::size_t buckets = kMaxPinnedPoints / 4;
  std::vector<std::size_t> kept;
  for (std::size_t b = 0; b < buckets; ++b) {
    const std::size_t begin = finite.size() * b / buckets, end = finite.size() * (b + 1) / buckets;
    if (begin >= end) continue;
    std::size_t lo = begin, hi = begin;
    for (std::size_t j = begin; j < end; ++j) {
      if (y[finite[j]] < y[finite[lo]]) lo = j;
      if (y[finite[j]] > y[finite[hi]]) hi = j;
    }
    std::size_t picks[4] = {begin, std::min(lo, hi), std::max(lo, hi), end - 1};
    for (std::size_t k = 0; k < 4; ++k)
      if (k == 0 || picks[k] != picks[k - 1]) kept.push_back(finite[picks[k]]);
  }
  return kept;
}

// A parallel array (error bars, bands) at the kept indices; a non-finite end
// becomes the point's own y (no bar there), since JSON has no NaN.
std::vector<double> pick(const std::vector<double>& v, const std::vector<double>& y,
                         const std::vector<std::size_t>& kept) {
  if (v.empty()) return {};
  std::vector<double> out;
  out.reserve(kept.size());
  for (std::size_t i : kept) out.push_back(i < v.size() && std::isfinite(v[i]) ? v[i] : y[i]);
  return out;
}

nlohmann::json series_to_json(const PinnedSeries& s) {
  nlohmann::json j = {{"name", s.name}, {"x", s.x}, {"y", s.y}};
  if (!s.line) j["line"] = false;
  if (!s.y_lo.empty()) j["y_low"] = s.y_lo, j["y_high"] = s.y_hi;
  if (!s.band_lo.empty()) j["band_low"] = s.band_lo, j["band_high"] = s.band_hi;
  return j;
}

std::vector<double> read_values(config::JsonObjectReader& r, const std::string& key, std::size_t expected,
                                bool required) {
  const double big = std::numeric_limits<double>::max();
  if (required && !r.has(key)) throw Error(r.child_path(key) + ": missing (a list of numbers)");
  std::vector<double> v = r.number_list(key, {}, -big, big);
  if (v.size() > kMaxPinnedPoints)
    throw Error(r.child_path(key) + ": " + std::to_string(v.size()) + " points; a pinned series keeps at most " +
                std::to_string(kMaxPinnedPoints));
  if (r.has(key) && expected != std::size_t(-1) && v.size() != expected)
    throw Error(r.child_path(key) + ": " + std::to_string(v.size()) + " values; \"x\" has " +
                std::to_string(expected));
  return v;
}

PinnedSeries series_from_json(const nlohmann::json& j, const std::string& path) {
  if (!j.is_object()) throw Error(path + ": expected an object {\"name\", \"x\", \"y\", …}");
  config::JsonObjectReader r(j, path);
  PinnedSeries s;
  s.name = r.string("name", "");
  if (s.name.empty()) throw Error(r.child_path("name") + ": missing or empty (the series' name)");
  s.line = r.boolean("line", true);
  s.x = read_values(r, "x", std::size_t(-1), true);
  s.y = read_values(r, "y", s.x.size(), true);
  s.y_lo = read_values(r, "y_low", s.x.size(), false);
  s.y_hi = read_values(r, "y_high", s.x.size(), false);
  s.band_lo = read_values(r, "band_low", s.x.size(), false);
  s.band_hi = read_values(r, "band_high", s.x.size(), false);
  if (s.y_lo.empty() != s.y_hi.empty()) throw Error(path + ": \"y_low\" and \"y_high\" come together");
  if (s.band_lo.empty() != s.band_hi.empty()) throw Error(path + ": \"band_low\" and \"band_high\" come together");
  r.finish();
  return s;
}

Pin pin_from_json(const nlohmann::json& j, const std::string& path, const std::vector<std::string>& plot_ids) {
  if (!j.is_object()) throw Error(path + ": expected an object {\"settings\", \"plots\"}");
  config::JsonObjectReader r(j, path);
  Pin pin;
  if (!r.has("settings")) throw Error(r.child_path("settings") + ": missing (the settings the pin was taken under)");
  pin.settings = r.raw("settings");
  if (!pin.settings.is_object()) throw Error(r.child_path("settings") + ": expected an object");
  if (!r.has("plots")) throw Error(r.child_path("plots") + ": missing (plot id → its series)");
  const nlohmann::json& plots = r.raw("plots");
  if (!plots.is_object()) throw Error(r.child_path("plots") + ": expected an object (plot id → list of series)");
  for (auto it = plots.begin(); it != plots.end(); ++it) {
    const std::string plot_path = r.child_path("plots") + "." + it.key();
    if (std::find(plot_ids.begin(), plot_ids.end(), it.key()) == plot_ids.end()) {
      std::string allowed;
      for (const auto& id : plot_ids) allowed += (allowed.empty() ? "" : ", ") + id;
      throw Error(plot_path + ": unknown plot; this lab's plots are " + allowed);
    }
    if (!it->is_array()) throw Error(plot_path + ": expected a list of series");
    if (it->size() > kMaxPinnedSeries)
      throw Error(plot_path + ": " + std::to_string(it->size()) + " series; at most " +
                  std::to_string(kMaxPinnedSeries));
    auto& series = pin.plots[it.key()];
    for (std::size_t i = 0; i < it->size(); ++i)
      series.push_back(series_from_json((*it)[i], plot_path + "[" + std::to_string(i) + "]"));
  }
  r.finish();
  return pin;
}

}  // namespace

std::vector<std::string> plot_ids_of(const PlotSpec* specs, std::size_t count) {
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < count; ++i)
    if (!specs[i].id.empty()) ids.push_back(specs[i].id);
  return ids;
}

std::vector<PinnedSeries> pinned_series_of(const PlotSpec& spec) {
  std::vector<PinnedSeries> out;
  for (const Series& s : spec.series) {
    const std::size_t n = std::min(s.x.size(), s.y.size());
    std::vector<std::size_t> finite;
    for (std::size_t i = 0; i < n; ++i)
      if (std::isfinite(s.x[i]) && std::isfinite(s.y[i])) finite.push_back(i);
    if (finite.empty() || s.name.empty() || out.size() >= kMaxPinnedSeries) continue;
    const std::vector<std::size_t> kept = kept_indices(finite, s.y);
    PinnedSeries p;
    p.name = s.name;
    p.line = s.line;
    for (std::size_t i : kept) {
      p.x.push_back(s.x[i]);
      p.y.push_back(s.y[i]);
    }
    if (!s.y_lo.empty() && !s.y_hi.empty()) {
      p.y_lo = pick(s.y_lo, s.y, kept);
      p.y_hi = pick(s.y_hi, s.y, kept);
    }
    if (!s.band_lo.empty() && !s.band_hi.empty()) {
      p.band_lo = pick(s.band_lo, s.y, kept);
      p.band_hi = pick(s.band_hi, s.y, kept);
    }
    out.push_back(std::move(p));
  }
  return out;
}

bool PinSet::add(const nlohmann::json& settings, const PlotSpec* specs, std::size_t count) {
  if (full()) return false;
  Pin pin;
  pin.settings = settings;
  for (std::size_t i = 0; i < count; ++i) {
    if (specs[i].id.empty()) continue;
    std::vector<PinnedSeries> series = pinned_series_of(specs[i]);
    if (!series.empty()) pin.plots[specs[i].id] = std::move(series);
  }
  pin.label = config::describe_changes({});
  pins_.push_back(std::move(pin));
  version_ = next_version();
  return true;
}

void PinSet::remove(std::size_t index) {
  if (index >= pins_.size()) return;
  pins_.erase(pins_.begin() + static_cast<std::ptrdiff_t>(index));
  version_ = next_version();
}

void PinSet::clear() {
  if (pins_.empty()) return;
  pins_.clear();
  version_ = next_version();
}

bool PinSet::refresh_labels(const nlohmann::json& current) {
  bool changed = false;
  for (Pin& pin : pins_) {
    std::string label = config::describe_changes(config::json_changes(pin.settings, current));
    if (label != pin.label) {
      pin.label = std::move(label);
      changed = true;
    }
  }
  if (changed) version_ = next_version();
  return changed;
}

std::string PinSet::legend_name(std::size_t index) const {
  return "pin " + std::to_string(index + 1) + ": " + (index < pins_.size() ? pins_[index].label : std::string());
}

void PinSet::overlay(PlotSpec& spec) const {
  std::vector<Series> ghosts;
  for (std::size_t p = 0; p < pins_.size(); ++p) {
    const auto it = pins_[p].plots.find(spec.id);
    if (it == pins_[p].plots.end()) continue;
    const GhostStyle& style = kGhostStyles[p % kMaxPins];
    const std::string group = "pin " + std::to_string(p + 1);  // stable while the label follows the knobs
    Series entry;  // legend only: clicking it hides every ghost of this pin
    entry.name = legend_name(p);
    entry.group = group;
    entry.legend_hides_group = true;
    entry.colour = style.colour;
    entry.dashed = style.dashed;
    entry.dotted = style.dotted;
    entry.width = 2.0f;
    ghosts.push_back(std::move(entry));
    for (const PinnedSeries& ps : it->second) {
      Series g;
      g.name = "pin " + std::to_string(p + 1) + ": " + ps.name;
      g.group = group;
      g.in_legend = false;
      g.colour = style.colour;
      g.x = ps.x;
      g.y = ps.y;
      g.y_lo = ps.y_lo;
      g.y_hi = ps.y_hi;
      g.band_lo = ps.band_lo;
      g.band_hi = ps.band_hi;
      g.line = ps.line;
      g.dashed = style.dashed;
      g.dotted = style.dotted;
      g.width = 1.5f;
      g.marker = ps.line ? Marker::kNone : style.marker;
      ghosts.push_back(std::move(g));
    }
    spec.notes.push_back(legend_name(p) + " (its rows are the series named \"pin " + std::to_string(p + 1) +
                         ": …\"; settings " + pins_[p].settings.dump() + ")");
  }
  if (ghosts.empty()) return;
  spec.series.insert(spec.series.begin(), std::make_move_iterator(ghosts.begin()),
                     std::make_move_iterator(ghosts.end()));
}

nlohmann::json PinSet::to_json() const {
  nlohmann::json out = nlohmann::json::array();
  for (const Pin& pin : pins_) {
    nlohmann::json plots = nlohmann::json::object();
    for (const auto& [id, series] : pin.plots) {
      nlohmann::json list = nlohmann::json::array();
      for (const auto& s : series) list.push_back(series_to_json(s));
      plots[id] = std::move(list);
    }
    out.push_back({{"settings", pin.settings}, {"plots", std::move(plots)}});
  }
  return out;
}

PinSet PinSet::from_json(const nlohmann::json& pins, const std::string& path,
                         const std::vector<std::string>& plot_ids) {
  if (!pins.is_array()) throw Error(path + ": expected a list of pins");
  if (pins.size() > kMaxPins)
    throw Error(path + ": " + std::to_string(pins.size()) + " pins; at most " + std::to_string(kMaxPins));
  PinSet set;
  for (std::size_t i = 0; i < pins.size(); ++i)
    set.pins_.push_back(pin_from_json(pins[i], path + "[" + std::to_string(i) + "]", plot_ids));
  set.version_ = next_version();
  return set;
}

const PlotSpec* PinnedSpecs::apply(const PlotSpec* live, std::size_t count, std::uint64_t live_generation,
                                   const PinSet& pins) {
  if (pins.empty()) {
    shown_.clear();
    live_generation_ = pins_version_ = ~std::uint64_t{0};
    return live;
  }
  if (live_generation != live_generation_ || pins.version() != pins_version_ || shown_.size() != count) {
    shown_.assign(live, live + count);
    for (auto& spec : shown_) pins.overlay(spec);
    live_generation_ = live_generation;
    pins_version_ = pins.version();
  }
  return shown_.data();
}

}  // namespace sglab::ui::plot
