#pragma once
// Edits the DAG editor makes to a DagSpec. A structural edit (inputs, a
// layer's width or fan-in, adding or removing a layer, the teacher, the seed)
// renumbers nodes, so it forgets the explicit draws it invalidates and lets
// resolve_dag_spec draw them again from the seed (dag_generation.hpp). Other
// edits (activation, q, σ, λ, predictor) keep every weight.

#include "core/dag/dag_spec.hpp"

namespace sglab::ui {

/// How the terminals' teachers read (THEORY.md §7).
enum class DagTeacherMode {
  kParents,  ///< the terminal's own parents: keeps B true at the terminal
  kInputs,   ///< every input: partial observation when the terminal does not see them all
};

void forget_draws_from_layer(dag::DagSpec& spec, int layer);  ///< layer ≥ 1; also the teachers
void set_inputs(dag::DagSpec& spec, int inputs);
void set_layer_width(dag::DagSpec& spec, int layer, int width);    ///< layer ≥ 1
void set_layer_fan_in(dag::DagSpec& spec, int layer, int fan_in);  ///< 0 = dense
void set_layer_q(dag::DagSpec& spec, int layer, double q);  ///< keep probability of every node
void set_layer_activation(dag::DagSpec& spec, int layer, dag::Activation activation);
void add_hidden_layer(dag::DagSpec& spec);                ///< before the terminal layer
void remove_hidden_layer(dag::DagSpec& spec, int layer);  ///< not the terminal layer
void set_sigma(dag::DagSpec& spec, double sigma);         ///< every terminal
void set_teacher_mode(dag::DagSpec& spec, DagTeacherMode mode);
DagTeacherMode teacher_mode(const dag::DagSpec& spec);
void set_global_lambda(dag::DagSpec& spec, double lambda);  ///< and clears per-node λ
/// λ of one node (global id); std::nullopt = follow the global λ.
void set_node_lambda(dag::DagSpec& spec, int node, std::optional<double> lambda);
std::optional<double> node_lambda(const dag::DagSpec& spec, int node);
bool has_node_lambdas(const dag::DagSpec& spec);
void reseed(dag::DagSpec& spec, std::uint64_t seed);  ///< forgets every draw

}  // namespace sglab::ui
