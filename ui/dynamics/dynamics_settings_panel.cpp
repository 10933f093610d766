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
  if (ControlGate gate(ui, "dynamics", "learning_rate"); gate.shown()) {
    float lr = static_cast<float>(c.learning_rate);
    ImGui::SetNextItemWidth(w);
    if (ImGui::SliderFloat("learning rate", &lr, kMinRate, kMaxRate, "%.3f",
                           ImGuiSliderFlags_Logarithmic)) {
      c.learning_rate = lr;
      changed = true;
    }
  }
  if (ControlGate gate(ui, "dynamics", "predictor_learning_rate"); gate.shown()) {
    float plr = static_cast<float>(c.predictor_learning_rate);
    ImGui::SetNextItemWidth(w);
    if (ImGui::SliderFloat("predictor rate", &plr, kMinRate, kMaxRate, "%.3f",
                           ImGuiSliderFlags_Logarithmic)) {
      c.predictor_learning_rate = plr;
      changed = true;
    }
    item_tooltip(
        "SGD step of the learned linear predictors (regression on the propagated message, §5).");
  }

  float fixed = static_cast<float>(c.fixed_lambda.value_or(0.5));
  if (ControlGate gate(ui, "dynamics", "fixed_lambda"); gate.shown()) {
    ImGui::SetNextItemWidth(w);
    if (ImGui::SliderFloat("fixed λ", &fixed, 0.0f, 1.0f, "%.2f")) {
      c.fixed_lambda = fixed;
      changed = true;
    }
    item_tooltip("λ of every node in the fixed-λ SG run: 0 makes it identical to BP.");
  }
  if (ControlGate gate(ui, "dynamics", "initial_lambda"); gate.shown()) {
    float initial = static_cast<float>(c.initial_lambda.value_or(fixed));
    ImGui::SetNextItemWidth(w);
    if (ImGui::SliderFloat("adaptive λ from", &initial, 0.0f, 1.0f, "%.2f")) {
      c.initial_lambda = initial;
      changed = true;
    }
  }
  if (ControlGate gate(ui, "dynamics", "momentum"); gate.shown()) {
    float momentum = static_cast<float>(c.momentum);
    ImGui::SetNextItemWidth(w);
    if (ImGui::SliderFloat("momentum m", &momentum, 0.0f, 1.0f, "%.3f")) {
      c.momentum = momentum;
      changed = true;
    }
    item_tooltip("λ ← m·λ + (1 − m)·λ_batch (§5; the paper uses 0.9). m = 1 freezes λ.");
  }
  if (ControlGate gate(ui, "dynamics", "unit_normalise"); gate.shown()) {
    if (ImGui::Checkbox("unit-normalise node gradients", &c.unit_normalise)) changed = true;
    item_tooltip(
        "The paper's code scales each sample's node gradient to unit length. Our nodes are scalars, "
        "so "
        "that keeps only its sign: λ then estimates a sign-SGD variance, not eq 18's MSE, and the "
        "exact λ* "
        "is no longer its target. Off by default.");
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
  if (ControlGate gate(ui, "dynamics", "steps"); gate.shown()) {
    int steps = static_cast<int>(std::min<std::int64_t>(c.steps, L::kMaxStepsInteractive));
    ImGui::SetNextItemWidth(w);
    if (ImGui::InputInt("steps in all", &steps, 1000, 10000)) {
      c.steps = std::clamp<std::int64_t>(steps, 1, L::kMaxStepsInteractive);
      c.record_every = std::max<std::int64_t>(1, c.steps / 50000);
      if (c.exact_every > 0)
        c.exact_every = std::max(c.exact_every / c.record_every, std::int64_t{1}) * c.record_every;
      if (c.eval_every > 0)
        c.eval_every = std::max(c.eval_every / c.record_every, std::int64_t{1}) * c.record_every;
      changed = true;
    }
  }
  if (ControlGate gate(ui, "dynamics", "lambda_estimator"); gate.shown()) {
    int estimator = static_cast<int>(c.lambda_estimator);
    ImGui::SetNextItemWidth(w);
    if (ImGui::Combo("adaptive run uses", &estimator, "paper\0ratio\0bias_corrected\0")) {
      c.lambda_estimator = static_cast<dynamics::LambdaEstimator>(estimator);
      changed = true;
    }
    item_tooltip(
        "All three λ estimators are computed on the adaptive run's batches; this picks whose λ the run "
        "trains with. paper: momentum on the clamped batch plug-in (Appendix H.2). ratio: momentum on "
        "−c and v + b² separately, clamped after (a ratio of averages: less biased when v + b² is noisy). "
        "bias_corrected: the ratio rule plus eq 18's downstream-bias term, estimated with the batch's BP "
        "gradients (a diagnostic: it needs the BP gradient).");
  }
  if (ControlGate gate(ui, "dynamics", "eval_every"); gate.shown()) {
    bool held_out = c.eval_every > 0;
    if (ImGui::Checkbox("held-out loss every", &held_out)) {
      c.eval_every = held_out ? 50 * c.record_every : 0;
      changed = true;
    }
    item_tooltip("Each run's loss on a fixed held-out set (drawn once from the seed, never trained on).");
    if (held_out) {
      ImGui::SameLine();
      int every = static_cast<int>(c.eval_every / c.record_every);
      ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.6f);
      if (ImGui::InputInt("##eval_every", &every, 10, 100)) {
        c.eval_every = std::max(1, every) * c.record_every;
        changed = true;
      }
    }
  }
  if (ControlGate gate(ui, "dynamics", "exact_every"); gate.shown()) {
    bool exact = c.exact_every > 0;
    if (ImGui::Checkbox("exact λ* every", &exact)) {
      c.exact_every = exact ? 50 * c.record_every : 0;
      changed = true;
    }
    item_tooltip(
        "Exact λ*(n = B) at the adaptive run's current parameters (small graphs only): the target "
        "the "
        "adaptive λ should track.");
    if (exact) {
      ImGui::SameLine();
      int every = static_cast<int>(c.exact_every / c.record_every);
      ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.6f);
      if (ImGui::InputInt("##exact_every", &every, 10, 100)) {
        c.exact_every = std::max(1, every) * c.record_every;
        changed = true;
      }
      int predictor = c.exact_predictor == dag::PredictorKind::oracle ? 1 : 0;
      ImGui::SetNextItemWidth(w);
      if (ImGui::Combo("λ* predictor", &predictor, "best linear\0oracle\0")) {
        c.exact_predictor =
            predictor == 1 ? dag::PredictorKind::oracle : dag::PredictorKind::best_linear;
        changed = true;
      }
      item_tooltip(
          "The exact λ* assumes this predictor. Best linear is the limit of the runs' learned linear "
          "predictors.");
    }
  }
  return changed;
}

}  // namespace sglab::ui
