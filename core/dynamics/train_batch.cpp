#include "core/dynamics/train_batch.hpp"

#include "core/rng/counter_rng.hpp"

namespace sglab::dynamics {

namespace {
constexpr std::uint64_t kTrainBatchPurpose = 0x5452414942415443ULL;  // "TRAIBATC"
}  // namespace

void draw_train_batch(const dag::DagNetwork& net, std::uint64_t seed, std::int64_t step, int batch_size,
                      TrainBatch& batch) {
  const auto inputs = static_cast<std::size_t>(net.input_count);
  const std::size_t drops = net.dropout_nodes.size();
  const std::size_t terminals = net.terminals.size();
  const auto b = static_cast<std::size_t>(batch_size);
  batch.size = batch_size;
  batch.inputs.resize(b * inputs);
  batch.kept.resize(b * drops);
  batch.noise_sign.assign(b * terminals, 0.0);
  std::vector<std::uint64_t> threshold(drops);
  for (std::size_t j = 0; j < drops; ++j)
    threshold[j] = rng::bernoulli_threshold(net.keep_q[static_cast<std::size_t>(net.dropout_nodes[j])]);
  // One stream per step; words read sample by sample in a fixed order.
  rng::StreamReader reader(seed, rng::make_stream(kTrainBatchPurpose, {static_cast<std::uint64_t>(step)}));
  for (std::size_t k = 0; k < b; ++k) {
    for (std::size_t j = 0; j < inputs; ++j) batch.inputs[k * inputs + j] = (reader.next_word() >> 31) ? 1.0 : -1.0;
    for (std::size_t j = 0; j < drops; ++j)
      batch.kept[k * drops + j] = static_cast<std::uint64_t>(reader.next_word()) < threshold[j] ? 1 : 0;
    for (int t : net.noisy_terminals)
      batch.noise_sign[k * terminals + static_cast<std::size_t>(t)] = (reader.next_word() >> 31) ? 1.0 : -1.0;
  }
}

}  // namespace sglab::dynamics
