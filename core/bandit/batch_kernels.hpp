#pragma once
// The bandit lab's arithmetic kernels on batch-minor blocks (issue 9 "Speed").
// A block holds `rows` rows of `stride` doubles, one per sample of the batch
// (stride = the batch rounded up to kBatchLane; pad entries are kept finite and,
// in every gradient block, zero). A SparseNet neuron's maps are small (S·n × nP
// ~ 50 × 50 at paper scale), so instead of one tiny matrix product per neuron
// the kernels run over the batch in register tiles: each output row is a sum
// over a weight row in a fixed order, vectorised across samples. No horizontal
// reduction happens except in accumulate_outer, whose lane order is fixed, so
// the results do not depend on the instruction set chosen at run time (the
// AVX2 + FMA build of these kernels, when the CPU has it, gives the same bytes:
// fused multiply-adds only where written, vfmadd there and std::fma in the
// baseline build, the same 4-lane sums) nor on the thread count.

#include <cstddef>

namespace sglab::bandit {

constexpr int kBatchLane = 4;  ///< batch padding unit (one 4-double vector)

/// Rounds a batch size up to a multiple of kBatchLane.
inline int padded_batch(int batch) { return (batch + kBatchLane - 1) / kBatchLane * kBatchLane; }

/// Input rows of a kernel: row c at base + (rows ? rows[c] : c) · stride.
struct RowSource {
  const double* base = nullptr;
  const int* rows = nullptr;
  std::size_t stride = 0;
};

/// Asks the cache for `bytes` from p on (no effect on any result): a neuron's
/// blocks (weights, its input rows, its gradient rows) are scattered over
/// megabytes, so the next neuron's are requested while this one computes.
inline void prefetch_span(const void* p, std::size_t bytes) {
  const char* c = static_cast<const char*>(p);
  for (std::size_t i = 0; i < bytes; i += 64) __builtin_prefetch(c + i);
}
/// The same for a block about to be written (a hint: writes nothing).
inline void prefetch_span_for_write(const void* p, std::size_t bytes) {
  const char* c = static_cast<const char*>(p);
  for (std::size_t i = 0; i < bytes; i += 64) __builtin_prefetch(c + i, 1);
}
/// prefetch_span over the first `count` rows of `in`, `bytes` of each.
inline void prefetch_rows(const RowSource& in, int count, std::size_t bytes) {
  for (int c = 0; c < count; ++c)
    prefetch_span(in.base + static_cast<std::size_t>(in.rows != nullptr ? in.rows[c] : c) * in.stride, bytes);
}

/// out[r][b] = (accumulate ? out[r][b] : 0) + scale · Σ_c w[r·w_rs + c·w_cs] · in_c[b] (+ bias[r] when not
/// null; bias only without accumulate), r < R, c < C, b < stride (out rows `stride` apart).
void rows_times_weights(double* out, int R, int C, const double* w, std::ptrdiff_t w_rs, std::ptrdiff_t w_cs,
                        const RowSource& in, double scale, const double* bias, bool accumulate);

/// out[r·o_rs + c·o_cs] += scale · Σ_b a_r[b] · in_c[b], r < R, c < C; a's rows
/// `in.stride` apart. Sums run over the whole stride: pad entries of `a` must be zero.
void accumulate_outer(double* out, std::ptrdiff_t o_rs, std::ptrdiff_t o_cs, int R, int C, const double* a,
                      const RowSource& in, double scale);

/// p[i] = tanh(p[i]) for i < count (count a multiple of kBatchLane); |error| < 1e-15.
void tanh_inplace(double* p, std::size_t count);

/// Softmax over S rows (B samples each), sample by sample, in place.
void softmax_rows_inplace(double* z, int S, std::size_t B);
/// out_k = Σ_s w_s ⊙ y_{s·n+k} for k < n (the slot mixture; w: S rows, y: S·n rows).
void mix_slots(double* out, const double* w, const double* y, int S, int n, std::size_t B);
/// A neuron's per-sample backward terms (sparse_net_backward.hpp neuron_terms) from the
/// gradient g at its mixture (n rows), slot outputs y (S·n rows), routing w (S rows).
void slot_terms(const double* g, const double* y, const double* w, int S, int n, std::size_t B, double* t, double* dq);

/// Adam (adam.hpp) on count elements: m ← β1 m + (1−β1) g, v ← β2 v + (1−β2) g²,
/// p ← p − lr (m/c1) / (√(v/c2) + ε); then g ← 0 when `clear_gradient` (the next
/// step's accumulation starts from zero without a separate pass over g).
void adam_update(double* p, double* m, double* v, double* g, std::size_t count, double lr, double c1, double c2,
                 double beta1, double beta2, double epsilon, bool clear_gradient);

/// The kernel set in use: "avx2" (AVX2 + FMA) or "generic" (for benchmark labels).
const char* batch_kernels_isa();
/// Forces the baseline kernels even on an AVX2 + FMA CPU (tests compare the two
/// builds' bytes); false restores the run-time choice. Not for use while kernels run.
void force_generic_batch_kernels(bool on);

}  // namespace sglab::bandit
