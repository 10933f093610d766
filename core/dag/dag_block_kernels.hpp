#pragma once
// Node-major kernels of exact mode (THEORY.md §7): the forward pass, BP and SG
// of many configurations (and all their terminal sign patterns) at once.
//
// Layout: a *configuration table* holds row `node` at base + node · stride,
// its column k being configuration first + k; an *outcome table* holds column
// k · signs + s for configuration first + k and sign pattern s (outcome order
// of dag_outcome_space.hpp). Each value is computed with exactly the operations,
// in exactly the order, of dag_forward / dag_backprop / dag_synthetic_backprop
// (dag_propagation.hpp) for that outcome, so the tables equal those functions
// bit for bit; only the loops are turned inside out (node outside, outcome
// inside), so each node's row is written once, contiguously, with no per-outcome
// copies. tests/core/dag_block_kernels_test.cpp checks the equality.

#include <cstddef>
#include <cstdint>

#include "core/dag/dag_network.hpp"

namespace sglab::dag {

/// x and δ of configurations first .. first + count − 1 (configuration tables).
/// δ of the inputs is 0; with input_delta = false those rows are not written
/// (a caller that never reads them spares the pages: 20 MB for 2^18 configurations).
void dag_forward_block(const DagNetwork& net, std::uint64_t first_configuration, std::size_t count, double* x,
                       double* delta, std::size_t stride, bool input_delta = true);

/// g and m (= δ g) of every non-input node for every sign pattern of `count`
/// configurations: x, δ are configuration tables (stride config_stride), g, m
/// outcome tables (stride outcome_stride, count · signs columns).
void dag_backprop_block(const DagNetwork& net, const double* x, const double* delta, std::size_t config_stride,
                        std::size_t count, std::uint64_t signs, double* g, double* m, std::size_t outcome_stride);

/// SG of eq 5 with the predictions of m_c per configuration (configuration
/// table `prediction`, its own stride): g̃, a (propagated part) and b
/// (synthetic part) of every non-input node, outcome tables like g and m.
void dag_synthetic_backprop_block(const DagNetwork& net, const double* delta, std::size_t config_stride,
                                  const double* prediction, std::size_t prediction_stride, std::size_t count,
                                  std::uint64_t signs, const double* g,
                                  const double* m, double* g_tilde, double* a, double* b,
                                  std::size_t outcome_stride);

}  // namespace sglab::dag
