// The selected node's four plots, described from a snapshot (the job did
// all the science): MSE against n (Lemma 1 lines, sample-mode points ± SE),
// λ*(n) (eq 18), Theorem 3's variance and bias sides against n with their
// crossing, and the exact MSE(λ) at the lab's n (eq 17) with λ* marked.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "ui/dag/dag_lab.hpp"
#include "ui/theme.hpp"

namespace sglab::ui {

namespace {

std::string fmt(const char* pattern, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, pattern, v);
  return buf;
}

plot::Series points(const std::string& name, ImU32 colour, plot::Marker marker,
                    const std::string& group) {
  plot::Series s;
  s.name = name;
  s.colour = colour;
  s.line = false;
  s.marker = marker;
  s.group = group;
  return s;
}

std::string mse_lambda_note(const jobs::DagLabResult& r, const dag::DagNodeExact& node);

// Ids and axes of the plots (titles follow the selected node).
void describe_dag_plots(std::array<plot::PlotSpec, kDagPlotCount>& specs) {
  plot::PlotSpec& mse_n = specs[0];
  plot::PlotSpec& star_n = specs[1];
  plot::PlotSpec& sides = specs[2];
  plot::PlotSpec& mse_l = specs[3];
  sides.id = "dag_theorem3_sides";
  sides.x = {"n (samples averaged)", plot::Scale::kLog, false, {}, {}};
  sides.y = {"size of the term in eq 18's numerator", plot::Scale::kLog, false, {}, {}};
  sides.legend_right = true;
  mse_n.id = "dag_mse_vs_n";
  mse_n.x = {"n (samples averaged)", plot::Scale::kLog, false, {}, {}};
  mse_n.y = {"MSE of the parameter gradient", plot::Scale::kLog, false, {}, {}};
  mse_n.legend_right = true;
  star_n.id = "dag_lambda_star_vs_n";
  star_n.x = {"n (samples averaged)", plot::Scale::kLog, false, {}, {}};
  star_n.y = {"λ* (best weight on SG)",
              plot::Scale::kLinear,
              false,
              -0.02,
              {}};  // the top stretches for the legend
  mse_l.id = "dag_mse_vs_lambda";
  mse_l.x = {"λ (weight on the synthetic gradient)", plot::Scale::kLinear, false, 0.0, 1.0};
  mse_l.y = {"MSE of the parameter gradient", plot::Scale::kLinear, false, 0.0, {}};
}

// MSE against n: Lemma 1's lines, sample mode's points ± SE, the crossover.
void add_mse_vs_n(const jobs::DagLabResult& r, const dag::DagNodeExact& node, const jobs::DagNodeCurves& c,
                  DagPlots& out) {
  plot::PlotSpec& mse_n = out.specs[0];
  std::string& note = out.notes[0];
  const std::string predictor = dag::predictor_name(r.analysis->predictor_used);
  plot::Series bp_line;
  bp_line.name = "BP";
  bp_line.group = "BP";
  bp_line.colour = palette::kBp;
  bp_line.x = r.n_grid;
  bp_line.y = c.mse_bp;
  plot::Series sg_line;
  sg_line.name = "SG (" + predictor + ")";
  sg_line.group = sg_line.name;
  sg_line.colour = palette::kSg;
  sg_line.dashed = true;
  sg_line.x = r.n_grid;
  sg_line.y = c.mse_sg;
  mse_n.series.push_back(bp_line);
  mse_n.series.push_back(sg_line);
  plot::Series bp_pts = points("BP measured", palette::kBp, plot::Marker::kCircle, "BP");
  bp_pts.in_legend = false;
  plot::Series sg_pts = points("SG measured", palette::kSg, plot::Marker::kSquare, sg_line.group);
  sg_pts.in_legend = false;
  std::string learned_name = "SG learned";
  plot::Series learned = points(learned_name, palette::kMix, plot::Marker::kDiamond, "");
  const auto add = [](plot::Series& s, double n, const dag::DagSampleEstimate& e) {
    if (!e.present || !(e.mse > 0)) return;
    s.x.push_back(n);
    s.y.push_back(e.mse);
    s.y_lo.push_back(std::max(e.mse - e.se, e.mse * 1e-3));
    s.y_hi.push_back(e.mse + e.se);
  };
  for (const auto& p : r.samples) {
    for (const auto& sn : p.nodes) {
      if (sn.node != node.node) continue;
      add(bp_pts, p.n, sn.bp);
      add(sg_pts, p.n, sn.sg_exact);
      add(learned, p.n, sn.sg_learned);
    }
  }
  if (!r.samples.empty()) {
    learned.name = "SG, predictor learned from the n samples";
    mse_n.series.push_back(bp_pts);
    mse_n.series.push_back(sg_pts);
    if (!learned.x.empty() && !node.terminal) mse_n.series.push_back(learned);
  } else if (!r.complete) {
    note = "Lines: Lemma 1 from the exact moments. Sample-mode points: computing…";
  }
  if (c.crossover.kind == dag::CrossoverKind::sg_below && std::isfinite(c.crossover.n))
    mse_n.vlines.push_back(
        {c.crossover.n, "crossover n = " + fmt("%.3g", c.crossover.n), palette::kGrey, true});
  mse_n.vlines.push_back({r.request.n, "lab n", palette::kBlack, true});

}

// λ*(n) (eq 18) beside the λ SG uses now.
void add_lambda_star(const jobs::DagLabResult& r, const dag::DagNodeExact& node, const jobs::DagNodeCurves& c,
                     DagPlots& out) {
  plot::PlotSpec& star_n = out.specs[1];
  std::string& note = out.notes[1];
  if (c.star_at_n.irrelevant) {
    star_n.empty_message = "λ* irrelevant here (a ≡ b)";
    note =
        "The propagated and synthetic parts are identical at this node (a ≡ b): every λ gives the "
        "same "
        "gradient, so there is no best λ.";
  } else {
    note =
        "eq 18 from the exact moments: λ* < 1 when SG's bias outweighs the variance it saves.";
    plot::Series star;
    star.name = "λ*(n)";
    star.colour = palette::kMix;
    star.x = r.n_grid;
    star.y = c.lambda_star;
    star_n.series.push_back(star);
    plot::Series configured;
    configured.name = "λ used by SG now";
    configured.colour = palette::kGrey;
    configured.dashed = true;
    configured.x = {r.n_grid.front(), r.n_grid.back()};
    configured.y = {node.lambda, node.lambda};
    star_n.series.push_back(configured);
    if (c.crossover.kind == dag::CrossoverKind::sg_below && std::isfinite(c.crossover.n))
      star_n.vlines.push_back({c.crossover.n, "crossover n", palette::kGrey, true});
  }

}

// The exact MSE(λ) at the lab's n (eq 17) with λ* and the λ used now.
void add_mse_vs_lambda(const jobs::DagLabResult& r, const dag::DagNodeExact& node,
                       const jobs::DagNodeCurves& c, DagPlots& out) {
  plot::PlotSpec& mse_l = out.specs[3];
  out.notes[3] = mse_lambda_note(r, node);
  plot::Series curve;
  curve.name = "MSE(λ)";
  curve.colour = palette::kMix;
  curve.x = r.lambda_grid;
  curve.y = c.mse_lambda;
  mse_l.series.push_back(curve);
  if (!c.star_at_n.irrelevant)
    mse_l.vlines.push_back(
        {c.star_at_n.value, "λ* = " + fmt("%.3g", c.star_at_n.value), palette::kMix, true});
  mse_l.vlines.push_back({node.lambda, "λ now", palette::kGrey, true});
  mse_l.legend_right = true;
}

// Whether some chain of child edges leads from `node` to a terminal.
bool reaches_terminal(const dag::DagNetwork& net, int node) {
  std::vector<int> stack{node};
  std::vector<bool> seen(net.child_begin.size(), false);
  while (!stack.empty()) {
    const int i = stack.back();
    stack.pop_back();
    if (net.is_terminal(i)) return true;
    for (int e = net.child_begin[static_cast<std::size_t>(i)]; e < net.child_begin[static_cast<std::size_t>(i) + 1]; ++e) {
      const int child = net.child[static_cast<std::size_t>(e)];
      if (!seen[static_cast<std::size_t>(child)]) {
        seen[static_cast<std::size_t>(child)] = true;
        stack.push_back(child);
      }
    }
  }
  return false;
}

// Which λ MSE(λ) varies, from the network: only this node's; the others keep
// theirs, so λ = 0 is BP here only when no node below this one mixes.
std::string mse_lambda_note(const jobs::DagLabResult& r, const dag::DagNodeExact& node) {
  std::string note = "eq 17, varying only node " + std::to_string(node.node) + "'s λ; the others keep theirs.";
  if (!r.network) return note;
  const dag::DagNetwork& net = *r.network;
  std::vector<int> stack = {node.node};
  std::vector<unsigned char> seen(static_cast<std::size_t>(net.node_count), 0);
  std::vector<int> mixing_below;
  while (!stack.empty()) {
    const int i = stack.back();
    stack.pop_back();
    for (int e = net.child_begin[static_cast<std::size_t>(i)]; e < net.child_begin[static_cast<std::size_t>(i) + 1]; ++e) {
      const int c = net.child[static_cast<std::size_t>(e)];
      if (seen[static_cast<std::size_t>(c)]) continue;
      seen[static_cast<std::size_t>(c)] = 1;
      stack.push_back(c);
      if (!net.is_terminal(c) && net.lambda[static_cast<std::size_t>(c)] > 0.0) mixing_below.push_back(c);
    }
  }
  if (mixing_below.empty()) return note + " No node below mixes: λ = 0 is BP, λ = 1 fully synthetic.";
  std::sort(mixing_below.begin(), mixing_below.end());
  std::string list;
  for (std::size_t k = 0; k < mixing_below.size() && k < 4; ++k)
    list += (k ? ", " : "") + std::to_string(mixing_below[k]);
  if (mixing_below.size() > 4) list += ", …";
  return note + " λ = 0 is not BP here: node" + (mixing_below.size() > 1 ? "s " : " ") + list + " below mix" +
         (mixing_below.size() > 1 ? "" : "es") + ".";
}

// Theorem 3 (THEORY.md §4): the variance side V/n against the bias side Bs, their
// crossing n×, and what the numbers say at the lab's n.
void add_theorem3_sides(const jobs::DagLabResult& r, const dag::DagNodeExact& node, const jobs::DagNodeCurves& c,
                        DagPlots& out) {
  plot::PlotSpec& sides = out.specs[2];
  std::string& note = out.notes[2];
  if (c.star_at_n.irrelevant) {
    sides.empty_message = "no trade-off: a ≡ b at this node";
    note = "The propagated and synthetic parts are identical here, so both sides are 0.";
    return;
  }
  const dag::Theorem3Sides t = dag::theorem3_sides(node.mixing, node.mu);
  plot::Series variance;
  variance.name = "variance side";
  variance.colour = palette::kSg;
  plot::Series bias;
  bias.name = "bias side";
  bias.colour = palette::kBp;
  bias.dashed = true;
  // A log axis shows magnitudes; a side ≤ 0 cannot appear on it, and the note says so.
  for (double n : r.n_grid) {
    if (t.variance_at_1 > 0.0) {
      variance.x.push_back(n);
      variance.y.push_back(t.variance_at_1 / n);
    }
    if (t.bias_side > 0.0) {
      bias.x.push_back(n);
      bias.y.push_back(t.bias_side);
    }
  }
  if (!variance.x.empty()) sides.series.push_back(variance);
  if (!bias.x.empty()) sides.series.push_back(bias);
  if (sides.series.empty()) sides.empty_message = "both sides ≤ 0 at every n (see the note)";
  if (std::isfinite(t.crossing_n))
    sides.vlines.push_back({t.crossing_n, "sides cross, n = " + fmt("%.3g", t.crossing_n), palette::kMix, true});
  sides.vlines.push_back({r.request.n, "lab n", palette::kBlack, true});
  const double n = r.request.n;
  const double v = t.variance_at_1 / n;
  note = "(trCov a − trCov(a,b))/n vs (E a − μ)·(E b − E a). n = " + fmt("%g", n) + ": " + fmt("%.3g", v) +
         (v > t.bias_side ? " > " : " ≤ ") + fmt("%.3g", t.bias_side) + ", λ* = " + fmt("%.3g", c.star_at_n.value) + ".";
  if (std::isfinite(t.crossing_n))
    note += t.variance_at_1 > 0.0 ? " Past n = " + fmt("%.3g", t.crossing_n) + " bias wins: λ* = 0."
                                  : " Past n = " + fmt("%.3g", t.crossing_n) + " λ* > 0.";
  else if (t.bias_side <= 0.0 && t.variance_at_1 > 0.0)
    note += " Bias side ≤ 0 (not on the log axis): λ* > 0 at every n.";
  else if (t.variance_at_1 <= 0.0 && t.bias_side >= 0.0)
    note += " Variance side ≤ 0 (not drawn): λ* = 0 at every n.";
}

}  // namespace

DagPlots build_dag_plots(const jobs::DagLabResult* r, int selected) {
  DagPlots out;
  std::array<plot::PlotSpec, kDagPlotCount>& specs = out.specs;
  std::array<std::string, kDagPlotCount>& notes = out.notes;
  plot::PlotSpec& mse_n = specs[0];
  plot::PlotSpec& star_n = specs[1];
  plot::PlotSpec& sides = specs[2];
  plot::PlotSpec& mse_l = specs[3];
  describe_dag_plots(specs);
  const int k = r != nullptr ? r->index_of(selected) : -1;
  mse_n.title = "MSE against n";
  star_n.title = "λ*(n): the best mixing weight";
  sides.title = "Theorem 3: variance side vs bias side";
  mse_l.title = "MSE against λ";
  if (r == nullptr || k < 0) {
    // An analysis without the selected node: it is an input (inputs carry no gradient).
    const char* message = r == nullptr            ? "computing…"
                          : !r->error.empty()     ? "no analysis (see the error above)"
                          : r->analysis == nullptr ? "computing…"
                                                   : "an input: no gradient to estimate";
    for (auto& s : specs) s.empty_message = message;
    return out;
  }
  const auto& node = r->analysis->nodes[static_cast<std::size_t>(k)];
  const auto& c = r->curves[static_cast<std::size_t>(k)];
  // E[g_i²] = 0: no path from this node to a terminal, so both estimators are exactly 0
  // at every n and there is nothing to compare (the λ axes would be meaningless).
  if (node.node_gradient_second_moment == 0.0 && node.bp.mse(1.0) == 0.0 && node.sg.mse(1.0) == 0.0) {
    const bool orphan = r->network != nullptr && !reaches_terminal(*r->network, node.node);
    const std::string why = orphan ? "no path to a terminal" : "its paths to the terminals carry no gradient";
    for (auto& s : specs) s.empty_message = "this node's gradient is always 0 (" + why + ")";
    for (auto& n : notes)
      n = "Node " + std::to_string(node.node) + ": " + why + ", so the loss does not depend on it and BP and SG are both exact.";
    return out;
  }
  const std::string who =
      "node " + std::to_string(node.node) + (node.terminal ? " (terminal)" : "");
  mse_n.title = "MSE against n, " + who;
  notes[0] = "Lines: Lemma 1 from the exact moments. Points: sample mode, mean ± SE over " +
             std::to_string(r->request.sample_trials) + " trials.";

  add_mse_vs_n(*r, node, c, out);
  // ---- λ*(n) ---------------------------------------------------------------------------
  star_n.title = "λ*(n), " + who;
  sides.title = "Theorem 3 sides, " + who;
  mse_l.title = "MSE against λ at n = " + fmt("%g", r->request.n) + ", " + who;
  if (!c.mixing) {
    star_n.empty_message = "no λ at a terminal";
    mse_l.empty_message = star_n.empty_message;
    sides.empty_message = star_n.empty_message;
    notes[1] =
        "A terminal does not mix: its feedback is the loss gradient itself, so λ does not apply.";
    notes[2] = notes[1];
    notes[3] = notes[1];
    return out;
  }
  add_lambda_star(*r, node, c, out);
  add_theorem3_sides(*r, node, c, out);
  add_mse_vs_lambda(*r, node, c, out);
  return out;
}

}  // namespace sglab::ui
