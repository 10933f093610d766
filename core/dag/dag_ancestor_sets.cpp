#include "core/dag/dag_ancestor_sets.hpp"

#include <algorithm>

namespace sglab::dag {

namespace {

std::vector<int> members(const std::vector<char>& flags) {
  std::vector<int> out;
  for (std::size_t k = 0; k < flags.size(); ++k)
    if (flags[k]) out.push_back(static_cast<int>(k));
  return out;
}

}  // namespace

std::vector<std::vector<int>> dag_sibling_sets(const DagNetwork& net) {
  const auto n = static_cast<std::size_t>(net.node_count);
  std::vector<std::vector<int>> sib(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<char> in(n, 0);
    in[i] = 1;
    // j shares a child with i exactly when j is a parent of one of i's children.
    for (int k = net.child_begin[i]; k < net.child_begin[i + 1]; ++k) {
      const auto c = static_cast<std::size_t>(net.child[static_cast<std::size_t>(k)]);
      for (int e = net.parent_begin[c]; e < net.parent_begin[c + 1]; ++e)
        in[static_cast<std::size_t>(net.parent[static_cast<std::size_t>(e)])] = 1;
    }
    sib[i] = members(in);
  }
  return sib;
}

std::vector<std::vector<int>> dag_extended_ancestor_sets(const DagNetwork& net) {
  const auto n = static_cast<std::size_t>(net.node_count);
  const auto sib = dag_sibling_sets(net);
  std::vector<std::vector<int>> ancestors(n);
  // A(p) is needed for parents p of siblings j. Siblings can sit in any layer
  // before a shared child, so resolve by a fixed point in layer order: A(i)
  // only refers to A(p) with p in a strictly earlier layer than some sibling
  // of i, and parents are in strictly earlier layers than their child; we
  // iterate until nothing changes (a few rounds on layered graphs).
  bool changed = true;
  while (changed) {
    changed = false;
    for (std::size_t i = static_cast<std::size_t>(net.input_count); i < n; ++i) {
      std::vector<char> in(n, 0);
      for (int j : sib[i]) {
        in[static_cast<std::size_t>(j)] = 1;
        const auto sj = static_cast<std::size_t>(j);
        for (int e = net.parent_begin[sj]; e < net.parent_begin[sj + 1]; ++e)
          for (int a : ancestors[static_cast<std::size_t>(net.parent[static_cast<std::size_t>(e)])])
            in[static_cast<std::size_t>(a)] = 1;
      }
      auto next = members(in);
      if (next != ancestors[i]) {
        ancestors[i] = std::move(next);
        changed = true;
      }
    }
  }
  return ancestors;
}

}  // namespace sglab::dag
