#include "core/dag/dag_outcome_space.hpp"

#include <cmath>

#include "core/util/error.hpp"

namespace sglab::dag {

DagOutcomeSpace dag_outcome_space(const DagNetwork& net) {
  DagOutcomeSpace space;
  space.input_bits = net.input_count;
  space.mask_bits = static_cast<int>(net.dropout_nodes.size());
  space.sign_bits = static_cast<int>(net.noisy_terminals.size());
  return space;
}

void require_exact_feasible(const DagOutcomeSpace& space, int max_bits) {
  const int bits = space.total_bits();
  if (bits <= max_bits) return;
  throw Error("exact mode would enumerate 2^" + std::to_string(bits) + " = " +
              (bits < 64 ? std::to_string(1ULL << bits) : std::string("more than 2^63")) +
              " outcomes (2^" + std::to_string(space.input_bits) + " input patterns x 2^" +
              std::to_string(space.mask_bits) + " dropout masks x 2^" + std::to_string(space.sign_bits) +
              " terminal signs), more than the limit 2^" + std::to_string(max_bits) +
              "; use sample mode (--mode sample) or fewer inputs, dropout nodes or noisy terminals");
}

void decode_configuration(const DagNetwork& net, std::uint64_t index, double* inputs, unsigned char* kept) {
  for (int k = 0; k < net.input_count; ++k) inputs[k] = ((index >> k) & 1ULL) ? 1.0 : -1.0;
  const int mask_count = static_cast<int>(net.dropout_nodes.size());
  for (int j = 0; j < mask_count; ++j)
    kept[j] = static_cast<unsigned char>((index >> (net.input_count + j)) & 1ULL);
}

double configuration_probability(const DagNetwork& net, std::uint64_t index) {
  double p = std::ldexp(1.0, -net.input_count);
  const int mask_count = static_cast<int>(net.dropout_nodes.size());
  for (int j = 0; j < mask_count; ++j) {
    const double q = net.keep_q[static_cast<std::size_t>(net.dropout_nodes[static_cast<std::size_t>(j)])];
    p *= ((index >> (net.input_count + j)) & 1ULL) ? q : 1.0 - q;
  }
  return p;
}

void decode_sign_pattern(const DagNetwork& net, std::uint64_t index, double* noise_sign) {
  for (std::size_t t = 0; t < net.terminals.size(); ++t) noise_sign[t] = 0.0;
  for (std::size_t k = 0; k < net.noisy_terminals.size(); ++k)
    noise_sign[net.noisy_terminals[k]] = ((index >> k) & 1ULL) ? 1.0 : -1.0;
}

}  // namespace sglab::dag
