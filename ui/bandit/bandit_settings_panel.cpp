// The bandit lab's settings (core/bandit/bandit_config.hpp). Every range reads
// BanditLimits (its ...Interactive limits say why a slider stops short of a
// file's range). Any change starts the runs again from step 0.
#include <algorithm>
#include <cstdio>

#include "ui/bandit/bandit_lab.hpp"
#include "ui/lab_widgets.hpp"
#include "ui/theme.hpp"

namespace sglab::ui {

namespace {

using L = bandit::BanditLimits;
using bandit::Method;

// Each knob names its scenario key: a lesson step may show some only (ControlGate).
bool slider_int(const UiContext& ui, const char* key, const char* label, int& value, int lo, int hi, float width,
                const char* tip = nullptr, bool logarithmic = false) {
  ControlGate gate(ui, "bandit", key);
  if (!gate.shown()) return false;
  ImGui::SetNextItemWidth(width);
  const bool changed = ImGui::SliderInt(label, &value, lo, hi, "%d", logarithmic ? ImGuiSliderFlags_Logarithmic : 0);
  if (tip) item_tooltip(tip);
  return changed;
}

bool slider_double(const UiContext& ui, const char* key, const char* label, double& value, double lo, double hi,
                   const char* format, float width, const char* tip = nullptr, bool logarithmic = false) {
  ControlGate gate(ui, "bandit", key);
  if (!gate.shown()) return false;
  float v = static_cast<float>(value);
  ImGui::SetNextItemWidth(width);
  const bool changed = ImGui::SliderFloat(label, &v, static_cast<float>(lo), static_cast<float>(hi), format,
                                          logarithmic ? ImGuiSliderFlags_Logarithmic : 0);
  if (tip) item_tooltip(tip);
  if (changed) value = v;
  return changed;
}

// The method checkboxes; at least one method stays on.
bool draw_methods(const UiContext& ui, bandit::BanditConfig& c) {
  bool changed = false;
  ControlGate gate(ui, "bandit", "methods");
  if (!gate.shown()) return false;
  const Method all[] = {Method::kBackprop, Method::kSgFixed, Method::kSgAdaptive, Method::kMlp};
  for (Method m : all) {
    bool on = std::find(c.methods.begin(), c.methods.end(), m) != c.methods.end();
    if (ImGui::Checkbox(bandit_method_label(m).c_str(), &on)) {
      std::vector<Method> next;
      for (Method k : all)
        if (k == m ? on : std::find(c.methods.begin(), c.methods.end(), k) != c.methods.end()) next.push_back(k);
      if (!next.empty()) {
        c.methods = next;
        changed = true;
      }
    }
  }
  return changed;
}

bool draw_data(const UiContext& ui, bandit::BanditConfig& c, float w) {
  bool changed = false;
  if (ControlGate gate(ui, "bandit", "data"); gate.shown()) {
  int data = c.data == bandit::DataSource::kDigits ? 0 : 1;
  ImGui::SetNextItemWidth(w);
  if (ImGui::Combo("data", &data, "8x8 digits\0synthetic\0")) {
    c.data = data == 0 ? bandit::DataSource::kDigits : bandit::DataSource::kSynthetic;
    changed = true;
  }
  item_tooltip(
      "Digits: the 8x8 digits of python3-sklearn, 9 classes as the paper's MNIST runs. Synthetic: ±1 features "
      "labelled by a random teacher.");
  }
  if (c.data == bandit::DataSource::kSynthetic) {
    changed |= slider_int(ui, "synthetic_features", "features", c.synthetic_features, L::kMinSyntheticFeatures,
                          L::kMaxSyntheticFeaturesInteractive, w, nullptr, true);
    changed |= slider_double(ui, "difficulty", "teacher noise", c.difficulty, L::kMinDifficulty, L::kMaxDifficulty, "%.2f", w,
                             "0: the label is the teacher's argmax; larger: noisier labels.");
  }
  return changed;
}

bool draw_p_flip(const UiContext& ui, bandit::BanditConfig& c, float w) {
  bool changed = false;
  bool sweep = c.p_flip.size() > 1;
  ControlGate gate(ui, "bandit", "p_flip");
  if (!gate.shown()) return false;
  if (ImGui::Checkbox("sweep p_flip", &sweep)) {
    c.p_flip = sweep ? paper_p_flip_sweep() : std::vector<double>{c.p_flip.back()};
    changed = true;
  }
  item_tooltip("The paper's p_flip list, one group of runs per value: fills the final-reward panel.");
  if (sweep) {
    std::string list;
    for (double p : c.p_flip) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%s%.2g", list.empty() ? "" : ", ", p);
      list += buf;
    }
    ImGui::SameLine();
    ImGui::TextDisabled("%s", list.c_str());
  } else {
    changed |= slider_double(ui, "p_flip", "p_flip", c.p_flip.front(), L::kMinPFlip, L::kMaxPFlip, "%.2f", w,
                             "Probability that the reward of a step is flipped (right and wrong swap).");
  }
  return changed;
}

bool draw_sizes(const UiContext& ui, bandit::BanditConfig& c, float w) {
  bool changed = false;
  changed |= slider_int(ui, "layers", "layers L", c.layers, L::kMinLayers, L::kMaxLayersInteractive, w);
  changed |= slider_int(ui, "width", "width", c.width, L::kMinWidth, L::kMaxWidthInteractive, w, "Neurons per layer.", true);
  changed |= slider_int(ui, "n_dim", "neuron size n", c.n_dim, L::kMinNDim, L::kMaxNDim, w, "Output size of each neuron.", true);
  changed |= slider_int(ui, "slots", "slots", c.slots, L::kMinSlots, L::kMaxSlots, w);
  changed |= slider_int(ui, "num_parents", "parents", c.num_parents.front(), L::kMinParents, L::kMaxParents, w,
                        "Parents per neuron (the first value of the file's list).");
  changed |= slider_int(ui, "batch_size", "batch", c.batch_size, L::kMinBatch, L::kMaxBatchInteractive, w, nullptr, true);
  if (ControlGate gate(ui, "bandit", "steps"); gate.shown()) {
    int steps = static_cast<int>(std::min<std::int64_t>(c.steps, L::kMaxStepsInteractive));
    ImGui::SetNextItemWidth(w);
    if (ImGui::InputInt("steps per run", &steps, 100, 1000)) {
      c.steps = std::clamp<std::int64_t>(steps, L::kMinSteps, L::kMaxStepsInteractive);
      changed = true;
    }
  }
  changed |= slider_int(ui, "eval_points", "eval points", c.eval_points, L::kMinEvalPoints, L::kMaxEvalPointsInteractive, w,
                        "Evenly spaced evaluations of every run on held-out contexts.");
  changed |= slider_int(ui, "seeds", "seeds K", c.seeds, L::kMinSeeds, L::kMaxSeedsInteractive, w,
                        "Independent runs per method: the bands are ± 1 SE over them.");
  return changed;
}

bool draw_lambda_and_rates(const UiContext& ui, bandit::BanditConfig& c, float w) {
  bool changed = false;
  changed |= slider_double(ui, "fixed_lambda", "fixed λ", c.fixed_lambda, L::kMinLambda, L::kMaxLambda, "%.2f", w,
                           "λ of the SG-fixed runs: the weight on the synthetic gradient (paper: 0.1).");
  changed |= slider_double(ui, "initial_lambda", "adaptive λ from", c.initial_lambda, L::kMinLambda, L::kMaxLambda, "%.2f", w);
  changed |= slider_double(ui, "momentum", "λ momentum", c.momentum, L::kMinMomentum, L::kMaxMomentum, "%.3f", w,
                           "λ ← m·λ + (1 − m)·λ_batch (paper: 0.9). 1 freezes λ.");
  const double lo = L::kMinLearningRateInteractive, hi = L::kMaxLearningRateInteractive;
  changed |= slider_double(ui, "policy_lr_sg", "SG rate", c.policy_lr_sg, lo, hi, "%.1e", w, "Adam rate of the SG policies.", true);
  changed |= slider_double(ui, "policy_lr_bp", "BP rate", c.policy_lr_bp, lo, hi, "%.1e", w, "Adam rate of the BP policy.", true);
  if (std::find(c.methods.begin(), c.methods.end(), Method::kMlp) != c.methods.end())
    changed |= slider_double(ui, "policy_lr_mlp", "MLP rate", c.policy_lr_mlp, lo, hi, "%.1e", w, nullptr, true);
  changed |= slider_double(ui, "predictor_lr", "predictor rate", c.predictor_lr, lo, hi, "%.1e", w,
                           "Adam rate of the synthetic-gradient predictors.", true);
  return changed;
}

}  // namespace

std::vector<double> paper_p_flip_sweep() { return {0.0, 0.1, 0.2, 0.3, 0.4}; }

bool draw_bandit_settings(bandit::BanditConfig& c, UiContext& ui) {
  if (ui.fonts.title) ImGui::PushFont(ui.fonts.title);
  ImGui::TextUnformatted("Settings");
  if (ui.fonts.title) ImGui::PopFont();
  ImGui::TextDisabled("a change starts the runs again");
  draw_step_controls_note(ui, "bandit");
  const float w = ImGui::GetContentRegionAvail().x * 0.5f;
  bool changed = draw_data(ui, c, w);
  changed |= draw_p_flip(ui, c, w);
  changed |= draw_methods(ui, c);
  changed |= draw_lambda_and_rates(ui, c, w);
  if (ImGui::TreeNodeEx("Sizes and seeds", ImGuiTreeNodeFlags_DefaultOpen)) {
    changed |= draw_sizes(ui, c, w);
    ImGui::TreePop();
  }
  return changed;
}

}  // namespace sglab::ui
