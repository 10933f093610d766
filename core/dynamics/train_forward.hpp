#pragma once
// The forward pass of training (THEORY.md §7, eq 3): dag_forward's arithmetic
// with a cheaper tanh, because tanh dominates the cost of a training step
// (issue 5 speed target). Every run of the dynamics lab uses this one kernel, so
// the runs stay comparable bit for bit (λ = 0 SG ≡ BP).

#include <cstddef>
#include <vector>

#include "core/dag/dag_network.hpp"

namespace sglab::dynamics {

/// tanh of `count` values in place, four lanes at a time (issue 12: glibc-
/// style scalar tanh took a quarter of a training step):
/// tanh|x| = −E / (2 + E) with E = e^{−2|x|} − 1 from an own expm1 (Cody–Waite
/// reduction, Taylor series; no cancellation, so one formula for every x);
/// ±1 past |x| = 20. No fused multiply-adds, so the AVX2 and baseline builds
/// give the same bytes (core/util/simd_clones.hpp), and a value's tanh does not
/// depend on its neighbours or on `count`. Within 1e-15 relative of std::tanh (tested).
void train_tanh_inplace(double* values, std::size_t count);

/// train_tanh_inplace of one value (the tests).
double train_tanh(double x);

/// The forward pass of a batch, node by node: row i holds node i's value for
/// every sample (samples 0 .. batch − 1, then padding to whole vectors).
struct TrainForwardRows {
  std::size_t batch = 0, stride = 0;
  std::vector<double> x, delta;  ///< [node][stride]: x_i and δ_i = ∂x_i/∂pre_i
  std::vector<double> target;    ///< [terminal][stride]: the teacher's y_t
  const double* x_row(std::size_t node) const { return x.data() + node * stride; }
  const double* delta_row(std::size_t node) const { return delta.data() + node * stride; }
  const double* target_row(std::size_t terminal) const { return target.data() + terminal * stride; }
};

/// As dag_forward (same inputs, masks, x and δ) and dag_teacher_target (y_t),
/// with the tanh above, for `batch` samples at once, node by node (so the sums
/// and tanh run along rows of samples; each sample's sums are dag_forward's, in
/// its order). inputs: [batch][input_count]; kept: [batch][dropout nodes].
void train_forward(const dag::DagNetwork& net, const double* inputs, const unsigned char* kept, std::size_t batch,
                   TrainForwardRows& rows);

}  // namespace sglab::dynamics
