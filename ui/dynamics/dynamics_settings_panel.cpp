// The mixing-dynamics lab's training settings (core/dynamics/train_config.hpp).
// Any change starts the three runs again from step 0.
#include <algorithm>

#include "ui/dynamics/dynamics_lab.hpp"
#include "ui/lab_widgets.hpp"
#include "ui/theme.hpp"

namespace sglab::ui {

namespace {
// The sliders' ranges come from TrainLimits (which says why they are narrower than a file's).
using L = dynamics::TrainLimits;
constexpr float kMinRate = static_cast<float>(L::kMinRateInteractive);
constexpr float kMaxRate = static_cast<float>(L::kMaxRateInteractive);

// One slider of a double setting behind its lesson gate; true when moved.
bool gated_slider(UiContext& ui, const char* key, const char* label, double& value, float lo, float hi,
                  const char* format, float width, const char* tooltip = nullptr,
                  ImGuiSliderFlags flags = ImGuiSliderFlags_None) {
  ControlGate gate(ui, "dynamics", key);
  if (!gate.shown()) return false;
  float v = static_cast<float>(value);
  ImGui::SetNextItemWidth(width);
  const bool moved = ImGui::SliderFloat(label, &v, lo, hi, format, flags);
  if (moved) value = v;
  if (tooltip != nullptr) item_tooltip(tooltip);
  return moved;
}

// "label every [N]" records: a checkbox (on: every 50 records) and, when on, the
// count; `every` is in steps, a multiple of the record stride.
bool every_n_records(const char* label, const char* id, std::int64_t& every, std::int64_t record_every,
                     const char* tooltip) {
  bool changed = false;
  bool on = every > 0;
  if (ImGui::Checkbox(label, &on)) {
    every = on ? 50 * record_every : 0;
    changed = true;
  }
  item_tooltip(tooltip);
  if (on) {
    ImGui::SameLine();
    int n = static_cast<int>(every / record_every);
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.6f);
    if (ImGui::InputInt(id, &n, 10, 100)) {
      every = std::max(1, n) * record_every;
      changed = true;
    }
  }
  return changed;
}

// "steps in all": the record stride and the probe / held-out strides follow it.
bool steps_control(dynamics::TrainConfig& c, float w) {
  int steps = static_cast<int>(std::min<std::int64_t>(c.steps, L::kMaxStepsInteractive));
  ImGui::SetNextItemWidth(w);
  if (!ImGui::InputInt("steps in all", &steps, 1000, 10000)) return false;
  c.steps = std::clamp<std::int64_t>(steps, 1, L::kMaxStepsInteractive);
  c.record_every = std::max<std::int64_t>(1, c.steps / 50000);
  if (c.exact_every > 0) c.exact_every = std::max(c.exact_every / c.record_every, std::int64_t{1}) * c.record_every;
  if (c.eval_every > 0) c.eval_every = std::max(c.eval_every / c.record_every, std::int64_t{1}) * c.record_every;
  return true;
}

// Which estimator the adaptive run trains with, and which predictor the exact λ* assumes.
bool estimator_control(dynamics::TrainConfig& c, float w) {
  int estimator = static_cast<int>(c.lambda_estimator);
  ImGui::SetNextItemWidth(w);
  const bool changed = ImGui::Combo("adaptive run uses", &estimator, "paper\0ratio\0bias_corrected\0");
  if (changed) c.lambda_estimator = static_cast<dynamics::LambdaEstimator>(estimator);
  item_tooltip(
      "All three λ estimators are computed on the adaptive run's batches; this picks whose λ the run "
      "trains with. paper: momentum on the clamped batch plug-in (Appendix H.2). ratio: momentum on "
      "−c and v + b² separately, clamped after (a ratio of averages: less biased when v + b² is noisy). "
      "bias_corrected: the ratio rule plus eq 18's downstream-bias term, estimated with the batch's BP "
      "gradients (a diagnostic: it needs the BP gradient).");
  return changed;
}

bool exact_predictor_control(dynamics::TrainConfig& c, float w) {
  int predictor = c.exact_predictor == dag::PredictorKind::oracle ? 1 : 0;
  ImGui::SetNextItemWidth(w);
  const bool changed = ImGui::Combo("λ* predictor", &predictor, "best linear\0oracle\0");
  if (changed) c.exact_predictor = predictor == 1 ? dag::PredictorKind::oracle : dag::PredictorKind::best_linear;
  item_tooltip(
      "The exact λ* assumes this predictor. Best linear is the limit of the runs' learned linear "
      "predictors.");
  return changed;
}

}  // namespace

bool draw_dynamics_settings(dynamics::TrainConfig& c, UiContext& ui) {
  bool changed = false;
  if (ui.fonts.title) ImGui::PushFont(ui.fonts.title);
  ImGui::TextUnformatted("Settings");
  if (ui.fonts.title) ImGui::PopFont();
  ImGui::TextDisabled("a change starts the runs again");
  draw_step_controls_note(ui, "dynamics");
  const float w = ImGui::GetContentRegionAvail().x * 0.5f;

  if (ControlGate gate(ui, "dynamics", "batch_size"); gate.shown()) {
    int batch = c.batch_size;
    ImGui::SetNextItemWidth(w);
    if (ImGui::SliderInt("batch B", &batch, L::kMinBatch, L::kMaxBatchInteractive, "%d", ImGuiSliderFlags_Logarithmic)) {
      c.batch_size = batch;
      changed = true;
    }
  }
  changed |= gated_slider(ui, "learning_rate", "learning rate", c.learning_rate, kMinRate, kMaxRate, "%.3f", w,
                          nullptr, ImGuiSliderFlags_Logarithmic);
  changed |= gated_slider(ui, "predictor_learning_rate", "predictor rate", c.predictor_learning_rate, kMinRate,
                          kMaxRate, "%.3f", w,
                          "SGD step of the learned linear predictors (regression on the propagated message, §5).",
                          ImGuiSliderFlags_Logarithmic);
  double fixed = c.fixed_lambda.value_or(0.5);
  if (gated_slider(ui, "fixed_lambda", "fixed λ", fixed, 0.0f, 1.0f, "%.2f", w,
                   "λ of every node in the fixed-λ SG run: 0 makes it identical to BP.")) {
    c.fixed_lambda = fixed;
    changed = true;
  }
  double initial = c.initial_lambda.value_or(fixed);
  if (gated_slider(ui, "initial_lambda", "adaptive λ from", initial, 0.0f, 1.0f, "%.2f", w)) {
    c.initial_lambda = initial;
    changed = true;
  }
  changed |= gated_slider(ui, "momentum", "momentum m", c.momentum, 0.0f, 1.0f, "%.3f", w,
                          "λ ← m·λ + (1 − m)·λ_batch (§5; the paper uses 0.9). m = 1 freezes λ.");
  if (ControlGate gate(ui, "dynamics", "unit_normalise"); gate.shown()) {
    if (ImGui::Checkbox("unit-normalise node gradients", &c.unit_normalise)) changed = true;
    item_tooltip(
        "The paper's code scales each sample's node gradient to unit length. Our nodes are scalars, so that keeps "
        "only its sign: λ then estimates a sign-SGD variance, not eq 18's MSE, and the exact λ* is no longer its "
        "target. Off by default.");
  }
  if (ControlGate gate(ui, "dynamics", "seed"); gate.shown()) {
    int seed = static_cast<int>(std::min<std::uint64_t>(c.seed, 1000000));
    ImGui::SetNextItemWidth(w);
    if (ImGui::InputInt("seed", &seed)) {
      c.seed = static_cast<std::uint64_t>(std::max(0, seed));
      changed = true;
    }
    item_tooltip("The sample stream: batch s depends only on (seed, s).");
  }
  if (ControlGate gate(ui, "dynamics", "steps"); gate.shown()) changed |= steps_control(c, w);
  if (ControlGate gate(ui, "dynamics", "lambda_estimator"); gate.shown()) changed |= estimator_control(c, w);
  if (ControlGate gate(ui, "dynamics", "eval_every"); gate.shown())
    changed |= every_n_records("held-out loss every", "##eval_every", c.eval_every, c.record_every,
                               "Each run's loss on a fixed held-out set (drawn once from the seed, never trained on).");
  if (ControlGate gate(ui, "dynamics", "exact_every"); gate.shown()) {
    changed |= every_n_records("exact λ* every", "##exact_every", c.exact_every, c.record_every,
                               "Exact λ*(n = B) at the adaptive run's current parameters (small graphs only): the "
                               "target the adaptive λ should track.");
    if (c.exact_every > 0) changed |= exact_predictor_control(c, w);
  }
  return changed;
}

}  // namespace sglab::ui
