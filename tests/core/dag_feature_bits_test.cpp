// dag_feature_bits.hpp: the configuration bits a node's features f_i = [x_pa(i), 1]
// depend on. Checked against dag_forward itself: two configurations that agree
// on a node's bits give the same f_i bit for bit, and each bit of the mask
// matters for some configuration (the mask is not larger than it must be, on
// a graph with generic weights). Also PEXT/PDEP round trips.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "core/dag/dag_feature_bits.hpp"
#include "core/dag/dag_network.hpp"
#include "core/dag/dag_outcome_space.hpp"
#include "core/dag/dag_propagation.hpp"
#include "tests/core/dag_test_support.hpp"

namespace sglab::dag {
namespace {

std::vector<double> features_of(const DagNetwork& net, int node, std::uint64_t config) {
  const auto n = static_cast<std::size_t>(net.node_count);
  std::vector<double> inputs(n + 1), x(n), delta(n);
  std::vector<unsigned char> kept(n + 1);
  decode_configuration(net, config, inputs.data(), kept.data());
  dag_forward(net, inputs.data(), kept.data(), x.data(), delta.data());
  std::vector<double> f;
  for (int e = net.parent_begin[static_cast<std::size_t>(node)]; e < net.parent_begin[static_cast<std::size_t>(node) + 1];
       ++e)
    f.push_back(x[static_cast<std::size_t>(net.parent[static_cast<std::size_t>(e)])]);
  return f;
}

TEST(DagFeatureBits, FeaturesDependOnExactlyTheMaskedBits) {
  const DagNetwork net = build_dag_network(testing::mixed_feature_spec());
  const DagOutcomeSpace space = dag_outcome_space(net);
  const std::uint64_t configs = space.configuration_count();
  const auto masks = dag_feature_bit_masks(net);
  ASSERT_EQ(masks.size(), static_cast<std::size_t>(net.node_count));
  for (int i = 0; i < net.input_count; ++i) EXPECT_EQ(masks[static_cast<std::size_t>(i)], 0u);
  for (int i = net.input_count; i < net.node_count; ++i) {
    const std::uint64_t mask = masks[static_cast<std::size_t>(i)];
    EXPECT_EQ(mask >> (space.input_bits + space.mask_bits), 0u) << "node " << i << ": bits beyond the configuration";
    std::uint64_t needed = 0;
    for (std::uint64_t c = 0; c < configs; ++c) {
      const auto f = features_of(net, i, c);
      // Same masked bits, other bits changed: same f, bit for bit.
      const auto same = features_of(net, i, (c & mask) | (~c & ~mask & (configs - 1)));
      ASSERT_EQ(std::memcmp(f.data(), same.data(), f.size() * sizeof(double)), 0) << "node " << i << " config " << c;
      for (std::uint64_t rest = mask; rest != 0; rest &= rest - 1) {
        const std::uint64_t bit = rest & (~rest + 1);
        if (features_of(net, i, c ^ bit) != f) needed |= bit;
      }
    }
    EXPECT_EQ(needed, mask) << "node " << i << ": every masked bit changes f_i for some configuration";
  }
}

TEST(DagFeatureBits, ExtractAndDepositAreInverse) {
  const std::uint64_t mask = 0b1011'0010'0110'0001ULL;
  for (std::uint64_t packed = 0; packed < (1ULL << __builtin_popcountll(mask)); ++packed) {
    const std::uint64_t spread = deposit_bits(packed, mask);
    EXPECT_EQ(spread & ~mask, 0u);
    EXPECT_EQ(extract_bits(spread, mask), packed);
    EXPECT_EQ(extract_bits(spread | ~mask, mask), packed) << "bits outside the mask are ignored";
  }
  EXPECT_EQ(extract_bits(0b1010, 0b1110), 0b101u);
  EXPECT_EQ(deposit_bits(0b101, 0b1110), 0b1010u);
}

}  // namespace
}  // namespace sglab::dag
