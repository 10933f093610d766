#include "core/dag/dag_sample_draws.hpp"

#include <algorithm>

namespace sglab::dag::detail {

namespace {

// LSD radix sort, 11 bits per pass, stable (equal configurations keep their
// draw order), so the order depends on the draws only. Key: configuration << 32 | sign bits.
void sort_by_configuration(std::vector<std::uint64_t>& keys, int configuration_bits) {
  constexpr int kDigitBits = 11;
  constexpr std::size_t kBuckets = std::size_t{1} << kDigitBits;
  std::vector<std::size_t> start(kBuckets);
  std::vector<std::uint64_t> scratch(keys.size());
  for (int shift = 32; shift < 32 + configuration_bits; shift += kDigitBits) {
    std::fill(start.begin(), start.end(), 0);
    for (const std::uint64_t key : keys) ++start[(key >> shift) & (kBuckets - 1)];
    std::size_t total = 0;
    for (std::size_t& slot : start) {
      const std::size_t here = slot;
      slot = total;
      total += here;
    }
    for (const std::uint64_t key : keys) scratch[start[(key >> shift) & (kBuckets - 1)]++] = key;
    keys.swap(scratch);
  }
}

}  // namespace

OutcomeDraws::OutcomeDraws(const DagNetwork& net)
    : inputs_(net.input_count), noisy_(net.noisy_terminals.size()) {
  for (int node : net.dropout_nodes)
    thresholds_.push_back(rng::bernoulli_threshold(net.keep_q[static_cast<std::size_t>(node)]));
}

// Consumes the stream like the generic sampler: inputs (one word per 32), one
// word per dropout slot, signs (one word per 32 noisy terminals). Returns the
// configuration index.
std::uint32_t OutcomeDraws::draw(rng::StreamReader& reader, std::uint32_t& sign_bits) const {
  std::uint64_t config = 0;
  std::uint32_t word = 0;
  for (int k = 0; k < inputs_; k += 32) {
    word = reader.next_word();
    const int bits = std::min(32, inputs_ - k);
    const std::uint64_t mask = bits == 32 ? 0xFFFFFFFFULL : ((1ULL << bits) - 1);
    config |= (static_cast<std::uint64_t>(word) & mask) << k;
  }
  for (std::size_t j = 0; j < thresholds_.size(); ++j)
    if (reader.next_word() < thresholds_[j]) config |= 1ULL << (static_cast<std::size_t>(inputs_) + j);
  sign_bits = 0;
  for (std::size_t k = 0; k < noisy_; k += 32) {
    word = reader.next_word();
    if (k == 0) sign_bits = word;  // at most 22 sign bits in exact mode: only the first word matters
  }
  return static_cast<std::uint32_t>(config);
}

std::vector<std::uint64_t> OutcomeDraws::draw_sorted(rng::StreamReader& reader, std::size_t samples,
                                                     int configuration_bits) const {
  std::vector<std::uint64_t> keys(samples);
  for (std::size_t s = 0; s < samples; ++s) {
    std::uint32_t signs = 0;
    const std::uint32_t config = draw(reader, signs);
    keys[s] = (std::uint64_t{config} << 32) | signs;
  }
  sort_by_configuration(keys, configuration_bits);
  return keys;
}

}  // namespace sglab::dag::detail
