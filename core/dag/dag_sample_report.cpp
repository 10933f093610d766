#include "core/dag/dag_sample_report.hpp"

#include <cstdio>
#include <sstream>

namespace sglab::dag {

namespace {

std::string num(double x) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.10g", x);
  return buffer;
}

std::string cell(const DagSampleEstimate& e) {
  if (!e.present) return "-";
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "%.4g +- %.2g", e.mse, e.se);
  return buffer;
}

std::string lemma(const DagSampleEstimate& e) {
  if (!e.has_lemma1) return "-";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.4g", e.lemma1);
  return buffer;
}

nlohmann::json estimate_json(const DagSampleEstimate& e) {
  if (!e.present) return nullptr;
  nlohmann::json j = {{"mse", e.mse}, {"se", e.se}};
  j["lemma1"] = e.has_lemma1 ? nlohmann::json(e.lemma1) : nlohmann::json(nullptr);
  return j;
}

}  // namespace

std::string dag_sample_report_text(const DagSampleResult& r) {
  std::ostringstream out;
  out << "sample mode: n = " << r.samples_per_trial << " samples per trial, " << r.trials << " trials, seed " << r.seed
      << "; learned predictor " << predictor_name(r.learned_kind);
  if (r.has_exact) out << "; exact predictor " << predictor_name(r.exact_kind) << "; mu exact";
  else out << "; outcome space too large to enumerate: mu = grand mean of BP, no Lemma 1 column";
  out << "\n";
  char row[512];
  std::snprintf(row, sizeof row, "%5s %5s %24s %12s %24s %24s %12s\n", "node", "layer", "MSE_BP (measured)",
                "Lemma1_BP", "MSE_SG learned", "MSE_SG exact-pred.", "Lemma1_SG");
  out << row;
  for (const auto& node : r.nodes) {
    std::snprintf(row, sizeof row, "%5d %5d %24s %12s %24s %24s %12s\n", node.node, node.layer, cell(node.bp).c_str(),
                  lemma(node.bp).c_str(), cell(node.sg_learned).c_str(), cell(node.sg_exact).c_str(),
                  lemma(node.sg_exact).c_str());
    out << row;
  }
  return out.str();
}

std::string dag_sample_report_csv(const DagSampleResult& r) {
  std::ostringstream out;
  out << "node,layer,terminal,n,trials,mse_bp,se_bp,lemma1_bp,mse_sg_learned,se_sg_learned,mse_sg_exact,"
         "se_sg_exact,lemma1_sg_exact\n";
  auto opt = [](bool present, double x) { return present ? num(x) : std::string(); };
  for (const auto& node : r.nodes) {
    out << node.node << ',' << node.layer << ',' << (node.terminal ? 1 : 0) << ',' << r.samples_per_trial << ','
        << r.trials << ',' << num(node.bp.mse) << ',' << num(node.bp.se) << ','
        << opt(node.bp.has_lemma1, node.bp.lemma1) << ',' << opt(node.sg_learned.present, node.sg_learned.mse) << ','
        << opt(node.sg_learned.present, node.sg_learned.se) << ',' << opt(node.sg_exact.present, node.sg_exact.mse)
        << ',' << opt(node.sg_exact.present, node.sg_exact.se) << ','
        << opt(node.sg_exact.has_lemma1, node.sg_exact.lemma1) << '\n';
  }
  return out.str();
}

nlohmann::json dag_sample_report_json(const DagSampleResult& r) {
  nlohmann::json out;
  out["mode"] = "sample";
  out["samples_per_trial"] = r.samples_per_trial;
  out["trials"] = r.trials;
  out["seed"] = r.seed;
  out["mu_exact"] = r.has_exact;
  out["learned_predictor"] = predictor_name(r.learned_kind);
  out["exact_predictor"] = r.has_exact ? nlohmann::json(predictor_name(r.exact_kind)) : nlohmann::json(nullptr);
  nlohmann::json nodes = nlohmann::json::array();
  for (const auto& node : r.nodes)
    nodes.push_back({{"node", node.node},
                     {"layer", node.layer},
                     {"terminal", node.terminal},
                     {"bp", estimate_json(node.bp)},
                     {"sg_learned", estimate_json(node.sg_learned)},
                     {"sg_exact_predictor", estimate_json(node.sg_exact)}});
  out["nodes"] = std::move(nodes);
  return out;
}

}  // namespace sglab::dag
