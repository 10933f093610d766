#include "ui/pin_bar.hpp"

#include <imgui.h>

#include <string>

namespace sglab::ui {

bool draw_pin_bar(plot::PinSet& pins, UiContext& ui) {
  ImGui::PushID("pins");
  const bool clicked = ImGui::SmallButton(pins.full() ? "Pin (3 held)" : "Pin");
  item_tooltip(pins.full() ? "At most three pins: unpin one (×) to pin the current results."
                           : "Keep the current results as grey ghosts under the live curves of every plot, "
                             "labelled with what differs from the settings you move to (Ctrl+P).");
  std::size_t remove = pins.pins().size();
  for (std::size_t i = 0; i < pins.pins().size(); ++i) {
    ImGui::SameLine();
    ImGui::PushID(static_cast<int>(i));
    ImGui::TextDisabled("|");
    ImGui::SameLine();
    ImGui::TextUnformatted(pins.legend_name(i).c_str());
    ImGui::SameLine(0.0f, 2.0f);
    if (ImGui::SmallButton("×")) remove = i;
    item_tooltip("Unpin: remove this ghost from every plot.");
    ImGui::PopID();
  }
  if (remove < pins.pins().size()) pins.remove(remove);
  if (!pins.empty()) {
    ImGui::SameLine();
    if (ImGui::SmallButton("Clear pins")) pins.clear();
  } else {
    ImGui::SameLine();
    // Presenter mode shares this line with the pager: the short form, the rest on hover.
    ImGui::TextDisabled(ui.presenter ? "no pins" : "no pins: Pin keeps these curves to compare after you move a knob");
  }
  ImGui::PopID();
  return clicked;
}

void take_pin(plot::PinSet& pins, const nlohmann::json& settings, const plot::PlotSpec* specs, std::size_t count,
              UiContext& ui) {
  if (!pins.add(settings, specs, count)) {
    ui.notify("Not pinned: three pins are held at most. Unpin one (× beside it) or Clear pins first.");
    return;
  }
  pins.refresh_labels(settings);
  ui.notify("Pinned the current results as pin " + std::to_string(pins.pins().size()) +
            ": move a knob and it stays as a grey ghost.");
}

}  // namespace sglab::ui
