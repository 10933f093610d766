// The DAG editor: inputs, layers (width, activation, fan-in, dropout q), the
// terminal's noise σ and teacher, the predictor, λ (global or per node), the
// lab's n and the seed. Sizes are capped so exact mode stays interactive.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "ui/dag/dag_lab.hpp"
#include "ui/dag/dag_spec_edits.hpp"
#include "ui/lab_widgets.hpp"
#include "core/dag/dag_limits.hpp"
#include "ui/theme.hpp"

namespace sglab::ui {

namespace {

// The editor's ranges: DagLimits says why they are narrower than a file's.
constexpr int kMaxInputs = dag::DagLimits::kMaxInputsInteractive;
constexpr int kMaxWidth = dag::DagLimits::kMaxWidthInteractive;
constexpr int kMaxHiddenLayers = dag::DagLimits::kMaxHiddenLayersInteractive;

}  // namespace

std::string editor_limit_text(const char* what, int limit, const char* unit) {
  return std::string(what) + " " + std::to_string(limit) + (unit[0] ? " " : "") + unit +
         " here: every edit re-runs the exact analysis while you drag, which must stay "
         "interactive, and the graph must stay readable on a projector. Scenario files and "
         "sglab-cli dag take up to " + std::to_string(dag::DagLimits::kMaxLayerWidth) +
         " nodes per layer and " + std::to_string(dag::DagLimits::kMaxInputs) + " inputs.";
}

namespace {

void section(const char* title, UiContext& ui) {
  ImGui::Spacing();
  if (ui.fonts.title) ImGui::PushFont(ui.fonts.title);
  ImGui::TextUnformatted(title);
  if (ui.fonts.title) ImGui::PopFont();
}

bool layer_controls(dag::DagSpec& spec, int layer, UiContext& ui) {
  bool changed = false;
  auto& l = spec.layers[static_cast<std::size_t>(layer - 1)];
  const bool terminal = layer == static_cast<int>(spec.layers.size());
  const int first = dag_layer_first_node(spec, layer);
  ImGui::PushID(layer);
  ImGui::Text("Layer %d: %s, nodes %d–%d", layer, terminal ? "terminal" : "hidden", first,
              first + l.width - 1);
  if (!terminal) {
    ImGui::SameLine(ImGui::GetContentRegionAvail().x - ui.px(60));
    if (ImGui::SmallButton("remove")) {
      remove_hidden_layer(spec, layer);
      ImGui::PopID();
      return true;
    }
  }
  const float w = ImGui::GetContentRegionAvail().x * 0.5f;
  int width = l.width;
  ImGui::SetNextItemWidth(w);
  if (ImGui::SliderInt("width", &width, 1, kMaxWidth)) {
    set_layer_width(spec, layer, width);
    changed = true;
  }
  item_tooltip(editor_limit_text("Width stops at", kMaxWidth, "nodes per layer").c_str());
  const int previous = dag_layer_width(spec, layer - 1);
  int fan_in = l.fan_in == 0 ? previous : std::min(l.fan_in, previous);
  ImGui::SetNextItemWidth(w);
  if (ImGui::SliderInt("fan-in", &fan_in, 1, std::max(1, previous),
                       fan_in >= previous ? "%d (dense)" : "%d (sparse, A.3)")) {
    set_layer_fan_in(spec, layer, fan_in >= previous ? 0 : fan_in);
    changed = true;
  }
  item_tooltip(
      "Parents per node, drawn from the previous layer by the seed. Fewer than the previous "
      "layer's "
      "width is sparse connectivity (condition A.3).");
  int activation = l.activation == dag::Activation::tanh ? 1 : 0;
  ImGui::SetNextItemWidth(w);
  if (ImGui::Combo("activation", &activation, "identity\0tanh\0")) {
    set_layer_activation(spec, layer,
                         activation == 1 ? dag::Activation::tanh : dag::Activation::identity);
    changed = true;
  }
  float q = static_cast<float>(l.q);
  ImGui::SetNextItemWidth(w);
  if (ImGui::SliderFloat("keep q", &q, 0.05f, 1.0f,
                         q >= 1.0f ? "%.2f (no dropout)" : "%.2f (dropout, A.2)")) {
    set_layer_q(spec, layer, static_cast<double>(q));
    changed = true;
  }
  item_tooltip(
      "Each node of this layer is kept with probability q and scaled by 1/q (dropout): stochastic "
      "computation, condition A.2. q = 1: no dropout.");
  ImGui::PopID();
  return changed;
}

float half_width() { return ImGui::GetContentRegionAvail().x * 0.5f; }

// Inputs, the layers' controls and "+ add a hidden layer".
bool network_controls(dag::DagSpec& spec, UiContext& ui) {
  bool changed = false;
  if (ControlGate gate(ui, "dag", "inputs"); gate.shown()) {
    int inputs = spec.inputs;
    ImGui::SetNextItemWidth(half_width());
    if (ImGui::SliderInt("inputs (±1 each)", &inputs, 1, kMaxInputs)) {
      set_inputs(spec, inputs);
      changed = true;
    }
    item_tooltip(editor_limit_text("Inputs stop at", kMaxInputs, "").c_str());
  }
  if (ControlGate gate(ui, "dag", "layers"); gate.shown()) {
    for (int layer = 1; layer <= static_cast<int>(spec.layers.size()); ++layer) {
      ImGui::Separator();
      if (layer_controls(spec, layer, ui)) {
        changed = true;
        break;  // the layer list may have changed
      }
    }
    const bool at_layer_limit = static_cast<int>(spec.layers.size()) - 1 >= kMaxHiddenLayers;
    ImGui::BeginDisabled(at_layer_limit);
    if (ImGui::Button("+ add a hidden layer")) {
      add_hidden_layer(spec);
      changed = true;
    }
    ImGui::EndDisabled();
    item_tooltip(at_layer_limit
                     ? editor_limit_text("The editor stops at", kMaxHiddenLayers, "hidden layers").c_str()
                     : "Adds a hidden layer before the terminal.");
  }
  return changed;
}

// σ of the terminal feedback and what the teacher reads.
bool feedback_controls(dag::DagSpec& spec, UiContext& ui) {
  bool changed = false;
  if (ControlGate gate(ui, "dag", "sigma"); gate.shown()) {
    float sigma = static_cast<float>(spec.sigma);
    ImGui::SetNextItemWidth(half_width());
    if (ImGui::SliderFloat("noise σ", &sigma, 0.0f, 2.0f, sigma > 0 ? "%.2f (A.1)" : "%.2f (none)")) {
      set_sigma(spec, static_cast<double>(sigma));
      changed = true;
    }
    item_tooltip("g_t = x_t − y_t + σ·ε with ε = ±1: noisy terminal feedback, condition A.1.");
  }
  if (ControlGate gate(ui, "dag", "terminals"); gate.shown()) {
    int teacher = teacher_mode(spec) == DagTeacherMode::kInputs ? 1 : 0;
    ImGui::SetNextItemWidth(half_width());
    if (ImGui::Combo("teacher reads", &teacher, "the terminal's parents\0every input\0")) {
      set_teacher_mode(spec, teacher == 1 ? DagTeacherMode::kInputs : DagTeacherMode::kParents);
      changed = true;
    }
    item_tooltip(
        "The target y_t = tanh(v·x_S). Reading the terminal's own parents keeps B true at the terminal; "
        "reading the inputs is partial observation when the terminal cannot see them all.");
  }
  return changed;
}

// The selected hidden node's own λ (or a hint to select one).
bool node_lambda_controls(dag::DagSpec& spec, int selected) {
  const int selected_layer = selected >= 0 ? dag_layer_of_node(spec, selected) : -1;
  if (selected_layer < 1 || selected_layer >= static_cast<int>(spec.layers.size())) {
    ImGui::TextDisabled("Select a hidden node to give it its own λ.");
    return false;
  }
  bool changed = false;
  const std::optional<double> own = node_lambda(spec, selected);
  bool has_own = own.has_value();
  char label[48];
  std::snprintf(label, sizeof label, "own λ for node %d", selected);
  if (ImGui::Checkbox(label, &has_own)) {
    set_node_lambda(spec, selected, has_own ? std::optional<double>(spec.lambda) : std::nullopt);
    changed = true;
  }
  if (has_own) {
    float v = static_cast<float>(own.value_or(spec.lambda));
    ImGui::SetNextItemWidth(half_width());
    if (ImGui::SliderFloat("λ of this node", &v, 0.0f, 1.0f, "%.2f")) {
      set_node_lambda(spec, selected, static_cast<double>(v));
      changed = true;
    }
  }
  return changed;
}

// The predictor, λ of every node and the selected node's own λ.
bool synthetic_controls(dag::DagSpec& spec, int selected, UiContext& ui) {
  bool changed = false;
  if (ControlGate gate(ui, "dag", "predictor"); gate.shown()) {
    int predictor = static_cast<int>(spec.predictor);
    ImGui::SetNextItemWidth(half_width());
    if (ImGui::Combo("predictor", &predictor, "oracle\0best linear\0learned table\0learned linear\0")) {
      spec.predictor = static_cast<dag::PredictorKind>(predictor);
      changed = true;
    }
    item_tooltip(
        "oracle: the exact conditional mean E[message | o_c] (Theorem 2). best linear: least squares on "
        "[o_c, 1], biased when the mean is not linear. learned: fitted from the samples; exact mode uses "
        "its large-sample limit (table → oracle, linear → best linear).");
  }
  if (ControlGate gate(ui, "dag", "lambda"); gate.shown()) {
    float lambda = static_cast<float>(spec.lambda);
    ImGui::SetNextItemWidth(half_width());
    if (ImGui::SliderFloat("λ, every node", &lambda, 0.0f, 1.0f, "%.2f")) {
      set_global_lambda(spec, static_cast<double>(lambda));
      changed = true;
    }
    item_tooltip(
        "Weight on the synthetic gradient at each receiving node: 0 = backprop, 1 = fully synthetic. "
        "Moving it clears the per-node values.");
    changed |= node_lambda_controls(spec, selected);
  }
  return changed;
}

// n (the lab's view, not the scenario's network: always shown) and the seed.
bool sample_controls(DagLabKnobs& knobs, UiContext& ui) {
  bool changed = false;
  float n = static_cast<float>(knobs.n);
  ImGui::SetNextItemWidth(half_width());
  if (ImGui::SliderFloat("n", &n, 1.0f, 10000.0f, "%.0f", ImGuiSliderFlags_Logarithmic)) {
    knobs.n = std::max(1.0, std::round(static_cast<double>(n)));
    changed = true;
  }
  item_tooltip(
      "Samples averaged per gradient estimate: decides the disc colours (who wins at this n) and the "
      "MSE(λ) curve.");
  if (ControlGate gate(ui, "dag", "seed"); gate.shown()) {
    int seed = static_cast<int>(std::min<std::uint64_t>(knobs.spec.seed, 1000000));
    ImGui::SetNextItemWidth(half_width());
    if (ImGui::InputInt("seed", &seed, 1, 10)) {
      reseed(knobs.spec, static_cast<std::uint64_t>(std::max(0, seed)));
      changed = true;
    }
    item_tooltip("Draws new weights, biases, sparse wiring and teacher from this seed.");
  }
  return changed;
}

}  // namespace

bool draw_dag_editor(DagLabKnobs& knobs, int selected, UiContext& ui) {
  if (ui.fonts.title) ImGui::PushFont(ui.fonts.title);
  ImGui::TextUnformatted("Editor");
  if (ui.fonts.title) ImGui::PopFont();
  ImGui::TextDisabled("every change re-runs the analysis");
  draw_step_controls_note(ui, "dag");
  // A lesson step may show some knobs only (ControlGate), named by the scenario's keys.
  const auto shown = [&](const char* key) { return ui.control_shown("dag", key); };
  bool changed = false;
  if (shown("inputs") || shown("layers")) section("Network", ui);
  changed |= network_controls(knobs.spec, ui);
  if (shown("sigma") || shown("terminals")) section("Terminal feedback", ui);
  changed |= feedback_controls(knobs.spec, ui);
  if (shown("predictor") || shown("lambda")) section("Synthetic gradients", ui);
  changed |= synthetic_controls(knobs.spec, selected, ui);
  section(shown("seed") ? "Sample size and seed" : "Sample size", ui);
  changed |= sample_controls(knobs, ui);
  return changed;
}

}  // namespace sglab::ui
