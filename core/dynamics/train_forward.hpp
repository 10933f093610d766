#pragma once
// The forward pass of training (THEORY.md §7, eq 3): dag_forward's arithmetic
// with a cheaper tanh, because tanh dominates the cost of a training step
// (issue 5 speed target). Every run of the dynamics lab uses this one kernel, so
// the runs stay comparable bit for bit (λ = 0 SG ≡ BP).

#include "core/dag/dag_network.hpp"

namespace sglab::dynamics {

/// tanh(x) = sign(x) (1 − 2 / (e^{2|x|} + 1)) for |x| ≥ 0.3 — one exp instead of
/// glibc's expm1-based tanh; the cancellation there costs at most
/// 2/(e^{0.6} + 1) / tanh(0.3) ≈ 2.4 units of rounding — and its Taylor series
/// (12 terms, Horner in x²) below 0.3, where the formula would lose relative
/// accuracy. Within 1e-15 relative of std::tanh everywhere (tested).
double train_tanh(double x);

/// As dag_forward (same inputs, masks, outputs x and δ = ∂x/∂pre), with train_tanh.
void train_forward(const dag::DagNetwork& net, const double* inputs, const unsigned char* kept, double* x,
                   double* delta);

}  // namespace sglab::dynamics
