// The node-major kernels of exact mode (dag_block_kernels.hpp) against the
// per-outcome reference functions (dag_propagation.hpp): every x, δ, g, m, g̃,
// a, b bit for bit (same operations in the same order, only the loops turned
// inside out), for blocks that start mid-space, on graphs with every feature.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/dag/dag_block_kernels.hpp"
#include "core/dag/dag_network.hpp"
#include "core/dag/dag_outcome_space.hpp"
#include "core/dag/dag_propagation.hpp"
#include "core/labs/scenario_files.hpp"
#include "tests/core/dag_test_support.hpp"

namespace sglab::dag {
namespace {

std::uint64_t bits_of(double v) {
  std::uint64_t b = 0;
  std::memcpy(&b, &v, sizeof b);
  return b;
}

// Any fixed prediction per (node, configuration) will do: the kernels must
// combine it exactly as dag_synthetic_backprop does.
double test_prediction(int node, std::uint64_t configuration) {
  return std::sin(0.37 * static_cast<double>(node) + 0.011 * static_cast<double>(configuration));
}

void expect_block_equals_reference(const DagNetwork& net, std::uint64_t first, std::size_t count,
                                   const std::string& label) {
  const DagOutcomeSpace space = dag_outcome_space(net);
  const std::uint64_t signs = space.sign_pattern_count();
  const auto n = static_cast<std::size_t>(net.node_count);
  const std::size_t config_stride = count + 5, outcome_stride = count * signs + 3;  // strides wider than the block
  std::vector<double> x(n * config_stride), delta(n * config_stride), prediction(n * config_stride);
  std::vector<double> g(n * outcome_stride), m(g.size()), g_tilde(g.size()), a(g.size()), b(g.size());
  dag_forward_block(net, first, count, x.data(), delta.data(), config_stride);
  for (int c = net.input_count; c < net.node_count; ++c)
    for (std::size_t k = 0; k < count; ++k)
      prediction[static_cast<std::size_t>(c) * config_stride + k] = test_prediction(c, first + k);
  dag_backprop_block(net, x.data(), delta.data(), config_stride, count, signs, g.data(), m.data(), outcome_stride);
  dag_synthetic_backprop_block(net, delta.data(), config_stride, prediction.data(), config_stride, count, signs,
                               g.data(), m.data(), g_tilde.data(), a.data(), b.data(), outcome_stride);

  std::vector<double> inputs(static_cast<std::size_t>(net.input_count)), noise(net.terminals.size());
  std::vector<unsigned char> kept(net.dropout_nodes.size() + 1);
  std::vector<double> rx(n), rdelta(n), rg(n), rm(n), rpred(n), rgt(n), ra(n), rb(n);
  int mismatches = 0;
  for (std::size_t k = 0; k < count; ++k) {
    const std::uint64_t config = first + k;
    decode_configuration(net, config, inputs.data(), kept.data());
    dag_forward(net, inputs.data(), kept.data(), rx.data(), rdelta.data());
    for (std::size_t node = 0; node < n; ++node) {
      mismatches += bits_of(x[node * config_stride + k]) != bits_of(rx[node]);
      mismatches += bits_of(delta[node * config_stride + k]) != bits_of(rdelta[node]);
      rpred[node] = node >= static_cast<std::size_t>(net.input_count) ? test_prediction(static_cast<int>(node), config) : 0.0;
    }
    for (std::uint64_t s = 0; s < signs; ++s) {
      decode_sign_pattern(net, s, noise.data());
      dag_backprop(net, rx.data(), rdelta.data(), noise.data(), rg.data(), rm.data());
      dag_synthetic_backprop(net, rdelta.data(), rg.data(), rm.data(), rpred.data(), rgt.data(), ra.data(), rb.data());
      const std::size_t o = k * signs + s;
      for (std::size_t node = static_cast<std::size_t>(net.input_count); node < n; ++node) {
        const std::size_t at = node * outcome_stride + o;
        mismatches += bits_of(g[at]) != bits_of(rg[node]);
        mismatches += bits_of(m[at]) != bits_of(rm[node]);
        mismatches += bits_of(g_tilde[at]) != bits_of(rgt[node]);
        mismatches += bits_of(a[at]) != bits_of(ra[node]);
        mismatches += bits_of(b[at]) != bits_of(rb[node]);
      }
    }
  }
  EXPECT_EQ(mismatches, 0) << label << ": block of " << count << " configurations from " << first;
}

TEST(DagBlockKernels, EqualPerOutcomeReferenceBitForBit) {
  std::vector<std::pair<std::string, DagNetwork>> nets;
  nets.emplace_back("mixed features", build_dag_network(testing::mixed_feature_spec()));
  for (const char* preset : {"T1_dense_deterministic", "T2_noisy_feedback", "T3_stochastic_neurons",
                             "T4_imperfect_predictor", "T5_sparse"})
    nets.emplace_back(preset, build_dag_network(labs::load_dag_spec(testing::preset_path(preset))));
  DagSpec noisy;
  noisy.inputs = 5;
  noisy.seed = 11;
  noisy.sigma = 0.4;
  noisy.lambda = 0.3;
  noisy.layers = {testing::layer(4, Activation::tanh, 3, 0.8), testing::layer(3, Activation::tanh, 2),
                  testing::layer(2, Activation::identity)};
  nets.emplace_back("dropout + two noisy terminals", build_dag_network(noisy));
  for (const auto& [label, net] : nets) {
    const std::uint64_t configs = dag_outcome_space(net).configuration_count();
    expect_block_equals_reference(net, 0, static_cast<std::size_t>(configs), label);
    if (configs > 3) expect_block_equals_reference(net, 3, static_cast<std::size_t>(configs - 3), label);  // mid-space start
  }
}

}  // namespace
}  // namespace sglab::dag
