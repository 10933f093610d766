#pragma once
// The per-node table of exact mode (issue 4, `sglab-cli dag`): node, layer,
// ECV/VCM/Bias² for BP and SG, MSE(n) by Lemma 1, λ*(n) by eq 18 with its two
// sides, the crossover n, Bgap, conditions and verdicts — as text, CSV or JSON.

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "core/dag/dag_conditions.hpp"
#include "core/dag/dag_exact_analysis.hpp"

namespace sglab::dag {

struct DagExactReport {
  const DagExactAnalysis* analysis = nullptr;
  const DagConditions* conditions = nullptr;
  std::vector<double> ns;
};

std::string dag_exact_report_text(const DagExactReport& report);
/// One row per (node, n); column names in the first line.
std::string dag_exact_report_csv(const DagExactReport& report);
nlohmann::json dag_exact_report_json(const DagExactReport& report);

/// JSON of the conditions and verdicts (shared with sample mode's report).
nlohmann::json dag_conditions_json(const DagConditions& conditions);

}  // namespace sglab::dag
