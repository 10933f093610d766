#include "core/dag/dag_exact_report.hpp"

#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

#include "core/dag/dag_verdict_text.hpp"

namespace sglab::dag {

namespace {

std::string num(double x) {
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.10g", x);
  return buffer;
}

std::string short_num(double x) {
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.4g", x);
  return buffer;
}

// MSE ratio BP/SG; +inf when SG's MSE is 0 and BP's is not, 1 when both are 0.
double mse_ratio(double bp, double sg) {
  if (sg > 0.0) return bp / sg;
  return bp > 0.0 ? std::numeric_limits<double>::infinity() : 1.0;
}

nlohmann::json json_number(double x) {
  if (std::isfinite(x)) return x;
  return nullptr;  // JSON has no infinity: null means "none / unbounded"
}

std::string csv_quote(const std::string& text) {
  std::string out = "\"";
  for (char ch : text) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

nlohmann::json status_json(const DagConditions& c, DagCondition which) {
  const DagConditionStatus& s = c.status(which);
  return {{"declared", s.declared}, {"effective", s.effective}, {"reason", describe(c, which)}};
}

}  // namespace

nlohmann::json dag_conditions_json(const DagConditions& c) {
  nlohmann::json out = {{"A1", status_json(c, DagCondition::a1)}, {"A2", status_json(c, DagCondition::a2)},
                        {"A3", status_json(c, DagCondition::a3)}, {"A", status_json(c, DagCondition::a)},
                        {"B", {{"holds", c.b.effective}, {"reason", describe(c, DagCondition::b)},
                               {"max_bgap_relative", c.b.measured}, {"max_bgap_node", c.b.measured_node}}}};
  out["verdicts"] = describe_verdicts(c);
  // The same verdicts as data, for scripts that should not parse prose.
  nlohmann::json data = nlohmann::json::array();
  for (const auto& v : c.verdicts) {
    nlohmann::json item = {{"kind", verdict_kind_name(v.kind)}, {"theorem", v.theorem}};
    if (!v.nodes.empty()) item["nodes"] = v.nodes;
    if (!v.strict_nodes.empty()) item["strict_nodes"] = v.strict_nodes;
    if (v.kind == DagVerdictKind::theorem2_applies) item["max_sg_bias2"] = v.max_sg_bias2;
    if (v.kind == DagVerdictKind::theorem2_does_not_apply)
      item["fails"] = {{"B", v.b_fails}, {"oracle_predictor", v.predictor_not_oracle},
                       {"lambda_one", v.lambda_not_one}};
    if (v.node >= 0) item["node"] = v.node;
    data.push_back(item);
  }
  out["verdict_data"] = data;
  return out;
}

std::string dag_exact_report_text(const DagExactReport& report) {
  const auto& a = *report.analysis;
  const auto& c = *report.conditions;
  std::ostringstream out;
  out << "exact mode: " << a.space.outcome_count() << " outcomes (2^" << a.space.input_bits << " inputs x 2^"
      << a.space.mask_bits << " masks x 2^" << a.space.sign_bits << " signs); predictor "
      << predictor_name(a.predictor_used);
  if (a.predictor_used != a.configured_predictor)
    out << " (large-sample limit of " << predictor_name(a.configured_predictor) << ")";
  out << "\n";
  auto line = [&](const char* name, DagCondition which) {
    const DagConditionStatus& s = c.status(which);
    out << "  " << name << ": " << (s.declared ? "declared" : "not declared") << ", "
        << (s.effective ? "effective" : "not effective") << " - " << describe(c, which) << "\n";
  };
  out << "conditions:\n";
  line("A.1", DagCondition::a1);
  line("A.2", DagCondition::a2);
  line("A.3", DagCondition::a3);
  line("A  ", DagCondition::a);
  out << "  B  : " << (c.b.effective ? "holds" : "fails") << " - " << describe(c, DagCondition::b) << "\n";
  out << "verdicts:\n";
  for (const auto& v : describe_verdicts(c)) out << "  " << v << "\n";
  char row[512];
  std::snprintf(row, sizeof row, "%5s %5s %10s %10s %10s %10s %10s %10s %6s %10s %10s %8s %9s %10s %10s %10s %10s\n",
                "node", "layer", "ECV_BP", "VCM_BP", "ECV_SG", "VCM_SG", "Bias2_SG", "lambda", "n", "MSE_BP",
                "MSE_SG", "BP/SG", "lambda*", "var_side", "bias_side", "cross_n", "Bgap_rel");
  out << row;
  for (const auto& node : a.nodes) {
    const Crossover cross = sg_bp_crossover(node.bp, node.sg);
    const double cross_n = (cross.kind == CrossoverKind::sg_below || cross.kind == CrossoverKind::sg_above)
                               ? cross.n : std::numeric_limits<double>::infinity();
    for (double n : report.ns) {
      const LambdaStar ls = lambda_star(node.mixing, node.mu, n);
      const double mse_bp = node.bp.mse(n), mse_sg = node.sg.mse(n);
      std::snprintf(row, sizeof row,
                    "%5d %5d %10.4g %10.4g %10.4g %10.4g %10.4g %8s %6s %10.4g %10.4g %8s %9s %10.4g %10.4g %10s %10.4g\n",
                    node.node, node.layer, node.bp.ecv, node.bp.vcm, node.sg.ecv, node.sg.vcm, node.sg.bias2,
                    node.terminal ? "-" : short_num(node.lambda).c_str(), short_num(n).c_str(), mse_bp, mse_sg,
                    short_num(mse_ratio(mse_bp, mse_sg)).c_str(),
                    ls.irrelevant ? "irrelev." : short_num(ls.value).c_str(), ls.variance_side, ls.bias_side,
                    short_num(cross_n).c_str(), node.bgap_relative);
      out << row;
    }
    out << "      node " << node.node << ": " << describe(compare_dag_node(node)) << "\n";
  }
  return out.str();
}

std::string dag_exact_report_csv(const DagExactReport& report) {
  const auto& a = *report.analysis;
  const auto& c = *report.conditions;
  std::ostringstream out;
  out << "node,layer,terminal,parents,lambda,observation_groups,ecv_bp,vcm_bp,bias2_bp,ecv_sg,vcm_sg,bias2_sg,"
         "n,mse_bp,mse_sg,ratio_bp_over_sg,lambda_star,lambda_star_irrelevant,variance_side,bias_side,"
         "crossover_kind,crossover_n,bgap,bgap_relative,a1,a2,a3,b,verdict\n";
  for (const auto& node : a.nodes) {
    const Crossover cross = sg_bp_crossover(node.bp, node.sg);
    for (double n : report.ns) {
      const LambdaStar ls = lambda_star(node.mixing, node.mu, n);
      const double mse_bp = node.bp.mse(n), mse_sg = node.sg.mse(n);
      out << node.node << ',' << node.layer << ',' << (node.terminal ? 1 : 0) << ',' << node.parent_count << ','
          << num(node.lambda) << ',' << node.observation_groups << ',' << num(node.bp.ecv) << ','
          << num(node.bp.vcm) << ',' << num(node.bp.bias2) << ',' << num(node.sg.ecv) << ',' << num(node.sg.vcm)
          << ',' << num(node.sg.bias2) << ',' << num(n) << ',' << num(mse_bp) << ',' << num(mse_sg) << ','
          << num(mse_ratio(mse_bp, mse_sg)) << ',' << num(ls.value) << ',' << (ls.irrelevant ? 1 : 0) << ','
          << num(ls.variance_side) << ',' << num(ls.bias_side) << ',' << crossover_kind_name(cross.kind) << ','
          << num(cross.n) << ',' << num(node.bgap) << ',' << num(node.bgap_relative) << ','
          << (c.a1.effective ? 1 : 0) << ',' << (c.a2.effective ? 1 : 0) << ',' << (c.a3.effective ? 1 : 0) << ','
          << (c.b.effective ? 1 : 0) << ',' << csv_quote(describe(compare_dag_node(node))) << '\n';
    }
  }
  return out.str();
}

nlohmann::json dag_exact_report_json(const DagExactReport& report) {
  const auto& a = *report.analysis;
  nlohmann::json out;
  out["mode"] = "exact";
  out["outcomes"] = a.space.outcome_count();
  out["outcome_bits"] = {{"inputs", a.space.input_bits}, {"masks", a.space.mask_bits}, {"signs", a.space.sign_bits}};
  out["predictor"] = predictor_name(a.predictor_used);
  out["configured_predictor"] = predictor_name(a.configured_predictor);
  out["conditions"] = dag_conditions_json(*report.conditions);
  nlohmann::json nodes = nlohmann::json::array();
  for (const auto& node : a.nodes) {
    auto moments = [](const DagEstimatorMoments& m) {
      return nlohmann::json{{"ecv", m.ecv}, {"vcm", m.vcm}, {"bias2", m.bias2}, {"total_variance", m.total_variance},
                            {"mean", std::vector<double>(m.mean.data(), m.mean.data() + m.mean.size())}};
    };
    const Crossover cross = sg_bp_crossover(node.bp, node.sg);
    nlohmann::json j = {{"node", node.node},
                        {"layer", node.layer},
                        {"terminal", node.terminal},
                        {"parents", node.parent_count},
                        {"lambda", node.lambda},
                        {"observation_groups", node.observation_groups},
                        {"mu", std::vector<double>(node.mu.data(), node.mu.data() + node.mu.size())},
                        {"bp", moments(node.bp)},
                        {"sg", moments(node.sg)},
                        {"sg_bp_distance", node.sg_bp_distance},
                        {"terminal_noise_variance", node.terminal_noise_variance},
                        {"mixing", {{"applicable", node.mixing.applicable},
                                    {"tr_cov_a", node.mixing.tr_cov_a},
                                    {"tr_cov_b", node.mixing.tr_cov_b},
                                    {"tr_cov_ab", node.mixing.tr_cov_ab},
                                    {"tr_cov_a_minus_b", node.mixing.tr_cov_a_minus_b}}},
                        {"crossover", {{"kind", crossover_kind_name(cross.kind)}, {"n", json_number(cross.n)}}},
                        {"extended_ancestors", node.extended_ancestors},
                        {"bgap", node.bgap},
                        {"bgap_relative", node.bgap_relative},
                        {"verdict", describe(compare_dag_node(node))}};
    nlohmann::json by_n = nlohmann::json::array();
    for (double n : report.ns) {
      const LambdaStar ls = lambda_star(node.mixing, node.mu, n);
      const double mse_bp = node.bp.mse(n), mse_sg = node.sg.mse(n);
      by_n.push_back({{"n", n},
                      {"mse_bp", mse_bp},
                      {"mse_sg", mse_sg},
                      {"ratio_bp_over_sg", json_number(mse_ratio(mse_bp, mse_sg))},
                      {"lambda_star", ls.value},
                      {"lambda_star_unclamped", ls.unclamped},
                      {"lambda_star_irrelevant", ls.irrelevant},
                      {"variance_side", ls.variance_side},
                      {"bias_side", ls.bias_side}});
    }
    j["by_n"] = std::move(by_n);
    nodes.push_back(std::move(j));
  }
  out["nodes"] = std::move(nodes);
  return out;
}

}  // namespace sglab::dag
