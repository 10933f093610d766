#pragma once
// The pin row every lab draws above its plots (issue 11, item 3): a "Pin"
// button (Ctrl+P), each pin's legend name with an unpin ×, and "Clear pins".
// Taking a pin is the lab's part (it knows its plots and settings): see
// take_pin below, which every lab's Lab::pin_results calls.

#include <nlohmann/json.hpp>

#include <cstddef>

#include "ui/plot/pin_set.hpp"
#include "ui/ui_context.hpp"

namespace sglab::ui {

/// Draws the row; unpin × and "Clear pins" act on `pins` at once. Returns true
/// when "Pin" was clicked (the caller then calls take_pin).
bool draw_pin_bar(plot::PinSet& pins, UiContext& ui);

/// Pins `specs[0, count)` under `settings` and says so in the status line; a
/// fourth pin is refused with a message saying how to make room.
void take_pin(plot::PinSet& pins, const nlohmann::json& settings, const plot::PlotSpec* specs, std::size_t count,
              UiContext& ui);

}  // namespace sglab::ui
