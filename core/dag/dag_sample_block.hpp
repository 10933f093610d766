#pragma once
// Internal to sample mode's fast path (dag_sample_fast.cpp): a block of
// samples, consecutive in configuration order, stored node-major: row r of a
// table holds node r's values for the block's samples, so the kernels
// (dag_sample_block_kernels.hpp) run node outside, sample inside, loops the
// compiler vectorises.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace sglab::dag::detail {

constexpr std::size_t kSampleBlock = 64;

struct SampleBlock {
  SampleBlock(std::size_t nodes, std::size_t grouped_nodes)
      : x((nodes + 1) * kSampleBlock, 1.0), delta(nodes * kSampleBlock, 0.0), synthetic(nodes * kSampleBlock, 0.0),
        residual(nodes * kSampleBlock, 0.0), g(nodes * kSampleBlock, 0.0), m(nodes * kSampleBlock, 0.0),
        a(nodes * kSampleBlock, 0.0), b(nodes * kSampleBlock, 0.0), pre_gradient(nodes * kSampleBlock, 0.0),
        mixed(nodes * kSampleBlock, 0.0), prediction(nodes * kSampleBlock, 0.0), work(kSampleBlock, 0.0),
        ids(grouped_nodes * kSampleBlock + 1, 0) {}
  std::size_t count = 0;
  std::uint32_t config[kSampleBlock] = {};
  std::uint32_t signs[kSampleBlock] = {};
  // x has a last row of ones (the constant feature); residual is per terminal index.
  std::vector<double> x, delta, synthetic, residual, g, m, a, b, pre_gradient, mixed, prediction, work;
  std::vector<std::uint32_t> ids;  // feature group of grouped node j at ids[j · kSampleBlock + s]
};

inline double* block_row(std::vector<double>& rows, std::size_t r) { return rows.data() + r * kSampleBlock; }
inline const double* block_row(const std::vector<double>& rows, std::size_t r) {
  return rows.data() + r * kSampleBlock;
}

// Σ_s a_s b_s over a block, in four interleaved partial sums (a fixed order).
inline double block_dot(const double* a, const double* b, std::size_t count) {
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  std::size_t k = 0;
  for (; k + 4 <= count; k += 4) {
    s0 += a[k] * b[k];
    s1 += a[k + 1] * b[k + 1];
    s2 += a[k + 2] * b[k + 2];
    s3 += a[k + 3] * b[k + 3];
  }
  for (; k < count; ++k) s0 += a[k] * b[k];
  return (s0 + s1) + (s2 + s3);
}

}  // namespace sglab::dag::detail
