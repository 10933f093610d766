// Control column of the expert-network lab: every knob of THEORY.md §6, each
// with a tooltip in the paper's terms (which condition it touches).
#include <algorithm>
#include <chrono>
#include <initializer_list>
#include <random>

#include "ui/expert/expert_lab.hpp"
#include "ui/lab_widgets.hpp"

namespace sglab::ui {

namespace {

using expert::ExpertLimits;
using L = ExpertLimits;

// A lesson step may show some knobs only (ControlGate); keys are the scenario body's.
bool shown(const UiContext& ui, const char* key) { return ui.control_shown("expert", key); }
bool any_shown(const UiContext& ui, std::initializer_list<const char*> keys) {
  for (const char* k : keys)
    if (shown(ui, k)) return true;
  return false;
}

void section(const char* title, UiContext& ui) {
  ImGui::Spacing();
  if (ui.fonts.title) ImGui::PushFont(ui.fonts.title);
  ImGui::TextUnformatted(title);
  if (ui.fonts.title) ImGui::PopFont();
  ImGui::Separator();
}

bool slider_int(const char* label, int* v, int lo, int hi, const char* tip, bool log = false) {
  const int before = *v;
  ImGui::SliderInt(label, v, lo, hi, "%d",
                   ImGuiSliderFlags_AlwaysClamp | (log ? ImGuiSliderFlags_Logarithmic : 0));
  item_tooltip(tip);
  *v = std::clamp(*v, lo, hi);
  return *v != before;
}

bool slider_double(const char* label, double* v, double lo, double hi, const char* fmt, const char* tip) {
  const double before = *v;
  ImGui::SliderScalar(label, ImGuiDataType_Double, v, &lo, &hi, fmt, ImGuiSliderFlags_AlwaysClamp);
  item_tooltip(tip);
  *v = std::clamp(*v, lo, hi);
  return *v != before;
}

// Condition A's noise case and its scale (σ, p or τ).
bool noise_controls(expert::ExpertScenario& s, const UiContext& ui) {
  using expert::NoiseCase;
  bool changed = false;
  struct CaseRow {
    NoiseCase c;
    const char* label;
    const char* tip;
  };
  const CaseRow rows[] = {
      {NoiseCase::kNoisy, "1  noisy feedback (A.1)",
       "Case 1, condition A.1: each terminal feedback carries Gaussian noise of std σ per repeat. "
       "BP passes the noise of every single state to its block; an expert's table averages it over "
       "the 2^(d−k) states that share its key."},
      {NoiseCase::kActivation, "2  random activation (A.2)",
       "Case 2, condition A.2: each expert fires with probability p per repeat (stochastic "
       "computation), its output rescaled by 1/p so the feedback stays unbiased."},
      {NoiseCase::kPartial, "3  partial observation (A.3)",
       "Case 3, condition A.3: the feedback depends on an input the expert never sees, "
       "−α_j·N(0, τ²) per repeat: from the expert's point of view, noise."},
  };
  if (ControlGate gate(ui, "expert", "case"); gate.shown())
  for (const auto& row : rows) {
    if (ImGui::RadioButton(row.label, s.noise_case == row.c) && s.noise_case != row.c) {
      s.noise_case = row.c;
      changed = true;
    }
    item_tooltip(row.tip);
  }
  if (ControlGate gate(ui, "expert", "sigma"); gate.shown()) {
    ImGui::BeginDisabled(s.noise_case != NoiseCase::kNoisy);
    changed |= slider_double("σ", &s.noise.sigma, 0.0, L::kMaxNoise, "%.2f",
                             "Case 1: std of one repeat's feedback noise (paper: 0.5). Both MSEs scale as σ²; "
                             "their ratio does not.");
    ImGui::EndDisabled();
  }
  if (ControlGate gate(ui, "expert", "p"); gate.shown()) {
    ImGui::BeginDisabled(s.noise_case != NoiseCase::kActivation);
    changed |= slider_double("p", &s.noise.p, L::kMinP, 1.0, "%.2f",
                             "Case 2: probability that an expert is active on one repeat (paper: 0.5). "
                             "p = 1 removes the noise: condition A fails and BP is optimal (Theorem 1).");
    ImGui::EndDisabled();
  }
  if (ControlGate gate(ui, "expert", "tau"); gate.shown()) {
    ImGui::BeginDisabled(s.noise_case != NoiseCase::kPartial);
    changed |= slider_double("τ", &s.noise.tau, 0.0, L::kMaxNoise, "%.2f",
                             "Case 3: std of the input the expert does not observe (paper: 0.5).");
    ImGui::EndDisabled();
  }

  return changed;
}

// d, k, m, n: the network and its sampling.
bool network_controls(expert::ExpertScenario& s, const UiContext& ui) {
  bool changed = false;
  if (ControlGate gate(ui, "expert", "d"); gate.shown() && slider_int("d", &s.d, L::kMinDimInteractive, L::kMaxDimInteractive,
                 "Input dimension: the network has 2^d states (one parameter block each). "
                 "Each step doubles the work; above d = 14 updates take seconds.")) {
    changed = true;
    s.k = std::min(s.k, s.leak > 0.0 ? s.d - 1 : s.d);
  }
  if (ControlGate gate(ui, "expert", "k"); gate.shown())
    changed |= slider_int("k", &s.k, 1, s.leak > 0.0 ? s.d - 1 : s.d,
                        "Coordinates each expert sees (k ≤ d). An expert's synthetic-gradient table has "
                        "2^k keys, so each key pools 2^(d−k) states: the equivalence class of eq 22.");
  if (ControlGate gate(ui, "expert", "m"); gate.shown())
    changed |= slider_int("m", &s.m, 1, L::kMaxExpertsInteractive, "Number of experts (paper: 5).");
  if (ControlGate gate(ui, "expert", "n"); gate.shown())
    changed |= slider_int("n", &s.n, 1, L::kMaxRepeatsInteractive,
                        "Repeats per state: every state is visited n times (the paper's sampling). "
                        "Both MSEs fall as 1/n.",
                        true);

  return changed;
}

// The seed with a "New seed" button beside it.
bool seed_control(expert::ExpertScenario& s, UiContext& ui) {
  bool changed = false;
  ImGui::PushItemWidth(ImGui::GetContentRegionAvail().x - ImGui::CalcTextSize("New seed").x -
                       ImGui::CalcTextSize("seed ").x - ui.px(24));
  std::uint64_t seed = s.seed;
  const std::uint64_t step = 1;
  if (ImGui::InputScalar("seed", ImGuiDataType_U64, &seed, &step, nullptr, "%llu")) {
    seed = std::min<std::uint64_t>(seed, L::kMaxSeed);
    if (seed != s.seed) {
      s.seed = seed;
      changed = true;
    }
  }
  item_tooltip("Draws the problem instance (Jacobians, experts) and the noise. The same seed gives "
               "the same numbers on any machine and thread count.");
  ImGui::PopItemWidth();
  ImGui::SameLine();
  if (ImGui::Button("New seed")) {
    std::random_device rd;
    const std::uint64_t fresh =
        ((static_cast<std::uint64_t>(rd()) << 32) ^ rd() ^
         static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count())) &
        L::kMaxSeed;
    s.seed = fresh;
    changed = true;
  }
  item_tooltip("Draw a fresh problem instance and fresh noise.");
  return changed;
}

// Random sampling: on/off, N and what an unseen key answers.
bool sampling_controls(expert::ExpertScenario& s, const UiContext& ui) {
  bool changed = false;
  if (ControlGate gate(ui, "expert", "sampling"); gate.shown()) {
  int sampling = s.sampling == expert::Sampling::kRandom ? 1 : 0;
  bool sampling_changed = ImGui::RadioButton("every state n times", &sampling, 0);
  item_tooltip("The paper's sampling: each of the 2^d states is visited exactly n times.");
  ImGui::SameLine();
  sampling_changed |= ImGui::RadioButton("random", &sampling, 1);
  item_tooltip("Draw n·N states uniformly with replacement instead. States never drawn give BP no "
               "information at all, while SG's table still answers for them. Monte Carlo only: "
               "no closed form.");
  if (sampling_changed) {
    s.sampling = sampling == 1 ? expert::Sampling::kRandom : expert::Sampling::kEveryState;
    changed = true;
  }
  }
  ImGui::BeginDisabled(s.sampling != expert::Sampling::kRandom);
  if (ControlGate gate(ui, "expert", "random_samples"); gate.shown()) {
  std::int64_t n_draws = s.random_samples;
  const std::int64_t lo = 1, hi = L::kMaxRandomSamplesInteractive;
  ImGui::SliderScalar("N", ImGuiDataType_S64, &n_draws, &lo, &hi, "%lld",
                      ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
  item_tooltip("Random sampling: states drawn per unit of n.");
  n_draws = std::clamp(n_draws, lo, hi);
  if (n_draws != s.random_samples) {
    s.random_samples = n_draws;
    changed = true;
  }
  }
  if (ControlGate gate(ui, "expert", "fallback"); gate.shown()) {
  int fallback = s.fallback == expert::Fallback::kZero ? 1 : 0;
  const char* fallbacks[] = {"expert's global mean", "zero"};
  if (ImGui::Combo("unseen", &fallback, fallbacks, 2)) {
    s.fallback = fallback == 1 ? expert::Fallback::kZero : expert::Fallback::kGlobalMean;
    changed = true;
  }
  item_tooltip("What an SG table answers for a key no sample reached (random sampling only).");
  }
  ImGui::EndDisabled();
  return changed;
}

// λ and the leak ε that breaks condition B.
bool mixing_controls(expert::ExpertScenario& s, const UiContext& ui) {
  bool changed = false;
  if (ControlGate gate(ui, "expert", "lambda"); gate.shown())
    changed |= slider_double("λ", &s.lambda, 0.0, 1.0, "%.2f",
                           "Mixing weight on SG: the estimate is (1−λ)·BP + λ·SG (THEORY.md §4, eq 16). "
                           "λ = 0 is BP, λ = 1 is SG. Without leak SG is unbiased and λ* = 1.");
  ControlGate gate(ui, "expert", "leak");
  if (!gate.shown()) return changed;
  if (s.leak == 0.0 && s.k >= s.d) {  // a leak needs a coordinate outside the expert's view
    ImGui::BeginDisabled();
    double zero = 0.0;
    slider_double("leak ε", &zero, 0.0, L::kMaxLeak, "%.3f", "A leak needs k < d: lower k first.");
    ImGui::EndDisabled();
  } else
  changed |= slider_double("leak ε", &s.leak, 0.0, L::kMaxLeak, "%.3f",
                           "Adds ε·z[c_j] to expert j's target, c_j a coordinate the expert does not see. "
                           "This breaks condition B: the table pools states whose clean feedback differs, "
                           "so SG becomes biased, λ* < 1, and BP wins beyond a crossover n (Theorem 3).");

  return changed;
}

}  // namespace

bool draw_expert_controls(expert::ExpertScenario& s, UiContext& ui) {
  bool changed = false;
  ImGui::PushItemWidth(-ImGui::CalcTextSize("bootstrap").x - ui.px(10));
  draw_step_controls_note(ui, "expert");
  if (any_shown(ui, {"case", "sigma", "p", "tau"})) {
    section("Noise case (condition A)", ui);
    changed |= noise_controls(s, ui);
  }
  if (any_shown(ui, {"d", "k", "m", "n"})) {
    section("Network", ui);
    changed |= network_controls(s, ui);
  }
  if (any_shown(ui, {"trials", "seed", "bootstrap_resamples"})) section("Monte Carlo", ui);
  if (ControlGate gate(ui, "expert", "trials"); gate.shown())
    changed |= slider_int("trials", &s.trials, L::kMinTrials, 500,
                        "Independent repetitions of the whole estimate (paper: 20). More trials, "
                        "narrower bootstrap intervals.",
                        true);
  if (ControlGate gate(ui, "expert", "seed"); gate.shown()) changed |= seed_control(s, ui);
  if (ControlGate gate(ui, "expert", "bootstrap_resamples"); gate.shown())
    changed |= slider_int("bootstrap", &s.bootstrap_resamples, 0, L::kMaxBootstrapInteractive,
                        "Paired bootstrap resamples for the ratio's 95% interval (paper: 500).", true);

  if (any_shown(ui, {"sampling", "random_samples", "fallback", "lambda", "leak"})) {
    section("Beyond the paper", ui);
    changed |= sampling_controls(s, ui);
    changed |= mixing_controls(s, ui);
  }

  const UiContext::StepControls& step = ui.step_controls;
  if (step.lab != "expert" || (step.shown.empty() && step.locked.empty())) {  // a lesson step holds its scenario
    ImGui::Spacing();
    if (ImGui::Button("Paper defaults")) {
      s = expert::ExpertScenario{};
      changed = true;
    }
    item_tooltip("Case 1, d = 8, k = 3, m = 5, n = 1, σ = p = τ = 0.5, 20 trials, seed 0.");
  }
  ImGui::PopItemWidth();
  return changed;
}

}  // namespace sglab::ui
