#include "core/dag/dag_configuration_table.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>

#include "core/dag/dag_outcome_space.hpp"
#include "core/dag/dag_propagation.hpp"
#include "core/dag/dag_sample_feature_groups.hpp"

namespace sglab::dag::detail {

namespace {
// Tables above this size are not built; the values are computed per sample instead.
constexpr double kTableBudgetBytes = 1.0e9;
}  // namespace

ConfigurationTable::ConfigurationTable(const DagNetwork& net, const DagExactPredictor& predictor)
    : net_(net), predictor_(predictor) {
  n_ = static_cast<std::size_t>(net.node_count);
  first_ = static_cast<std::size_t>(net.input_count);
  terminals_ = net.terminals.size();
  stride_ = (n_ - first_) + terminals_ + (n_ - first_);
  inverse_q_.assign(n_, 1.0);
  for (std::size_t c = 0; c < n_; ++c) inverse_q_[c] = 1.0 / net.keep_q[c];
  is_tanh_.assign(n_, 0);
  keep_bit_.assign(n_, -1);
  for (std::size_t c = first_; c < n_; ++c) {
    is_tanh_[c] = net.activation[c] == Activation::tanh;
    if (net.dropout_slot[c] >= 0) keep_bit_[c] = net.input_count + net.dropout_slot[c];
  }
  const DagOutcomeSpace space = dag_outcome_space(net);
  configs_ = space.configuration_count();
  configuration_bits_ = space.input_bits + space.mask_bits;
  need_x_.assign(n_, 1);
  for (std::size_t k = 0; k < net.child.size(); ++k) {
    child_node_.push_back(net.child[k]);
    child_weight_.push_back(net.weight[static_cast<std::size_t>(net.child_edge[k])]);
  }
}

ConfigurationTable::View ConfigurationTable::compute(std::uint64_t config, Scratch& w) const {
  decode_configuration(net_, config, w.inputs.data(), w.kept.data());
  dag_forward(net_, w.inputs.data(), w.kept.data(), w.x.data(), w.delta.data());
  return finish(config, w);
}

ConfigurationTable::View ConfigurationTable::compute_from(std::uint64_t config, const DagConfigurationValues& values,
                                                          Scratch& w) const {
  const auto column = static_cast<std::size_t>(config);
  const auto stride = static_cast<std::size_t>(values.configurations);
  for (std::size_t i = 0; i < n_; ++i) {
    w.x[i] = values.x[i * stride + column];
    w.delta[i] = values.delta[i * stride + column];
  }
  return finish(config, w);
}

// The exact predictor, its synthetic sums and the terminal residuals from w.x.
ConfigurationTable::View ConfigurationTable::finish(std::uint64_t config, Scratch& w) const {
  w.x[n_] = 1.0;
  for (int c = net_.input_count; c < net_.node_count; ++c)
    w.exact_prediction[static_cast<std::size_t>(c) - first_] = predictor_.predict(net_, c, config, w.x.data());
  synthetic_sums(w.exact_prediction.data(), w.exact_synthetic.data());
  for (std::size_t t = 0; t < terminals_; ++t)
    w.residual[t] = w.x[static_cast<std::size_t>(net_.terminals[t])] -
                    dag_teacher_target(net_, static_cast<int>(t), w.x.data());
  return {w.x.data(), w.delta.data(), w.exact_synthetic.data(), w.residual.data()};
}

// s_{c→i} = w_ci p_c (eq 13) summed as the synthetic part of eq 5.
void ConfigurationTable::synthetic_sums(const double* prediction, double* synthetic) const {
  const std::size_t first_terminal = n_ - terminals_;
  for (std::size_t i = first_; i < first_terminal; ++i) {
    double sum = 0.0;
    for (int k = net_.child_begin[i]; k < net_.child_begin[i + 1]; ++k)
      sum += child_weight_[static_cast<std::size_t>(k)] *
             prediction[static_cast<std::size_t>(child_node_[static_cast<std::size_t>(k)]) - first_];
    synthetic[i - first_] = sum;
  }
  for (std::size_t t = first_terminal; t < n_; ++t) synthetic[t - first_] = 0.0;
}

// x and δ from a compact record: x_i = ξ_i h_i / q_i, δ_i = (ξ_i/q_i) φ'(pre_i) (§7).
// Nodes whose x no sample reads hold δ_i itself (x_i is left as it is).
void ConfigurationTable::expand(std::uint64_t config, const double* compact, double* x, double* delta) const {
  for (std::size_t k = 0; k < first_; ++k) {
    x[k] = ((config >> k) & 1ULL) ? 1.0 : -1.0;
    delta[k] = 0.0;
  }
  for (std::size_t i = first_; i < n_; ++i) {
    if (!need_x_[i]) {
      delta[i] = compact[i - first_];
      continue;
    }
    const double h = compact[i - first_];
    const double slope = is_tanh_[i] ? 1.0 - h * h : 1.0;
    if (keep_bit_[i] < 0) {
      x[i] = h;
      delta[i] = slope;
    } else {
      const double scale = ((config >> keep_bit_[i]) & 1ULL) ? inverse_q_[i] : 0.0;
      x[i] = scale * h;
      delta[i] = scale * slope;
    }
  }
  x[n_] = 1.0;
}

// φ_i(pre_i) of every non-input node given the node values x of dag_forward
// (same expression, same order as dag_forward: pre_i = Σ_p w_ip x_p + b_i).
void ConfigurationTable::activations(const double* x, double* h) const {
  for (std::size_t i = first_; i < n_; ++i) {
    if (!need_x_[i]) continue;  // the record holds δ_i
    // Without dropout x_i = h_i already; with it, h_i is recomputed as dag_forward does.
    if (net_.dropout_slot[i] < 0) {
      h[i - first_] = x[i];
      continue;
    }
    double pre = net_.bias[i];
    for (int e = net_.parent_begin[i]; e < net_.parent_begin[i + 1]; ++e)
      pre += net_.weight[static_cast<std::size_t>(e)] * x[net_.parent[static_cast<std::size_t>(e)]];
    h[i - first_] = net_.activation[i] == Activation::tanh ? std::tanh(pre) : pre;
  }
}

bool ConfigurationTable::fits() const {
  return static_cast<double>(configs_) * static_cast<double>(stride_) * sizeof(double) <= kTableBudgetBytes;
}

bool ConfigurationTable::build(FeatureGroupPlan& groups, const DagConfigurationValues* values, int threads,
                               const WorkControl* control) {
  if (values != nullptr && values->configurations != configs_) values = nullptr;
  table_.resize(static_cast<std::size_t>(configs_) * stride_);
  std::atomic<bool> mismatch{false}, group_mismatch{false};
  constexpr std::uint64_t kChunk = 256;
  WorkControl cancel_only;  // honour cancel while building; progress counts the trials only
  if (control != nullptr) cancel_only.cancel = control->cancel;
  parallel_for(static_cast<std::size_t>((configs_ + kChunk - 1) / kChunk), threads, [&](std::size_t chunk) {
    Scratch w(n_);
    std::vector<double> x(n_ + 1), delta(n_);
    const std::uint64_t end = std::min<std::uint64_t>(configs_, (chunk + 1) * kChunk);
    bool groups_differ = false;
    for (std::uint64_t c = chunk * kChunk; c < end; ++c) {
      const View v = values != nullptr ? compute_from(c, *values, w) : compute(c, w);
      double* compact = &table_[static_cast<std::size_t>(c) * stride_];
      activations(v.x, compact);
      for (std::size_t i = first_; i < n_; ++i)
        if (!need_x_[i]) compact[i - first_] = v.delta[i];
      std::copy(v.residual, v.residual + terminals_, compact + (n_ - first_));
      std::copy(v.synthetic, v.synthetic + (n_ - first_), compact + (n_ - first_) + terminals_);
      // The expansion must give x (where a sample reads it) and δ bit for bit.
      std::copy(v.x, v.x + n_ + 1, x.begin());
      expand(c, compact, x.data(), delta.data());
      if (std::memcmp(v.x, x.data(), (n_ + 1) * sizeof(double)) != 0 ||
          std::memcmp(v.delta, delta.data(), n_ * sizeof(double)) != 0)
        mismatch = true;
      groups_differ |= !groups.check(c, v.x);
    }
    if (groups_differ) group_mismatch = true;
  }, &cancel_only);
  if (mismatch) std::vector<double>().swap(table_);
  return !group_mismatch;
}

void ConfigurationTable::load_rows(SampleBlock& blk, const std::uint64_t* next_keys, std::size_t next_count,
                                   Scratch& w, bool exact_synthetic) const {
  const std::size_t count = blk.count;
  if (table_.empty()) {
    for (std::size_t s = 0; s < count; ++s) {
      const View v = compute(blk.config[s], w);
      for (std::size_t i = 0; i < n_; ++i) {
        block_row(blk.x, i)[s] = v.x[i];
        block_row(blk.delta, i)[s] = v.delta[i];
      }
      for (std::size_t t = 0; t < terminals_; ++t) block_row(blk.residual, t)[s] = v.residual[t];
      for (std::size_t i = first_; i < n_ && exact_synthetic; ++i)
        block_row(blk.synthetic, i)[s] = v.synthetic[i - first_];
    }
    return;
  }
  const double* record[kSampleBlock];
  for (std::size_t s = 0; s < count; ++s) record[s] = &table_[std::size_t{blk.config[s]} * stride_];
  // The next block's records: all of it in pass 1; without the exact synthetic
  // sums (pass 2) only h and the residuals, the record's first part.
  const std::size_t used = exact_synthetic ? stride_ : (n_ - first_) + terminals_;
  for (std::size_t s = 0; s < next_count; ++s) {
    const char* p = reinterpret_cast<const char*>(&table_[static_cast<std::size_t>(next_keys[s] >> 32) * stride_]);
    for (std::size_t off = 0; off < used * sizeof(double); off += 64) __builtin_prefetch(p + off);
    __builtin_prefetch(p + used * sizeof(double) - 1);  // the part's last line (records are not line-aligned)
  }
  copy_records(blk, record, exact_synthetic);
  expand_rows(blk, record);
}

// The record's parts into the block rows, record by record (contiguous reads,
// one store per value): its first part into the δ rows (the nodes whose record
// holds h get their δ from expand_rows after), the residuals, and (pass 1)
// the exact synthetic sums.
void ConfigurationTable::copy_records(SampleBlock& blk, const double* const* record, bool exact_synthetic) const {
  const std::size_t values = n_ - first_, synthetic = n_ - first_ - terminals_;
  for (std::size_t s = 0; s < blk.count; ++s) {
    const double* rec = record[s];
    to_column(rec, values, block_row(blk.delta, first_) + s);
    to_column(rec + values, terminals_, block_row(blk.residual, 0) + s);
    if (exact_synthetic) to_column(rec + values + terminals_, synthetic, block_row(blk.synthetic, first_) + s);
  }
}

// column[k · kSampleBlock] = values[k], k < count: four loads before their
// stores (the compiler cannot tell the two apart, so it would reload otherwise).
void ConfigurationTable::to_column(const double* values, std::size_t count, double* column) {
  std::size_t k = 0;
  for (; k + 4 <= count; k += 4, column += 4 * kSampleBlock) {
    const double a = values[k], b = values[k + 1], c = values[k + 2], d = values[k + 3];
    column[0] = a;
    column[kSampleBlock] = b;
    column[2 * kSampleBlock] = c;
    column[3 * kSampleBlock] = d;
  }
  for (; k < count; ++k, column += kSampleBlock) *column = values[k];
}

// expand() for a block, row by row, for the nodes whose record holds h (the
// same expressions); the δ of the others is copied by copy_records.
void ConfigurationTable::expand_rows(SampleBlock& blk, const double* const* record) const {
  const std::size_t count = blk.count;
  for (std::size_t k = 0; k < first_; ++k) {
    if (!need_x_[k]) continue;
    double* xk = block_row(blk.x, k);
    for (std::size_t s = 0; s < count; ++s) xk[s] = ((blk.config[s] >> k) & 1u) ? 1.0 : -1.0;
  }
  for (std::size_t i = first_; i < n_; ++i) {
    double* xi = block_row(blk.x, i);
    double* di = block_row(blk.delta, i);
    const bool tanh_node = is_tanh_[i];
    const int keep = keep_bit_[i];
    const double inv_q = inverse_q_[i];
    if (!need_x_[i]) continue;  // the record holds δ_i (copied)
    for (std::size_t s = 0; s < count; ++s) {
      const double h = record[s][i - first_];
      const double slope = tanh_node ? 1.0 - h * h : 1.0;
      if (keep < 0) {
        xi[s] = h;
        di[s] = slope;
      } else {
        const double scale = ((blk.config[s] >> keep) & 1u) ? inv_q : 0.0;
        xi[s] = scale * h;
        di[s] = scale * slope;
      }
    }
  }
}

}  // namespace sglab::dag::detail
