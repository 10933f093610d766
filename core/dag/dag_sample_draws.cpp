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
// one word per dropout slot, signs (one word per 32 noisy terminals). The keys
// configuration << 32 | sign bits of count samples, field by field over the
// samples (loops with their constants hoisted, no branch per dropout bit).
void OutcomeDraws::keys(const std::uint32_t* words, std::size_t count, std::uint64_t* out) const {
  const std::size_t stride = words_per_sample_;
  const auto input_words = static_cast<std::size_t>((inputs_ + 31) / 32);
  for (std::size_t s = 0; s < count; ++s) out[s] = 0;
  for (std::size_t w = 0; w < input_words; ++w) {
    const int bits = std::min(32, inputs_ - static_cast<int>(32 * w));
    const std::uint64_t mask = bits == 32 ? 0xFFFFFFFFULL : ((1ULL << bits) - 1);
    const unsigned shift = static_cast<unsigned>(32 * w);
    for (std::size_t s = 0; s < count; ++s) out[s] |= (static_cast<std::uint64_t>(words[s * stride + w]) & mask) << shift;
  }
  // Kept with probability q_j: ~20 % of these comparisons go the other way, so
  // they are combined without a branch (the same bits).
  for (std::size_t j = 0; j < thresholds_.size(); ++j) {
    const std::uint64_t threshold = thresholds_[j];
    const auto shift = static_cast<unsigned>(static_cast<std::size_t>(inputs_) + j);
    const std::uint32_t* word = words + input_words + j;
    for (std::size_t s = 0; s < count; ++s)
      out[s] |= static_cast<std::uint64_t>(word[s * stride] < threshold) << shift;
  }
  // At most 22 sign bits in exact mode: only the first sign word matters.
  const std::uint32_t* sign = words + input_words + thresholds_.size();
  for (std::size_t s = 0; s < count; ++s) out[s] = (out[s] << 32) | (noisy_ > 0 ? sign[s * stride] : 0u);
}

std::vector<std::uint64_t> OutcomeDraws::draw_sorted(rng::StreamReader& reader, std::size_t samples,
                                                     int configuration_bits) const {
  std::vector<std::uint64_t> sorted(samples);
  // The words of a few hundred samples at a time (fill_words: the words of as
  // many next_word calls, in order), then parsed.
  constexpr std::size_t kChunk = 256;
  std::vector<std::uint32_t> words(kChunk * words_per_sample_ + 1);
  for (std::size_t s0 = 0; s0 < samples; s0 += kChunk) {
    const std::size_t count = std::min(kChunk, samples - s0);
    reader.fill_words(words.data(), count * words_per_sample_);
    keys(words.data(), count, &sorted[s0]);
  }
  sort_by_configuration(sorted, configuration_bits);
  return sorted;
}

}  // namespace sglab::dag::detail
