#include "core/dag/dag_sample_block_kernels.hpp"

namespace sglab::dag::detail {

SampleBlockKernels::SampleBlockKernels(const DagNetwork& net) : net_(net) {
  n_ = static_cast<std::size_t>(net.node_count);
  first_ = static_cast<std::size_t>(net.input_count);
  terminals_ = net.terminals.size();
  noisy_bit_.assign(terminals_, -1);
  for (std::size_t k = 0; k < net.noisy_terminals.size(); ++k)
    noisy_bit_[static_cast<std::size_t>(net.noisy_terminals[k])] = static_cast<int>(k);
  for (std::size_t k = 0; k < net.child.size(); ++k) {
    child_node_.push_back(net.child[k]);
    child_weight_.push_back(net.weight[static_cast<std::size_t>(net.child_edge[k])]);
  }
  lambda_.assign(n_, 0.0);
  lambda_one_.assign(n_, 0);
  for (int i = net.input_count; i < net.node_count; ++i) {
    const auto si = static_cast<std::size_t>(i);
    lambda_[si] = net.is_terminal(i) ? 0.0 : net.lambda[si];
    lambda_one_[si] = !net.is_terminal(i) && net.lambda[si] == 1.0;
  }
}

void SampleBlockKernels::backprop(SampleBlock& blk, bool terminals_only) const {
  const std::size_t count = blk.count;
  for (std::size_t t = 0; t < terminals_; ++t) {
    const auto node = static_cast<std::size_t>(net_.terminals[t]);
    const double sigma = net_.sigma[t];
    const int bit = noisy_bit_[t];
    const double* rt = block_row(blk.residual, t);
    const double* dt = block_row(blk.delta, node);
    double* gt = block_row(blk.g, node);
    double* mt = block_row(blk.m, node);
    for (std::size_t s = 0; s < count; ++s) {
      double feedback = rt[s];
      if (sigma > 0.0) {
        const double sign = bit >= 0 ? (((blk.signs[s] >> bit) & 1u) ? 1.0 : -1.0) : 0.0;
        feedback += sigma * sign;
      }
      gt[s] = feedback;
      mt[s] = dt[s] * feedback;
    }
  }
  if (terminals_only) return;
  const std::size_t first_terminal = n_ - terminals_;
  for (std::size_t i = first_terminal; i-- > first_;) backprop_row(blk, i);
}

// g_i = Σ_c w_ci m_c (0 + the first product, then the others in child order:
// the sum dag_backprop forms from 0) and m_i = δ_i g_i, the last child's
// product added in the same loop as the multiplication by δ_i. The g rows of
// non-terminal nodes are scratch (nothing reads them after), so the last
// partial sum is not stored.
void SampleBlockKernels::backprop_row(SampleBlock& blk, std::size_t i) const {
  const std::size_t count = blk.count;
  const auto begin = static_cast<std::size_t>(net_.child_begin[i]), end = static_cast<std::size_t>(net_.child_begin[i + 1]);
  const double* di = block_row(blk.delta, i);
  double* mi = block_row(blk.m, i);
  if (begin == end) {
    for (std::size_t s = 0; s < count; ++s) mi[s] = di[s] * 0.0;
    return;
  }
  const auto child = [&](std::size_t k) { return block_row(blk.m, static_cast<std::size_t>(child_node_[k])); };
  const double w0 = child_weight_[begin];
  const double* m0 = child(begin);
  if (end - begin == 1) {
    for (std::size_t s = 0; s < count; ++s) mi[s] = di[s] * (0.0 + w0 * m0[s]);
    return;
  }
  double* __restrict sum = block_row(blk.g, i);  // distinct rows throughout
  for (std::size_t s = 0; s < count; ++s) sum[s] = 0.0 + w0 * m0[s];
  for (std::size_t k = begin + 1; k + 1 < end; ++k) {
    const double w = child_weight_[k];
    const double* __restrict mc = child(k);
    for (std::size_t s = 0; s < count; ++s) sum[s] += w * mc[s];
  }
  const double wl = child_weight_[end - 1];
  const double* __restrict ml = child(end - 1);
  double* __restrict m_out = mi;
  for (std::size_t s = 0; s < count; ++s) m_out[s] = di[s] * (sum[s] + wl * ml[s]);
}

// At λ_i = 1 the propagated sum is skipped: g̃_i = 0 · Σ J g̃ + Σ s equals Σ s
// (every sum is finite), and the mix (1 − 1) · a_i + 1 · b_i with a_i = 0 is
// formed right away as 0 + b_i (the same value, −0 included, without the
// a and b rows, which nothing else reads), so no value changes.
void SampleBlockKernels::synthetic(SampleBlock& blk) const {
  const std::size_t count = blk.count;
  for (std::size_t t = n_ - terminals_; t < n_; ++t) {
    const double* mt = block_row(blk.m, t);
    const double* dt = block_row(blk.delta, t);
    const double* gt = block_row(blk.g, t);
    double* at = block_row(blk.a, t);
    double* bt = block_row(blk.b, t);
    double* ct = block_row(blk.pre_gradient, t);
    for (std::size_t s = 0; s < count; ++s) {
      at[s] = mt[s];
      bt[s] = mt[s];
      ct[s] = dt[s] * gt[s];
    }
  }
  for (std::size_t i = n_ - terminals_; i-- > first_;) synthetic_row(blk, i);
  for (std::size_t i = first_; i < n_; ++i) {
    if (lambda_one_[i]) continue;  // mixed by synthetic_row
    const double l = lambda_[i];
    const double* ai = block_row(blk.a, i);
    const double* bi = block_row(blk.b, i);
    double* mi = block_row(blk.mixed, i);
    for (std::size_t s = 0; s < count; ++s) mi[s] = (1.0 - l) * ai[s] + l * bi[s];
  }
}

// a_i, b_i and δ_i g̃_i of one non-terminal node (its children's rows are done).
void SampleBlockKernels::synthetic_row(SampleBlock& blk, std::size_t i) const {
  const std::size_t count = blk.count;
  const double* syn = block_row(blk.synthetic, i);
  const double* di = block_row(blk.delta, i);
  double* ai = block_row(blk.a, i);
  double* bi = block_row(blk.b, i);
  double* ci = block_row(blk.pre_gradient, i);
  if (lambda_one_[i]) {
    // Distinct rows: restrict lets the compiler vectorise without overlap checks.
    const double* __restrict d = di;
    const double* __restrict y = syn;
    double* __restrict c = ci;
    double* __restrict mi = block_row(blk.mixed, i);
    for (std::size_t s = 0; s < count; ++s) {
      const double b = d[s] * y[s];
      c[s] = b;
      mi[s] = 0.0 + b;  // (1 − λ) a + λ b at λ = 1, a = 0
    }
    return;
  }
  double* propagated = block_row(blk.work, 0);
  for (std::size_t s = 0; s < count; ++s) propagated[s] = 0.0;
  for (int k = net_.child_begin[i]; k < net_.child_begin[i + 1]; ++k) {
    const double w = child_weight_[static_cast<std::size_t>(k)];
    const double* cc = block_row(blk.pre_gradient, static_cast<std::size_t>(child_node_[static_cast<std::size_t>(k)]));
    for (std::size_t s = 0; s < count; ++s) propagated[s] += w * cc[s];
  }
  const double l = net_.lambda[i];
  for (std::size_t s = 0; s < count; ++s) {
    const double g_tilde = (1.0 - l) * propagated[s] + l * syn[s];
    ai[s] = di[s] * propagated[s];
    bi[s] = di[s] * syn[s];
    ci[s] = di[s] * g_tilde;
  }
}

// Σ_c w_ci p_c from 0 in child order (0 + the first product, then the others),
// as ConfigurationTable::synthetic_sums and dag_synthetic_backprop form it.
void SampleBlockKernels::synthetic_sums(SampleBlock& blk) const {
  const std::size_t count = blk.count;
  for (std::size_t i = first_; i < n_ - terminals_; ++i) {
    double* __restrict sum = block_row(blk.synthetic, i);
    const auto begin = static_cast<std::size_t>(net_.child_begin[i]);
    const auto end = static_cast<std::size_t>(net_.child_begin[i + 1]);
    if (begin == end) {
      for (std::size_t s = 0; s < count; ++s) sum[s] = 0.0;
      continue;
    }
    for (std::size_t k = begin; k < end; ++k) {
      const double w = child_weight_[k];
      const double* __restrict p = block_row(blk.prediction, static_cast<std::size_t>(child_node_[k]));
      if (k == begin)
        for (std::size_t s = 0; s < count; ++s) sum[s] = 0.0 + w * p[s];
      else
        for (std::size_t s = 0; s < count; ++s) sum[s] += w * p[s];
    }
  }
}

}  // namespace sglab::dag::detail
