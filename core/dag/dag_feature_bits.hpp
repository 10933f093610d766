#pragma once
// Which bits of a configuration index (dag_outcome_space.hpp: input bits low,
// dropout-mask bits above) determine the features f_i = [x_pa(i), 1] of a node
// (eq 6). x_p is computed by dag_forward from p's ancestors only, so it is a
// function of the input bits of p's ancestors and the mask bits of p and its
// ancestors; f_i is a function of the union of those sets over i's parents.
// Sample mode uses this to sum Σ_s scalar_s f_i(s) per *feature group* (the
// configurations agreeing on those bits share f_i bit for bit): one addition
// per sample instead of k (dag_sample_fast.hpp).

#include <cstdint>
#include <vector>

#include "core/dag/dag_network.hpp"

namespace sglab::dag {

/// Per node: the mask of configuration bits its features f_i depend on (0 for
/// inputs, which have no parameters). Only for configurations of at most 64 bits.
std::vector<std::uint64_t> dag_feature_bit_masks(const DagNetwork& net);

/// The bits of `value` selected by `mask`, packed into the low bits in order (x86 PEXT).
std::uint64_t extract_bits(std::uint64_t value, std::uint64_t mask);

/// The low bits of `packed` spread onto the set bits of `mask`, in order (x86 PDEP).
std::uint64_t deposit_bits(std::uint64_t packed, std::uint64_t mask);

}  // namespace sglab::dag
