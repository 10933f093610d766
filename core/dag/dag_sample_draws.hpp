#pragma once
// Internal to sample mode's fast path (dag_sample_fast.cpp): a trial's draws.
// Outcomes are drawn from the trial's stream word for word like the generic
// sampler (dag_sample_mode.cpp), then sorted by configuration so the
// per-configuration table is read in address order.
#include <cstdint>
#include <vector>

#include "core/dag/dag_network.hpp"
#include "core/rng/counter_rng.hpp"

namespace sglab::dag::detail {

class OutcomeDraws {
 public:
  explicit OutcomeDraws(const DagNetwork& net);
  /// samples outcomes as keys configuration << 32 | sign bits, sorted by
  /// configuration, equal configurations in draw order.
  std::vector<std::uint64_t> draw_sorted(rng::StreamReader& reader, std::size_t samples,
                                         int configuration_bits) const;

 private:
  void keys(const std::uint32_t* words, std::size_t count, std::uint64_t* out) const;

  int inputs_ = 0;
  std::size_t noisy_ = 0;
  std::size_t words_per_sample_ = 0;
  std::vector<std::uint64_t> thresholds_;  // Bernoulli thresholds of the dropout slots
};

}  // namespace sglab::dag::detail
