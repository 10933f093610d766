#pragma once
// SparseNet policy (THEORY.md §8; the paper's code: exp-mnist-bandit/models.py
// SparsePolicy). L hidden layers of W neurons, each neuron's output h ∈ R^n.
// Neuron j reads u_j ∈ R^{nP}: the outputs of its P parents (layer 0: n·P
// distinct pixels), parent-major. With S slots:
//   w = softmax(K u / √(nP)),  y_s = tanh(A_s u + b_s),  h = Σ_s w_s y_s
//   residual (layers ≥ 1): h ← tanh(h) + h_prev (the same neuron of the layer below)
//   action logits ℓ = K_act · vec(h^{(L)}) / √(W n)
// All parameters live in one flat vector (so Adam is one loop); a neuron's
// block is [A (S·n × nP, column-major) | b (S·n) | K (S × nP, column-major)].

#include <Eigen/Dense>

#include <cstdint>
#include <functional>
#include <vector>

namespace sglab::bandit {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixMap = Eigen::Map<Eigen::MatrixXd>;
using ConstMatrixMap = Eigen::Map<const Eigen::MatrixXd>;

struct SparseNetShape {
  int input_dim = 64;
  int n_dim = 4;
  int layers = 3;
  int width = 16;
  int slots = 3;
  int parents = 3;
  int actions = 9;
  bool residual = true;

  int nd() const { return n_dim * parents; }  ///< a neuron's input size
  std::size_t neuron_params() const;
  std::size_t neuron_offset(int layer, int neuron) const;
  std::size_t action_offset() const;
  std::size_t param_count() const;
  double hidden_scale() const;  ///< 1/√(nP) on the routing logits
  double action_scale() const;  ///< 1/√(W n) on the action logits
};

/// Forward activations of one batch, kept for the backward pass. Per layer and
/// neuron (index layer·W + neuron), each B rows.
struct SparseForward {
  int batch = 0;
  std::vector<Eigen::MatrixXd> u;        ///< B × nP input
  std::vector<Eigen::MatrixXd> route;    ///< B × S routing weights w
  std::vector<Eigen::MatrixXd> y;        ///< B × S·n slot outputs tanh(A_s u + b_s)
  std::vector<Eigen::MatrixXd> mix;      ///< B × n mixture Σ_s w_s y_s (before the residual)
  std::vector<Eigen::MatrixXd> mix_tanh; ///< B × n tanh(mix) (residual layers ≥ 1 only)
  std::vector<Eigen::MatrixXd> h;        ///< B × n neuron output
  Eigen::MatrixXd last_hidden;           ///< B × W·n, vec of the last layer
  Eigen::MatrixXd logits;                ///< B × actions
};

class SparseNet {
 public:
  /// Wiring and N(0, 1/(nP)) initialisation (models.py reset_parameters) from `seed`.
  SparseNet(const SparseNetShape& shape, std::uint64_t seed);

  const SparseNetShape& shape() const { return shape_; }
  Eigen::VectorXd& params() { return params_; }
  const Eigen::VectorXd& params() const { return params_; }
  /// Layer 0: the nP pixels neuron j reads; layer ≥ 1: its P parents in the layer below.
  const std::vector<int>& inputs(int layer, int neuron) const {
    return inputs_[static_cast<std::size_t>(layer * shape_.width + neuron)];
  }
  /// For layer ≥ 1 and a neuron i of layer − 1: (child, position) pairs that read it, children ascending.
  const std::vector<std::pair<int, int>>& readers(int layer, int parent) const {
    return readers_[static_cast<std::size_t>(layer * shape_.width + parent)];
  }

  ConstMatrixMap slot_maps(int layer, int neuron) const;  ///< A: S·n × nP
  Eigen::Map<const Eigen::VectorXd> slot_biases(int layer, int neuron) const;  ///< b: S·n
  ConstMatrixMap routing_keys(int layer, int neuron) const;  ///< K: S × nP
  ConstMatrixMap action_keys() const;  ///< actions × W·n

  /// Forward pass of a batch of contexts (rows of x); `threads` splits the neurons of a layer.
  void forward(const RowMatrix& x, SparseForward& out, int threads) const;
  /// Forward of one neuron (layer, j) given the layer below already computed.
  void forward_neuron(const RowMatrix& x, SparseForward& f, int layer, int neuron) const;

 private:
  SparseNetShape shape_;
  Eigen::VectorXd params_;
  std::vector<std::vector<int>> inputs_;
  std::vector<std::vector<std::pair<int, int>>> readers_;
};

/// Runs body(i) for i in [0, count): in parallel when threads > 1 (each i writes its own outputs).
void for_each_index(int count, int threads, const std::function<void(int)>& body);

}  // namespace sglab::bandit
