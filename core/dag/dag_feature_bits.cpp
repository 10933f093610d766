#include "core/dag/dag_feature_bits.hpp"

namespace sglab::dag {

std::vector<std::uint64_t> dag_feature_bit_masks(const DagNetwork& net) {
  const auto n = static_cast<std::size_t>(net.node_count);
  // value_bits[p]: the bits x_p depends on (topological order: parents first).
  std::vector<std::uint64_t> value_bits(n, 0), feature_bits(n, 0);
  for (std::size_t p = 0; p < n; ++p) {
    if (static_cast<int>(p) < net.input_count) {
      value_bits[p] = 1ULL << p;
      continue;
    }
    std::uint64_t bits = 0;
    for (int e = net.parent_begin[p]; e < net.parent_begin[p + 1]; ++e)
      bits |= value_bits[static_cast<std::size_t>(net.parent[static_cast<std::size_t>(e)])];
    feature_bits[p] = bits;
    const int slot = net.dropout_slot[p];
    if (slot >= 0) bits |= 1ULL << (net.input_count + slot);  // x_p = ξ_p h_p / q_p
    value_bits[p] = bits;
  }
  return feature_bits;
}

std::uint64_t extract_bits(std::uint64_t value, std::uint64_t mask) {
  std::uint64_t out = 0;
  int next = 0;
  for (; mask != 0; mask &= mask - 1, ++next) {
    const int bit = __builtin_ctzll(mask);
    out |= ((value >> bit) & 1ULL) << next;
  }
  return out;
}

std::uint64_t deposit_bits(std::uint64_t packed, std::uint64_t mask) {
  std::uint64_t out = 0;
  int next = 0;
  for (; mask != 0; mask &= mask - 1, ++next) {
    const int bit = __builtin_ctzll(mask);
    out |= ((packed >> next) & 1ULL) << bit;
  }
  return out;
}

}  // namespace sglab::dag
