#include "core/dynamics/divergence_note.hpp"

namespace sglab::dynamics {

std::string divergence_note(const TrainRecords& records) {
  std::string runs;
  for (int r = 0; r < kTrainRunCount; ++r) {
    const auto run = static_cast<TrainRun>(r);
    if (records.diverged_at(run) == 0) continue;
    runs += std::string(runs.empty() ? "" : ", ") + train_run_name(run) + " diverged at step " +
            std::to_string(records.diverged_at(run));
  }
  if (runs.empty()) return runs;
  return runs + " (loss or parameters not finite; stopped there, the other runs go on)";
}

}  // namespace sglab::dynamics
