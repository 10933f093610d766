#pragma once
// Pin and compare (issue 11, item 3): a lab keeps up to three earlier results
// as grey ghosts drawn under its live curves. A pin holds the lab's settings
// when it was taken and, per plot id, a copy of that plot's series (at most
// kMaxPinnedPoints points each). Its label says how those settings differ from
// the current ones ("pin 1: k = 3 → 4"), refreshed as the knobs move; the pin
// itself never changes until it is removed. Pins are saved in the lab's view
// ("pins": [...]) and read back strictly.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ui/plot/plot.hpp"

namespace sglab::ui::plot {

inline constexpr std::size_t kMaxPins = 3;
/// Points kept per pinned series: longer series are thinned when pinned (a
/// training run's per-step loss keeps its envelope: each bucket's first,
/// lowest, highest and last point), so a scenario with pins stays small.
inline constexpr std::size_t kMaxPinnedPoints = 2000;
/// Series kept per pinned plot (the labs draw at most a few dozen).
inline constexpr std::size_t kMaxPinnedSeries = 64;

/// One series as pinned: its values, and whether it was drawn as a line or as points.
struct PinnedSeries {
  std::string name;
  std::vector<double> x, y, y_lo, y_hi, band_lo, band_hi;
  bool line = true;
  bool operator==(const PinnedSeries& o) const;
};

struct Pin {
  nlohmann::json settings;                                 ///< the lab's settings when pinned
  std::map<std::string, std::vector<PinnedSeries>> plots;  ///< plot id → its series
  std::string label;  ///< "k = 3 → 4": how `settings` differ from the current ones
};

/// The ids of specs[0, count) (the plots a lab can pin; empty ids skipped).
std::vector<std::string> plot_ids_of(const PlotSpec* specs, std::size_t count);

/// A plot's series as a pin keeps them: legend-only entries dropped, points
/// with a non-finite x or y dropped, at most kMaxPinnedPoints points.
std::vector<PinnedSeries> pinned_series_of(const PlotSpec& spec);

class PinSet {
 public:
  /// The key of a lab's view that holds its pins.
  static constexpr const char* kViewKey = "pins";
  /// Pins the plots `specs[0, count)` (those with an id and data) taken under
  /// `settings`. Refused (false, nothing changes) when kMaxPins pins are held:
  /// the user unpins one first, so no pin vanishes unasked.
  bool add(const nlohmann::json& settings, const PlotSpec* specs, std::size_t count);
  void remove(std::size_t index);
  void clear();

  const std::vector<Pin>& pins() const { return pins_; }
  bool empty() const { return pins_.empty(); }
  bool full() const { return pins_.size() >= kMaxPins; }
  /// Changes whenever a pin is added or removed or a label changes.
  std::uint64_t version() const { return version_; }

  /// Relabels every pin against the current settings; true when a label changed.
  bool refresh_labels(const nlohmann::json& current);
  /// The legend name of pin `index`: "pin 1: k = 3 → 4".
  std::string legend_name(std::size_t index) const;

  /// Puts the ghosts of every pin holding `spec.id` in front of spec's own
  /// series (so they draw under them): grey, one line style and marker per
  /// pin, one legend entry per pin hiding all of its ghosts; and a CSV note per pin.
  void overlay(PlotSpec& spec) const;

  /// The "pins" array of a lab's view.
  nlohmann::json to_json() const;
  /// Reads a "pins" array strictly (errors name the key under `path`, e.g.
  /// "view.expert.pins[0].plots.ratio_vs_d[2].x"); `plot_ids` are the plots the
  /// lab can pin. Labels are computed by the next refresh_labels.
  static PinSet from_json(const nlohmann::json& pins, const std::string& path,
                          const std::vector<std::string>& plot_ids);

 private:
  std::vector<Pin> pins_;
  std::uint64_t version_ = 0;
};

/// The specs a lab draws: its live specs with the pins' ghosts, copied only
/// when either changed (and not at all while there are no pins).
class PinnedSpecs {
 public:
  /// Call after the live specs are (re)built; `live_generation` changes with every rebuild.
  const PlotSpec* apply(const PlotSpec* live, std::size_t count, std::uint64_t live_generation, const PinSet& pins);

 private:
  std::vector<PlotSpec> shown_;
  std::uint64_t live_generation_ = ~std::uint64_t{0};
  std::uint64_t pins_version_ = ~std::uint64_t{0};
};

}  // namespace sglab::ui::plot
