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
  words_per_sample_ = static_cast<std::size_t>((inputs_ + 31) / 32) + thresholds_.size() + (noisy_ + 31) / 32;
}

// One sample's words, in the generic sampler's order: inputs (one word per 32),
// one word per dropout slot, signs (one word per 32 noisy terminals). Returns
// configuration << 32 | sign bits.
std::uint64_t OutcomeDraws::key(const std::uint32_t* words) const {
  std::uint64_t config = 0;
  for (int k = 0; k < inputs_; k += 32) {
    const std::uint32_t word = *words++;
    const int bits = std::min(32, inputs_ - k);
    const std::uint64_t mask = bits == 32 ? 0xFFFFFFFFULL : ((1ULL << bits) - 1);
    config |= (static_cast<std::uint64_t>(word) & mask) << k;
  }
  // Kept with probability q_j: ~20 % of these comparisons go the other way, so
  // they are combined without a branch (the same bits).
  for (std::size_t j = 0; j < thresholds_.size(); ++j)
    config |= static_cast<std::uint64_t>(*words++ < thresholds_[j]) << (static_cast<std::size_t>(inputs_) + j);
  // At most 22 sign bits in exact mode: only the first sign word matters.
  const std::uint32_t sign_bits = noisy_ > 0 ? *words : 0;
  return (config << 32) | sign_bits;
}

std::vector<std::uint64_t> OutcomeDraws::draw_sorted(rng::StreamReader& reader, std::size_t samples,
                                                     int configuration_bits) const {
  std::vector<std::uint64_t> keys(samples);
  // The words of a few hundred samples at a time (fill_words: the words of as
  // many next_word calls, in order), then parsed.
  constexpr std::size_t kChunk = 256;
  std::vector<std::uint32_t> words(kChunk * words_per_sample_ + 1);
  for (std::size_t s0 = 0; s0 < samples; s0 += kChunk) {
    const std::size_t count = std::min(kChunk, samples - s0);
    reader.fill_words(words.data(), count * words_per_sample_);
    for (std::size_t s = 0; s < count; ++s) keys[s0 + s] = key(&words[s * words_per_sample_]);
  }
  sort_by_configuration(keys, configuration_bits);
  return keys;
}

}  // namespace sglab::dag::detail
