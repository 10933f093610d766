#pragma once
// The one source of the DAG lab's limits: the spec reader and validation, the
// CLI's flag checks and the editor's sliders read these.

#include <cstdint>

namespace sglab::dag {

struct DagLimits {
  static constexpr int kMaxInputs = 64;
  static constexpr int kMaxLayers = 64;
  static constexpr int kMaxLayerWidth = 1024;
  static constexpr int kMaxNodes = 4096;
  /// Exact mode enumerates inputs × dropout masks × terminal signs: THEORY.md §7
  /// keeps it to about 2^22 outcomes (seconds and about 1 GB on a laptop).
  static constexpr int kMaxExactOutcomeBits = 22;
  /// Sample mode (`sglab-cli dag --mode sample`).
  static constexpr std::int64_t kMaxSamplesPerTrial = 100000000;
  static constexpr int kMinTrials = 2;  ///< a standard error needs two trials
  static constexpr int kMaxTrials = 1000000;

  /// The editor is narrower on purpose: every edit re-runs the exact analysis
  /// while the user drags a slider (it must stay well under 100 ms, i.e. about
  /// 2^16 outcomes), and the graph must stay readable on a projector. Files and
  /// the CLI take the full ranges above.
  static constexpr int kMaxInputsInteractive = 6;
  static constexpr int kMaxWidthInteractive = 6;
  static constexpr int kMaxHiddenLayersInteractive = 4;
};

}  // namespace sglab::dag
