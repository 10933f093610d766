// The plain-language read-out beside the plots: what the current numbers say,
// in a sentence a class can follow. Built only from the snapshot's numbers.
#include <cmath>
#include <cstdio>
#include <string>

#include "ui/expert/expert_lab.hpp"
#include "ui/plot/plot_ticks.hpp"

namespace sglab::ui {

namespace {

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::string samples_fraction(double ratio) {
  if (ratio >= 1.5) return "1/" + plot::format_number(std::round(ratio), 4);
  return plot::format_number(1.0 / ratio, 3) + "×";
}

const char* case_sentence(expert::NoiseCase c) {
  switch (c) {
    case expert::NoiseCase::kNoisy: return "the terminal feedback is noisy (condition A.1)";
    case expert::NoiseCase::kActivation: return "the experts fire at random (condition A.2)";
    case expert::NoiseCase::kPartial: return "the feedback depends on an input the experts do not see (A.3)";
  }
  return "";
}

}  // namespace

std::string expert_readout_text(const jobs::ExpertLabResult& r) {
  const auto& s = r.scenario;
  const double G = r.class_size;
  const std::string g = plot::format_number(G, 6);
  std::string out;
  const double measured = r.ratio.ratio;
  const bool leak = s.leak > 0.0;

  if (s.noise_case == expert::NoiseCase::kActivation && s.noise.p >= 1.0) {
    out = "p = 1: every expert always fires, the feedback is exact and condition A fails: BP "
          "already has zero error, so there is nothing for SG to remove (Theorem 1).";
    return out;
  }
  if (s.k == s.d) {
    out = "k = d: each expert sees every coordinate, its table pools a single state, so SG is BP "
          "(ratio 1). Lower k to let experts pool states.";
    return out;
  }
  if (!leak) {
    out = "SG needs " + samples_fraction(G) + " of the samples BP needs here: each expert pools " + g +
          " states (2^(d−k) = 2^(" + std::to_string(s.d) + "−" + std::to_string(s.k) +
          ")) and averages their noise, because " + case_sentence(s.noise_case) + ".";
    if (measured > 0) {
      out += " Measured over " + std::to_string(s.trials) + " trials: BP's MSE is " +
             plot::format_number(measured, 3) + "× SG's";
      if (s.bootstrap_resamples > 0)
        out += " (95% CI " + plot::format_number(r.ratio.ci_low, 3) + "–" +
               plot::format_number(r.ratio.ci_high, 3) + ")";
      out += r.has_theory ? "; theory (eq 23) says exactly " + g + "×." : ".";
    }
  } else {
    out = "Leak ε = " + plot::format_number(s.leak, 3) +
          " breaks condition B: each expert's table pools " + g +
          " states whose clean feedback differs, so SG is biased.";
    if (r.has_theory) {
      const double bias = r.theory.sg_bias2, var = r.theory.sg_var;
      out += " At n = " + std::to_string(s.n) + ": SG's bias² " + plot::format_number(bias, 3) +
             " vs variance " + plot::format_number(var, 3) + ", so BP/SG = " +
             plot::format_number(r.theory.ratio(), 3) + "×.";
      if (std::isfinite(r.crossover_n) && r.crossover_n > 0)
        out += " BP catches up at n ≈ " + plot::format_number(r.crossover_n, 3) +
               " repeats per state (Theorem 3's crossover);";
      else if (r.crossover_n == 0)
        out += " BP already wins at every n;";
      out += " the best mix puts λ* = " + fmt("%.2f", r.lambda_star) + " on SG.";
    } else if (measured > 0) {
      out += " Measured BP/SG = " + plot::format_number(measured, 3) + "×.";
    }
  }
  if (s.sampling == expert::Sampling::kRandom)
    out += " Random sampling (N = " + std::to_string(s.random_samples) +
           " per unit of n): Monte Carlo only, no closed form.";
  return out;
}

void draw_expert_readout(const jobs::ExpertLabResult* r, ResultFreshness freshness, UiContext& ui) {
  ImGui::PushTextWrapPos(0.0f);
  if (r == nullptr) {
    ImGui::TextDisabled(freshness == ResultFreshness::kCancelled ? "Cancelled before the first result: Resume in the status bar."
                                                                 : "Computing the first result…");
  } else {
    if (ui.fonts.title) ImGui::PushFont(ui.fonts.title);
    // Presenter mode: one line and "more"; the figures get the room.
    collapsible_text("expert_readout", (freshness == ResultFreshness::kUpdating && ui.presenter ? "(updating…) " : "") + expert_readout_text(*r),
                     ui.presenter);
    if (ui.fonts.title) ImGui::PopFont();
    if (freshness == ResultFreshness::kUpdating && !ui.presenter) ImGui::TextDisabled("Updating for the new settings…");
    if (freshness == ResultFreshness::kCancelled)
      ImGui::TextColored(ImVec4(0.7f, 0.3f, 0.0f, 1.0f), "%s",
                         "Cancelled: this read-out and the plots show a partial or older result, not the current "
                         "settings. Resume in the status bar.");
  }
  ImGui::PopTextWrapPos();
}

}  // namespace sglab::ui
