#pragma once
// The numbers each lab publishes to lessons: a small map name → value computed
// from the lab's own core analysis of one scenario, headless (the CLI's
// `lesson --check` and the app's lesson panel call the same function, so a
// lesson's texts and checks read exactly what the lab computes).
//
// Global quantities have plain names ("ratio"); per-node ones (DAG and
// dynamics labs) are named "node:<id>.<name>" ("node:4.bgap_rel"), one per
// non-input node of the scenario's network.

#include <string>
#include <vector>

#include "core/config/scenario.hpp"
#include "core/lessons/lesson_expression.hpp"
#include "core/util/parallel_for.hpp"

namespace sglab::lessons {

struct QuantityInfo {
  std::string name;
  std::string meaning;
  bool per_node = false;  ///< published as node:<id>.<name>
};

/// What a lab publishes ("expert", "dag", "dynamics", "bandit"). Throws sglab::Error for another lab.
const std::vector<QuantityInfo>& lab_quantity_schema(const std::string& lab);

/// Throws sglab::Error when `name` is not a quantity of `lab` ("unknown quantity
/// 'rato' of the expert lab (it publishes: ratio, …)"). Node ids are checked when resolved.
void check_quantity_name(const std::string& lab, const std::string& name);

/// Runs the scenario's lab (scenario.lab) headless and returns its quantities.
/// `threads` 0 = all cores (results do not depend on it). Throws sglab::Error
/// for a scenario the lab refuses, sglab::Cancelled when `control` cancels.
QuantityValues compute_lab_quantities(const config::Scenario& scenario, int threads,
                                      const WorkControl* control = nullptr);

// One function per lab (one file each).
QuantityValues expert_quantities(const config::Scenario& scenario, int threads, const WorkControl* control);
QuantityValues dag_quantities(const config::Scenario& scenario, int threads, const WorkControl* control);
QuantityValues dynamics_quantities(const config::Scenario& scenario, const WorkControl* control);
QuantityValues bandit_quantities(const config::Scenario& scenario, int threads, const WorkControl* control);

}  // namespace sglab::lessons
