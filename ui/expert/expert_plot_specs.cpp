// The five plots of the expert lab, described from one snapshot (built once
// per snapshot, drawn every frame). Colours: BP vermillion, SG blue, theory
// black; the d-sweep's k values take the palette's other colours.
#include <cmath>
#include <cstdio>

#include "ui/expert/expert_lab.hpp"
#include "ui/plot/plot_ticks.hpp"

namespace sglab::ui {

namespace {

using plot::Marker;
using plot::PlotSpec;
using plot::Scale;
using plot::Series;

Series points(const std::string& name, ImU32 colour, Marker marker) {
  Series s;
  s.name = name;
  s.colour = colour;
  s.line = false;
  s.marker = marker;
  return s;
}

Series curve(const std::string& name, ImU32 colour, bool dashed, float width = 2.0f) {
  Series s;
  s.name = name;
  s.colour = colour;
  s.dashed = dashed;
  s.width = width;
  return s;
}

void add_point(Series& s, double x, double y, double se) {
  s.x.push_back(x);
  s.y.push_back(y);
  s.y_lo.push_back(y - se);
  s.y_hi.push_back(y + se);
}

std::string k_colour_label(int k) { return "k = " + std::to_string(k); }

// Legend-only entries: one per estimator (hides its whole group when clicked)
// and one per drawing convention, so legends stay one or two short rows.
Series legend_entry(const std::string& name, ImU32 colour, bool line, bool dashed, Marker marker, bool bar) {
  Series s;
  s.name = name;
  s.group = name;
  s.colour = colour;
  s.line = line;
  s.dashed = dashed;
  s.marker = marker;
  if (bar) {
    s.y_lo = {0.0};
    s.y_hi = {0.0};
  }
  return s;
}

void estimator_legend(PlotSpec& p, bool theory_dashed, bool has_theory) {
  p.series.push_back(legend_entry("BP", palette::kBp, true, false, Marker::kCircle, false));
  p.series.push_back(legend_entry("SG", palette::kSg, true, false, Marker::kSquare, false));
  if (has_theory) p.series.push_back(legend_entry("closed form", palette::kGrey, true, theory_dashed, Marker::kNone, false));
  p.series.push_back(legend_entry("Monte Carlo ± SE", palette::kGrey, false, false, Marker::kCircle, true));
}

void hide_from_legend(Series& s, const char* group) {
  s.in_legend = false;
  s.group = group;
}

// Titles, axes and captions of the five plots; they stand before any data arrives.
void describe_plots(const expert::ExpertScenario& s, std::array<PlotSpec, 5>& specs) {
  const std::string at_n = "n = " + std::to_string(s.n);
  const std::string at_dk = "d = " + std::to_string(s.d) + ", k = " + std::to_string(s.k);
  // 1. Ratio against d, one line per k (the paper's Figure 2a).
  PlotSpec& p1 = specs[0];
  p1.id = "ratio_vs_d";
  p1.title = "Ratio BP/SG against d (Fig. 2a)";
  p1.subtitle = at_n;
  p1.x = {"d (input dimension; 2^d states)", Scale::kLinear, true, {}, {}};
  p1.y = {"MSE(BP) / MSE(SG)", Scale::kLog, false, {}, {}};
  // 2. MSE against n.
  PlotSpec& p2 = specs[1];
  p2.id = "mse_vs_n";
  p2.title = "MSE of BP and SG against n";
  p2.subtitle = at_dk;
  p2.x = {"n (repeats per state)", Scale::kLog, false, {}, {}};
  p2.y = {"MSE of the gradient estimate", Scale::kLog, false, {}, {}};
  p2.legend_right = true;
  // 3. MSE against d.
  PlotSpec& p3 = specs[2];
  p3.id = "mse_vs_d";
  p3.title = "MSE of BP and SG against d";
  p3.subtitle = "k = " + std::to_string(s.k) + ", " + at_n;
  p3.x = {"d (input dimension)", Scale::kLinear, true, {}, {}};
  p3.y = {"MSE of the gradient estimate", Scale::kLog, false, {}, {}};
  p3.legend_right = true;
  // 4. Ratio against n.
  PlotSpec& p4 = specs[3];
  p4.id = "ratio_vs_n";
  p4.title = "Ratio BP/SG against n";
  p4.subtitle = at_dk;
  p4.x = {"n (repeats per state)", Scale::kLog, false, {}, {}};
  p4.y = {"MSE(BP) / MSE(SG)", Scale::kLog, false, {}, {}};
  // 5. MSE against λ.
  PlotSpec& p5 = specs[4];
  p5.id = "mse_vs_lambda";
  p5.title = "MSE of the mix (1−λ)·BP + λ·SG";
  p5.subtitle = at_dk + ", " + at_n;
  p5.x = {"λ (weight on the synthetic gradient)", Scale::kLinear, false, 0.0, 1.0};
  p5.y = {"MSE of the mix", Scale::kLinear, false, 0.0, {}};
  p5.legend_right = true;
}

// Plots 1 and 3, one k of the d-sweep: its ratio line against d with the
// 2^(d−k) dashes; at the chosen k also the MSEs against d.
void add_d_sweep_k(const jobs::ExpertLabResult& r, std::size_t ki, const expert::ExpertScenario& s,
                   PlotSpec& p1, PlotSpec& p3) {
  const int k = r.sweep_ks[ki];
  const bool current = k == s.k;
  const ImU32 colour = current ? palette::kBlue : palette::series(static_cast<int>(ki));
  Series measured = points(k_colour_label(k), colour, Marker::kCircle);
  measured.line = true;
  // Lines are drawn whole pixels wide (plot_internal.hpp stroke_width): 3 and 2
  // px for the current k, 1 px for the others.
  measured.width = current ? 2.5f : 1.0f;
  Series theory = curve(k_colour_label(k) + ": 2^(d−k)", colour, true, current ? 2.0f : 1.0f);
  theory.in_legend = false;  // one shared legend entry explains the dashes
  theory.group = k_colour_label(k);
  Series bp = points("BP, Monte Carlo ± SE", palette::kBp, Marker::kCircle);
  Series sg = points("SG, Monte Carlo ± SE", palette::kSg, Marker::kSquare);
  Series bp_th = curve("BP, closed form", palette::kBp, true);
  Series sg_th = curve("SG, closed form", palette::kSg, true);
  for (const auto& c : r.d_cells[ki]) {
    measured.x.push_back(c.d);
    measured.y.push_back(c.ratio.ratio);
    measured.y_lo.push_back(c.ratio.ci_low);
    measured.y_hi.push_back(c.ratio.ci_high);
    theory.x.push_back(c.d);
    theory.y.push_back(std::ldexp(1.0, c.d - c.k));
    if (current) {
      add_point(bp, c.d, c.mse_bp, c.se_bp);
      add_point(sg, c.d, c.mse_sg, c.se_sg);
      if (c.has_theory) {
        bp_th.x.push_back(c.d);
        bp_th.y.push_back(c.theory.mse_bp);
        sg_th.x.push_back(c.d);
        sg_th.y.push_back(c.theory.mse_sg());
      }
    }
  }
  if (s.bootstrap_resamples == 0) {
    measured.y_lo.clear();
    measured.y_hi.clear();
  }
  p1.series.push_back(std::move(theory));
  p1.series.push_back(std::move(measured));
  if (current) {
    hide_from_legend(bp, "BP");
    hide_from_legend(sg, "SG");
    hide_from_legend(bp_th, "BP");
    hide_from_legend(sg_th, "SG");
    estimator_legend(p3, true, !bp_th.x.empty());
    if (!bp_th.x.empty()) p3.series.push_back(std::move(bp_th));
    if (!sg_th.x.empty()) p3.series.push_back(std::move(sg_th));
    p3.series.push_back(std::move(bp));
    p3.series.push_back(std::move(sg));
  }
}

// Plots 1 and 3: the d-sweep, one line per k (the paper's Figure 2a).
void add_d_sweep(const jobs::ExpertLabResult& r, const expert::ExpertScenario& s, PlotSpec& p1,
                 PlotSpec& p3) {
  for (std::size_t ki = 0; ki < r.d_cells.size(); ++ki) add_d_sweep_k(r, ki, s, p1, p3);
  if (!r.d_cells.empty()) {
    p1.series.push_back(legend_entry(s.leak > 0 ? "2^(d−k): theory without leak" : "theory 2^(d−k)", palette::kGrey,
                                     true, true, Marker::kNone, false));
    if (s.bootstrap_resamples > 0)
      p1.series.push_back(legend_entry("95% CI", palette::kGrey, false, false, Marker::kNone, true));
    p1.vlines.push_back({static_cast<double>(s.d), "d = " + std::to_string(s.d), palette::kGrey, true});
    p3.vlines.push_back({static_cast<double>(s.d), "d = " + std::to_string(s.d), palette::kGrey, true});
  }

}

// Plots 2 and 4: the n-sweep at (d, k), Monte Carlo beside the closed forms.
void add_n_sweep(const jobs::ExpertLabResult& r, const expert::ExpertScenario& s, PlotSpec& p2,
                 PlotSpec& p4) {
  const std::string at_n = "n = " + std::to_string(s.n);
  if (!r.n_cells.empty()) {
    if (!r.n_theory_grid.empty()) {
      Series bp_th = curve("BP, closed form", palette::kBp, false);
      Series sg_th = curve("SG, closed form", palette::kSg, false);
      Series ratio_th = curve("closed form", palette::kTheory, true);
      bp_th.x = sg_th.x = ratio_th.x = r.n_theory_grid;
      bp_th.y = r.n_theory_bp;
      sg_th.y = r.n_theory_sg;
      for (std::size_t i = 0; i < r.n_theory_grid.size(); ++i)
        ratio_th.y.push_back(r.n_theory_sg[i] > 0 ? r.n_theory_bp[i] / r.n_theory_sg[i] : NAN);
      hide_from_legend(bp_th, "BP");
      hide_from_legend(sg_th, "SG");
      p2.series.push_back(std::move(bp_th));
      p2.series.push_back(std::move(sg_th));
      p4.series.push_back(std::move(ratio_th));
    }
    Series bp = points("BP, Monte Carlo ± SE", palette::kBp, Marker::kCircle);
    Series sg = points("SG, Monte Carlo ± SE", palette::kSg, Marker::kSquare);
    Series ratio = points("measured (95% CI)", palette::kSg, Marker::kDiamond);
    Series g_line = curve("2^(d−k) = " + plot::format_number(r.class_size, 6), palette::kGrey, true, 1.5f);
    for (const auto& c : r.n_cells) {
      add_point(bp, c.n, c.mse_bp, c.se_bp);
      add_point(sg, c.n, c.mse_sg, c.se_sg);
      ratio.x.push_back(c.n);
      ratio.y.push_back(c.ratio.ratio);
      if (s.bootstrap_resamples > 0) {
        ratio.y_lo.push_back(c.ratio.ci_low);
        ratio.y_hi.push_back(c.ratio.ci_high);
      }
      g_line.x.push_back(c.n);
      g_line.y.push_back(r.class_size);
    }
    if (s.bootstrap_resamples == 0) ratio.name = "measured";
    hide_from_legend(bp, "BP");
    hide_from_legend(sg, "SG");
    estimator_legend(p2, false, !r.n_theory_grid.empty());
    p2.series.push_back(std::move(bp));
    p2.series.push_back(std::move(sg));
    if (s.leak > 0) {
      Series one = curve("break-even (BP = SG)", palette::kGrey, true, 1.5f);
      one.x = {r.n_cells.front().n * 1.0, r.n_cells.back().n * 1.0};
      one.y = {1.0, 1.0};
      p4.series.push_back(std::move(one));
    } else if (!p4.series.empty()) {
      p4.series.front().name = "closed form = 2^(d−k) = " + plot::format_number(r.class_size, 6);
    } else {
      p4.series.push_back(std::move(g_line));
    }
    p4.series.push_back(std::move(ratio));
    p2.vlines.push_back({static_cast<double>(s.n), at_n, palette::kGrey, true});
    p4.vlines.push_back({static_cast<double>(s.n), at_n, palette::kGrey, true});
    if (s.leak > 0 && std::isfinite(r.crossover_n) && r.crossover_n > 0)
      p4.vlines.push_back({r.crossover_n, "crossover n ≈ " + plot::format_number(r.crossover_n, 3),
                           palette::kBp, true});
  }

}

// Plot 5: MSE of the mixture against λ, with λ* and the chosen λ.
void add_lambda_plot(const jobs::ExpertLabResult& r, const expert::ExpertScenario& s, PlotSpec& p5) {
  if (r.stages_done >= 1) {
    if (!r.lambda_grid.empty()) {
      Series th = curve("closed form E[MSE](λ)", palette::kTheory, false);
      th.x = r.lambda_grid;
      th.y = r.lambda_theory;
      p5.series.push_back(std::move(th));
      char buf[64];
      std::snprintf(buf, sizeof buf, "λ* = %.2f", r.lambda_star);
      p5.vlines.push_back({r.lambda_star, buf, palette::kGreen, true});
    }
    Series mc = points("Monte Carlo ± SE", palette::kMix, Marker::kCircle);
    for (const auto& pt : r.lambda_points) add_point(mc, pt.lambda, pt.mse, pt.se);
    p5.series.push_back(std::move(mc));
    if (std::abs(s.lambda - r.lambda_star) > 0.02 || r.lambda_grid.empty()) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "your λ = %.2f", s.lambda);
      p5.vlines.push_back({s.lambda, buf, palette::kGrey, true});
    }
  }
}

}  // namespace

std::array<PlotSpec, 5> build_expert_plot_specs(const jobs::ExpertLabResult* r,
                                                const expert::ExpertScenario& s_now) {
  std::array<PlotSpec, 5> specs;
  const expert::ExpertScenario& s = r ? r->scenario : s_now;
  describe_plots(s, specs);
  if (r == nullptr) return specs;
  add_d_sweep(*r, s, specs[0], specs[2]);
  add_n_sweep(*r, s, specs[1], specs[3]);
  add_lambda_plot(*r, s, specs[4]);
  return specs;
}

}  // namespace sglab::ui
