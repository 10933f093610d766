#include "core/dag/dag_exact_predictor.hpp"

namespace sglab::dag {

PredictorKind exact_predictor_kind(PredictorKind configured) {
  switch (configured) {
    case PredictorKind::oracle:
    case PredictorKind::learned_table: return PredictorKind::oracle;
    case PredictorKind::best_linear:
    case PredictorKind::learned_linear: return PredictorKind::best_linear;
  }
  return PredictorKind::oracle;
}

}  // namespace sglab::dag
