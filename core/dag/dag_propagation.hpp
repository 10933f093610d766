#pragma once
// One outcome of the small DAG, forward and backward (THEORY.md §1, §7).
//
// Per node i the kernels use
//   δ_i = ∂x_i/∂pre_i = (ξ_i/q_i) φ'(pre_i)            (§7)
//   m_i = δ_i g_i       (BP; g_θi^BP = m_i · [x_pa(i), 1], eq 6)
// so a parameter gradient is always a scalar times the feature vector
// [x_pa(i), 1], which is a function of the local observation o_i. Both the
// exact and the sample modes rely on this factorisation.

#include "core/dag/dag_network.hpp"

namespace sglab::dag {

/// Forward pass (eq 3, §7). inputs: ±1 per input node; kept: ξ ∈ {0,1} per
/// dropout slot (DagNetwork::dropout_nodes). Writes x and δ for every node
/// (inputs: x = input, δ = 0).
void dag_forward(const DagNetwork& net, const double* inputs, const unsigned char* kept, double* x,
                 double* delta);

/// Teacher target y_t = tanh(v_t · x_S_t) of terminal index t (§7).
double dag_teacher_target(const DagNetwork& net, int terminal_index, const double* x);

/// Backpropagation (eq 4) with terminal feedback g_t = x_t − y_t + σ_t ε_t (§7).
/// noise_sign: ε_t per terminal index (±1; ignored where σ_t = 0).
/// Writes g (node gradient) and m = δ g for every non-input node.
void dag_backprop(const DagNetwork& net, const double* x, const double* delta, const double* noise_sign,
                  double* g, double* m);

/// Synthetic-gradient propagation (Definition 1, eq 5) with λ_{i,c} = λ_i (§4.2).
/// prediction[c]: the child's predicted E[m_c | o_c], so s_{c→i}(o_c) = w_ci · prediction[c]
/// (eq 13 for the oracle). Needs g and m from dag_backprop (terminals: g̃_t = g_t).
/// Writes, per non-input node, g̃_i and the two parts of eq 16 as scalars on
/// [x_pa(i), 1]: a_i = δ_i Σ_c δ_c w_ci g̃_c (propagated), b_i = δ_i Σ_c w_ci
/// prediction[c] (synthetic). Terminals: a = b = m (they do not mix).
/// The SG parameter gradient of i is ((1 − λ_i) a_i + λ_i b_i) · [x_pa(i), 1].
void dag_synthetic_backprop(const DagNetwork& net, const double* delta, const double* g,
                            const double* m, const double* prediction, double* g_tilde, double* a, double* b);

}  // namespace sglab::dag
