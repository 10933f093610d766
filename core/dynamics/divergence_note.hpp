#pragma once
// The one sentence that reports diverged runs (issue 10), shared by
// `sglab-cli train` (its stderr line) and the mixing-dynamics lab's status line.
#include <string>

#include "core/dynamics/train_records.hpp"

namespace sglab::dynamics {

/// "bp diverged at step 68, sg_fixed diverged at step 70 (loss or parameters not
/// finite; stopped there, the other runs go on)", or "" when no run diverged.
std::string divergence_note(const TrainRecords& records);

}  // namespace sglab::dynamics
