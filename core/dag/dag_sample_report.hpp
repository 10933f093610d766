#pragma once
// The per-node table of sample mode: measured MSE ± SE of BP, SG with the
// learned predictor and SG with the exact predictor, beside Lemma 1's value.

#include <nlohmann/json.hpp>

#include <string>

#include "core/dag/dag_sample_mode.hpp"

namespace sglab::dag {

std::string dag_sample_report_text(const DagSampleResult& result);
std::string dag_sample_report_csv(const DagSampleResult& result);
nlohmann::json dag_sample_report_json(const DagSampleResult& result);

}  // namespace sglab::dag
