#pragma once
// Sibling sets and extended ancestor sets of THEORY.md §3 (Definition 4).

#include <vector>

#include "core/dag/dag_network.hpp"

namespace sglab::dag {

/// sib(i) = {i} ∪ { j : ch(j) ∩ ch(i) ≠ ∅ }, sorted, for every node.
std::vector<std::vector<int>> dag_sibling_sets(const DagNetwork& net);

/// A(i) = sib(i) ∪ ⋃_{j ∈ sib(i)} ⋃_{p ∈ pa(j)} A(p), empty for input nodes
/// (Definition 4), sorted, for every node.
std::vector<std::vector<int>> dag_extended_ancestor_sets(const DagNetwork& net);

}  // namespace sglab::dag
