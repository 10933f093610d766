#include "ui/lab_registry.hpp"

#include "ui/bandit/bandit_lab.hpp"
#include "ui/dag/dag_lab.hpp"
#include "ui/dynamics/dynamics_lab.hpp"
#include "ui/expert/expert_lab.hpp"

namespace sglab::ui {

const std::vector<LabEntry>& lab_registry() {
  static const std::vector<LabEntry> labs = {
      {"expert", make_expert_lab},
      {"dag", make_dag_lab},
      {"dynamics", make_dynamics_lab},  // after "dag": trains the DAG lab's networks
      {"bandit", make_bandit_lab},
  };
  return labs;
}

}  // namespace sglab::ui
