#pragma once
// The shared sample stream of the mixing-dynamics lab: the batch of step s is a
// pure function of (seed, s), drawn once and fed to all three runs, so BP, SG
// fixed and SG adaptive see identical inputs, dropout masks and terminal noise
// signs at every step (issue 5).

#include <cstdint>
#include <vector>

#include "core/dag/dag_network.hpp"

namespace sglab::dynamics {

struct TrainBatch {
  int size = 0;
  std::vector<double> inputs;         ///< [k * input_count + j]: ±1 (THEORY.md §7)
  std::vector<unsigned char> kept;    ///< [k * dropout_count + j]: ξ ~ Bernoulli(q_j)
  std::vector<double> noise_sign;     ///< [k * terminal_count + t]: ε_t = ±1 (0 where σ_t = 0)
};

/// Fills `batch` with the B samples of step `step` (1-based) from stream (seed, step).
void draw_train_batch(const dag::DagNetwork& net, std::uint64_t seed, std::int64_t step, int batch_size,
                      TrainBatch& batch);

}  // namespace sglab::dynamics
