// The DAG lab's quantities (THEORY.md §7): exact mode on the scenario's
// network, per non-input node, at the lab's n (the scenario's view.dag.n).
#include <algorithm>
#include <limits>

#include "core/dag/dag_conditions.hpp"
#include "core/dag/dag_exact_analysis.hpp"
#include "core/dag/dag_spec_json.hpp"
#include "core/lessons/lab_quantities.hpp"
#include "core/util/error.hpp"

namespace sglab::lessons {

namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

double lab_n(const config::Scenario& scenario) {
  const nlohmann::json* view = scenario.view("dag");
  if (!view || !view->contains("n")) return 1.0;
  const nlohmann::json& n = view->at("n");
  if (!n.is_number() || n.get<double>() < 1.0) throw Error("view.dag.n: expected a number ≥ 1");
  return n.get<double>();
}

double crossover_value(const dag::DagNodeComparison& c) {
  if (c.kind != dag::DagNodeComparison::Kind::crossover) return kNan;
  switch (c.crossover.kind) {
    case dag::CrossoverKind::sg_always: return std::numeric_limits<double>::infinity();
    case dag::CrossoverKind::bp_always: return 0.0;
    case dag::CrossoverKind::sg_below:
    case dag::CrossoverKind::sg_above: return c.crossover.n;
    case dag::CrossoverKind::same: break;
  }
  return kNan;
}

void add_node(QuantityValues& q, const dag::DagNodeExact& node, double n) {
  const std::string p = "node:" + std::to_string(node.node) + ".";
  const double bp = node.bp.mse(n), sg = node.sg.mse(n);
  q[p + "bgap_rel"] = node.bgap_relative;
  q[p + "mse_bp"] = bp;
  q[p + "mse_sg"] = sg;
  q[p + "ratio"] = sg > 0.0 ? bp / sg : kNan;
  q[p + "ecv_bp"] = node.bp.ecv;
  q[p + "ecv_sg"] = node.sg.ecv;
  q[p + "vcm_bp"] = node.bp.vcm;
  q[p + "bias2_sg"] = node.sg.bias2;
  const bool mixes = node.mixing.applicable;
  q[p + "lambda_star"] = mixes ? dag::lambda_star(node.mixing, node.mu, n).value : kNan;
  q[p + "lambda_star_1"] = mixes ? dag::lambda_star(node.mixing, node.mu, 1.0).value : kNan;
  q[p + "lambda_star_256"] = mixes ? dag::lambda_star(node.mixing, node.mu, 256.0).value : kNan;
  q[p + "crossover_n"] = crossover_value(dag::compare_dag_node(node));
  // "Wins" means better beyond rounding: the lab paints a tie grey.
  q[p + "sg_wins"] = sg < bp * (1.0 - 1e-9) ? 1.0 : 0.0;
}

}  // namespace

QuantityValues dag_quantities(const config::Scenario& scenario, int threads, const WorkControl* control) {
  const double n = lab_n(scenario);
  const dag::DagNetwork net = dag::build_dag_network(dag::dag_spec_of(scenario));
  dag::DagExactOptions options;
  options.threads = threads;
  options.control = control;
  const dag::DagExactAnalysis analysis = dag::analyze_dag_exact(net, options);
  const dag::DagConditions conditions = dag::assess_dag_conditions(net, analysis, {1.0, n});

  QuantityValues q;
  q["n"] = n;
  q["nodes"] = static_cast<double>(analysis.nodes.size());
  q["b_holds"] = conditions.b.effective ? 1.0 : 0.0;
  q["a_holds"] = conditions.a.effective ? 1.0 : 0.0;
  double wins = 0.0, max_bgap = 0.0;
  for (const dag::DagNodeExact& node : analysis.nodes) {
    add_node(q, node, n);
    wins += q["node:" + std::to_string(node.node) + ".sg_wins"];
    max_bgap = std::max(max_bgap, node.bgap_relative);
  }
  q["sg_wins_count"] = wins;
  q["max_bgap_rel"] = max_bgap;
  return q;
}

}  // namespace sglab::lessons
