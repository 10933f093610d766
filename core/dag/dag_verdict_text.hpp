#pragma once
// The one place where the DAG lab's conditions and verdicts (dag_conditions.hpp)
// become words. The CLI reports, the GUI's condition lights, verdict banner and
// node tooltips all use these, so they always say the same thing.

#include <string>
#include <vector>

#include "core/dag/dag_conditions.hpp"

namespace sglab::dag {

/// One line on how SG compares with BP at a node, e.g. "SG better for n < 12.3, BP beyond".
std::string describe(const DagNodeComparison& comparison);

/// What was found for one condition, with the measured value (the "reason").
std::string describe(const DagConditions& conditions, DagCondition which);

/// One verdict as a sentence. `conditions` supplies the B details a failing Theorem 2 quotes.
std::string describe(const DagVerdict& verdict, const DagConditions& conditions);

/// Stable machine name of a verdict kind ("theorem2_applies", ...), for JSON.
const char* verdict_kind_name(DagVerdictKind kind);

/// Every verdict of `conditions`, most important first.
std::vector<std::string> describe_verdicts(const DagConditions& conditions);

}  // namespace sglab::dag
