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

#include "core/bandit/batch_kernels.hpp"

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

/// Forward activations of one batch, kept for the backward pass, layer by
/// layer in batch-minor blocks (batch_kernels.hpp): row r of a block is
/// `stride` doubles, one per sample (stride = batch padded to kBatchLane).
/// Rows of layer l: route j·S + s, y (j·S + s)·n + k, mix_tanh and h j·n + k.
struct SparseForward {
  int batch = 0;
  int stride = 0;
  std::vector<double> x;                      ///< input_dim rows: the contexts, transposed
  std::vector<std::vector<double>> route;     ///< per layer, W·S rows: routing weights w
  std::vector<std::vector<double>> y;         ///< per layer, W·S·n rows: slot outputs tanh(A_s u + b_s)
  std::vector<std::vector<double>> mix_tanh;  ///< per layer, W·n rows: tanh(mix) (residual layers ≥ 1 only)
  std::vector<std::vector<double>> h;         ///< per layer, W·n rows: neuron outputs
  std::vector<double> logits_t;               ///< actions rows
  Eigen::MatrixXd logits;                     ///< B × actions

  const double* row(const std::vector<double>& block, int r) const {
    return block.data() + static_cast<std::size_t>(r) * static_cast<std::size_t>(stride);
  }
  /// Neuron j's output at sample b, component k (tests and diagnostics).
  double output(int layer, int neuron, int k, int b, int n_dim) const {
    return row(h[static_cast<std::size_t>(layer)], neuron * n_dim + k)[b];
  }
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
  /// Without `keep_for_backward` (evaluation) only h and the logits are filled in: the
  /// routing weights, slot outputs and tanh(mix) live in per-thread scratch, so the
  /// pass does not stream megabytes of blocks that nothing reads (same numbers).
  void forward(const RowMatrix& x, SparseForward& out, int threads, bool keep_for_backward = true) const;
  /// Where neuron j's c-th input lives: a row of the layer below's h (layer 0: of the transposed contexts).
  RowSource input_rows(const SparseForward& f, int layer, int neuron) const;

 private:
  void forward_neurons(SparseForward& f, int layer, int first, int last, bool keep_for_backward) const;

  SparseNetShape shape_;
  Eigen::VectorXd params_;
  std::vector<std::vector<int>> inputs_;
  std::vector<std::vector<std::pair<int, int>>> readers_;
  std::vector<std::vector<int>> input_rows_;  ///< per layer, W·nP source rows (layer ≥ 1: parent·n + k)
};

/// Runs body(i) for i in [0, count): in parallel when threads > 1 (each i writes its own outputs).
void for_each_index(int count, int threads, const std::function<void(int)>& body);
/// Runs body(first, last) over contiguous ranges covering [0, count) (a few per thread).
void for_each_range(int count, int threads, const std::function<void(int, int)>& body);

}  // namespace sglab::bandit
