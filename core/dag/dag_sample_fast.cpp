#include "core/dag/dag_sample_fast.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>

#include "core/dag/dag_outcome_space.hpp"
#include "core/dag/dag_propagation.hpp"
#include "core/rng/counter_rng.hpp"
#include "core/util/parallel_for.hpp"

namespace sglab::dag::detail {

FeatureLayout::FeatureLayout(const DagNetwork& net) {
  offsets.assign(static_cast<std::size_t>(net.node_count) + 1, 0);
  for (int i = 0; i < net.node_count; ++i) {
    const auto si = static_cast<std::size_t>(i);
    const int k = i < net.input_count ? 0 : net.parent_count(i) + 1;
    offsets[si + 1] = offsets[si] + static_cast<std::size_t>(k);
    if (k == 0) continue;
    // [x_pa(i), 1] (eq 6): parents in edge order, then the constant slot.
    for (int e = net.parent_begin[si]; e < net.parent_begin[si + 1]; ++e) {
      node_of.push_back(i);
      feature.push_back(net.parent[static_cast<std::size_t>(e)]);
    }
    node_of.push_back(i);
    feature.push_back(net.node_count);
  }
}

namespace {

// Tables above this size are not built; the values are computed per sample instead.
constexpr double kTableBudgetBytes = 1.0e9;
constexpr std::uint64_t kPrefetchDistance = 8;

// out[j] += s f[j], j < K: straight-line code for the small fan-ins of the lab.
template <int K>
inline void add_scaled_fixed(double* out, double s, const double* f) {
  for (int j = 0; j < K; ++j) out[j] += s * f[j];
}

inline void add_scaled(double* out, double s, const double* f, std::size_t k) {
  switch (k) {
    case 2: add_scaled_fixed<2>(out, s, f); return;
    case 3: add_scaled_fixed<3>(out, s, f); return;
    case 4: add_scaled_fixed<4>(out, s, f); return;
    case 5: add_scaled_fixed<5>(out, s, f); return;
    case 6: add_scaled_fixed<6>(out, s, f); return;
    default:
      for (std::size_t j = 0; j < k; ++j) out[j] += s * f[j];
  }
}

// Least-squares sums of one node: rhs[i] += f[i] m, packed lower Gram g(i, q) += f[i] f[q].
template <int K>
inline void add_normal_equations_fixed(double* g, double* rhs, const double* f, double m) {
  for (int i = 0; i < K; ++i) {
    const double fi = f[i];
    rhs[i] += fi * m;
    for (int q = 0; q <= i; ++q) *g++ += fi * f[q];
  }
}

inline void add_normal_equations(double* g, double* rhs, const double* f, double m, std::size_t k) {
  switch (k) {
    case 2: add_normal_equations_fixed<2>(g, rhs, f, m); return;
    case 3: add_normal_equations_fixed<3>(g, rhs, f, m); return;
    case 4: add_normal_equations_fixed<4>(g, rhs, f, m); return;
    case 5: add_normal_equations_fixed<5>(g, rhs, f, m); return;
    case 6: add_normal_equations_fixed<6>(g, rhs, f, m); return;
    default:
      for (std::size_t i = 0; i < k; ++i) {
        const double fi = f[i];
        rhs[i] += fi * m;
        for (std::size_t q = 0; q <= i; ++q) *g++ += fi * f[q];
      }
  }
}

}  // namespace

struct FastSampleRunner::Impl {
  const DagNetwork& net;
  const DagSampleOptions& options;
  const DagExactPredictor& predictor;
  const FeatureLayout& layout;
  std::size_t n = 0, first = 0, terminals = 0, stride = 0;
  std::uint64_t configs = 0;
  std::vector<std::uint64_t> thresholds;  // Bernoulli thresholds of the dropout slots
  std::vector<int> noisy_bit;             // per terminal index: bit of its sign, or -1
  std::vector<int> child_node;            // children of every node, flat (DagNetwork::child order)
  std::vector<double> child_weight;       // w_ci of each of those edges
  std::vector<double> lambda;             // λ_i as the SG sums use it (terminals: 0)
  // Expanded record of one configuration (what a sample reads): the features
  // [x_pa(i), 1] of every node in the flat layout (width W), δ (n), exact
  // prediction (n), terminal residual x_t − y_t (one per terminal).
  // The table keeps a compact record per configuration instead, so a sample
  // reads few cache lines (random access over all configurations is the cost):
  // h_i = φ_i(pre_i) of every non-input node, the residuals, and the oracle's
  // prediction (best-linear is recomputed from x). x and δ follow from h, the
  // input bits and the mask bits exactly as dag_forward computes them (§7).
  std::vector<double> table;
  std::size_t compact_stride = 0;
  bool table_has_prediction = false;
  std::vector<double> inverse_q;  // 1/q_i per node, as dag_forward computes it
  PredictorKind learned_kind = PredictorKind::learned_table;
  // Learned table: per configuration, the group of o_c for every non-input node,
  // numbered across nodes (group_base[c] + group of the exact analysis).
  std::vector<std::uint32_t> group_table;
  std::vector<std::uint32_t> group_base;
  std::size_t group_total = 0;
  // Learned least squares: packed lower Gram matrix and right-hand side per node.
  std::vector<std::size_t> gram_offset, rhs_offset;

  Impl(const DagNetwork& network, const DagSampleOptions& opts, const DagExactPredictor& pred,
       const FeatureLayout& lay)
      : net(network), options(opts), predictor(pred), layout(lay) {
    n = static_cast<std::size_t>(net.node_count);
    first = static_cast<std::size_t>(net.input_count);
    terminals = net.terminals.size();
    stride = layout.width() + n + n + terminals;
    table_has_prediction = predictor.kind != PredictorKind::best_linear;
    compact_stride = (n - first) + terminals + (table_has_prediction ? n - first : 0);
    inverse_q.assign(n, 1.0);
    for (std::size_t c = 0; c < n; ++c) inverse_q[c] = 1.0 / net.keep_q[c];
    configs = dag_outcome_space(net).configuration_count();
    for (int node : net.dropout_nodes)
      thresholds.push_back(rng::bernoulli_threshold(net.keep_q[static_cast<std::size_t>(node)]));
    noisy_bit.assign(terminals, -1);
    for (std::size_t k = 0; k < net.noisy_terminals.size(); ++k)
      noisy_bit[static_cast<std::size_t>(net.noisy_terminals[k])] = static_cast<int>(k);
    for (std::size_t k = 0; k < net.child.size(); ++k) {
      child_node.push_back(net.child[k]);
      child_weight.push_back(net.weight[static_cast<std::size_t>(net.child_edge[k])]);
    }
    lambda.assign(n, 0.0);
    for (int i = net.input_count; i < net.node_count; ++i)
      lambda[static_cast<std::size_t>(i)] = net.is_terminal(i) ? 0.0 : net.lambda[static_cast<std::size_t>(i)];
    learned_kind = learned_predictor_kind(net.predictor);
    build_table();
    if (options.learned && learned_kind == PredictorKind::learned_table) build_groups();
    if (options.learned && learned_kind == PredictorKind::learned_linear) {
      gram_offset.assign(n + 1, 0);
      rhs_offset.assign(n + 1, 0);
      for (std::size_t c = 0; c < n; ++c) {
        const std::size_t k = layout.offsets[c + 1] - layout.offsets[c];
        gram_offset[c + 1] = gram_offset[c] + k * (k + 1) / 2;
        rhs_offset[c + 1] = rhs_offset[c] + k;
      }
    }
  }

  // One configuration's record (THEORY.md §7): forward pass (eq 3), exact
  // predictor (eq 13 or best-linear), terminal residual of ℓ = ½ Σ (x_t − y_t)².
  void fill_record(std::uint64_t config, double* rec, double* inputs, unsigned char* kept, double* x) const {
    double* features = rec;
    double* delta = rec + layout.width();
    double* pred = delta + n;
    double* residual = pred + n;
    decode_configuration(net, config, inputs, kept);
    dag_forward(net, inputs, kept, x, delta);
    x[n] = 1.0;
    for (std::size_t r = 0; r < layout.width(); ++r) features[r] = x[layout.feature[r]];
    for (std::size_t c = 0; c < first; ++c) pred[c] = 0.0;
    for (int c = net.input_count; c < net.node_count; ++c)
      pred[c] = predictor.predict(net, c, config, x);
    for (std::size_t t = 0; t < terminals; ++t)
      residual[t] = x[net.terminals[t]] - dag_teacher_target(net, static_cast<int>(t), x);
  }

  // φ_i(pre_i) of every non-input node given the node values x of dag_forward
  // (same expression, same order as dag_forward: pre_i = Σ_p w_ip x_p + b_i).
  void activations(const double* x, double* h) const {
    for (std::size_t i = first; i < n; ++i) {
      // Without dropout x_i = h_i already; with it, h_i is recomputed as dag_forward does.
      if (net.dropout_slot[i] < 0) {
        h[i - first] = x[i];
        continue;
      }
      double pre = net.bias[i];
      for (int e = net.parent_begin[i]; e < net.parent_begin[i + 1]; ++e)
        pre += net.weight[static_cast<std::size_t>(e)] * x[net.parent[static_cast<std::size_t>(e)]];
      h[i - first] = net.activation[i] == Activation::tanh ? std::tanh(pre) : pre;
    }
  }

  // Expanded record from a compact one (x_i = ξ_i h_i / q_i, δ_i = (ξ_i/q_i) φ'(pre_i), §7).
  // with_prediction = false skips the exact prediction (pass 2 does not read it).
  void expand(std::uint64_t config, const double* compact, double* rec, double* x, bool with_prediction = true) const {
    for (std::size_t k = 0; k < first; ++k) x[k] = ((config >> k) & 1ULL) ? 1.0 : -1.0;
    double* delta = rec + layout.width();
    for (std::size_t k = 0; k < first; ++k) delta[k] = 0.0;
    for (std::size_t i = first; i < n; ++i) {
      const double h = compact[i - first];
      double slope = 1.0;
      if (net.activation[i] == Activation::tanh) slope = 1.0 - h * h;
      const int slot = net.dropout_slot[i];
      if (slot < 0) {
        x[i] = h;
        delta[i] = slope;
      } else {
        const double scale = ((config >> (first + static_cast<std::size_t>(slot))) & 1ULL) ? inverse_q[i] : 0.0;
        x[i] = scale * h;
        delta[i] = scale * slope;
      }
    }
    x[n] = 1.0;
    for (std::size_t r = 0; r < layout.width(); ++r) rec[r] = x[layout.feature[r]];
    double* pred = delta + n;
    const double* residual = compact + (n - first);
    for (std::size_t k = 0; k < first; ++k) pred[k] = 0.0;
    if (!with_prediction) {
      // left as it was: pass 2 never reads the exact prediction
    } else if (table_has_prediction) {
      std::copy(residual + terminals, residual + terminals + (n - first), pred + first);
    } else {
      for (int c = net.input_count; c < net.node_count; ++c) pred[c] = predictor.predict(net, c, config, x);
    }
    std::copy(residual, residual + terminals, pred + n);
  }

  // Builds the compact table and checks, configuration by configuration, that
  // expanding it gives back the full record bit for bit (else no table is used).
  void build_table() {
    if (static_cast<double>(configs) * static_cast<double>(compact_stride) * sizeof(double) > kTableBudgetBytes)
      return;
    table.resize(static_cast<std::size_t>(configs) * compact_stride);
    std::atomic<bool> mismatch{false};
    constexpr std::uint64_t kChunk = 256;
    WorkControl cancel_only;  // honour cancel while building; progress counts the trials only
    if (options.control != nullptr) cancel_only.cancel = options.control->cancel;
    parallel_for(static_cast<std::size_t>((configs + kChunk - 1) / kChunk), options.threads, [&](std::size_t chunk) {
      std::vector<double> inputs(first + 1), x(n + 1), full(stride), again(stride);
      std::vector<unsigned char> kept(net.dropout_nodes.size() + 1);
      const std::uint64_t end = std::min<std::uint64_t>(configs, (chunk + 1) * kChunk);
      for (std::uint64_t c = chunk * kChunk; c < end; ++c) {
        fill_record(c, full.data(), inputs.data(), kept.data(), x.data());
        double* compact = &table[static_cast<std::size_t>(c) * compact_stride];
        activations(x.data(), compact);
        const double* pred = full.data() + layout.width() + n;
        std::copy(pred + n, pred + n + terminals, compact + (n - first));
        if (table_has_prediction) std::copy(pred + first, pred + n, compact + (n - first) + terminals);
        expand(c, compact, again.data(), x.data(), true);
        if (std::memcmp(full.data(), again.data(), stride * sizeof(double)) != 0) mismatch = true;
      }
    }, &cancel_only);
    if (mismatch) std::vector<double>().swap(table);
  }

  void build_groups() {
    group_base.assign(n, 0);
    std::size_t total = 0;
    for (std::size_t c = first; c < n; ++c) {
      group_base[c] = static_cast<std::uint32_t>(total);
      total += predictor.group_mean[c].size();
    }
    group_total = total;
    const std::size_t k = n - first;
    if (static_cast<double>(configs) * static_cast<double>(k) * 4.0 > kTableBudgetBytes) return;
    group_table.resize(static_cast<std::size_t>(configs) * k);
    for (std::size_t c = first; c < n; ++c) {
      const auto& group_of = predictor.group_of_configuration[c];
      for (std::uint64_t cfg = 0; cfg < configs; ++cfg)
        group_table[static_cast<std::size_t>(cfg) * k + (c - first)] = group_base[c] + group_of[cfg];
    }
  }

  std::uint32_t group(std::uint64_t config, std::size_t c) const {
    if (!group_table.empty()) return group_table[static_cast<std::size_t>(config) * (n - first) + (c - first)];
    return group_base[c] + predictor.group_of_configuration[c][config];
  }

  // Draws one outcome, consuming the trial's stream word for word like the
  // generic sampler: inputs (one word per 32), one word per dropout slot, signs
  // (one word per 32 noisy terminals). Returns the configuration index.
  std::uint32_t draw(rng::StreamReader& reader, std::uint32_t& sign_bits) const {
    std::uint64_t config = 0;
    std::uint32_t word = 0;
    const int inputs = net.input_count;
    for (int k = 0; k < inputs; k += 32) {
      word = reader.next_word();
      const int bits = std::min(32, inputs - k);
      const std::uint64_t mask = bits == 32 ? 0xFFFFFFFFULL : ((1ULL << bits) - 1);
      config |= (static_cast<std::uint64_t>(word) & mask) << k;
    }
    for (std::size_t j = 0; j < thresholds.size(); ++j)
      if (reader.next_word() < thresholds[j]) config |= 1ULL << (static_cast<std::size_t>(inputs) + j);
    sign_bits = 0;
    const std::size_t noisy = net.noisy_terminals.size();
    for (std::size_t k = 0; k < noisy; k += 32) {
      word = reader.next_word();
      if (k == 0) sign_bits = word;  // at most 22 sign bits in exact mode: only the first word matters
    }
    return static_cast<std::uint32_t>(config);
  }

  // Backpropagation (eq 4) from a record: same operations, in the same order, as dag_backprop.
  // terminals_only: just g_t and m_t, all that SG propagation reads of BP (pass 2).
  void backprop(const double* rec, std::uint32_t sign_bits, double* g, double* m, bool terminals_only = false) const {
    const double* delta = rec + layout.width();
    const double* residual = delta + n + n;
    for (std::size_t t = 0; t < terminals; ++t) {
      const int node = net.terminals[t];
      const double sigma = net.sigma[t];
      double feedback = residual[t];
      if (sigma > 0.0) {
        const int bit = noisy_bit[t];
        const double sign = bit >= 0 ? (((sign_bits >> bit) & 1u) ? 1.0 : -1.0) : 0.0;
        feedback += sigma * sign;  // g_t = x_t − y_t + σ_t ε_t (§7)
      }
      g[node] = feedback;
      m[node] = delta[node] * feedback;
    }
    if (terminals_only) return;
    const std::size_t first_terminal = n - terminals;
    for (std::size_t i = first_terminal; i-- > first;) {
      double sum = 0.0;
      for (int k = net.child_begin[i]; k < net.child_begin[i + 1]; ++k)
        sum += child_weight[static_cast<std::size_t>(k)] * m[child_node[static_cast<std::size_t>(k)]];
      g[i] = sum;
      m[i] = delta[i] * sum;
    }
  }

  // SG propagation (eq 5, λ_{i,c} = λ_i): the operations of dag_synthetic_backprop
  // in the same order, with δ_c g̃_c formed once per child (the same product it
  // forms per edge). Writes a and b of eq 16; terminals: a = b = m.
  void synthetic(const double* delta, const double* g, const double* m, const double* prediction, double* a,
                 double* b, double* child_pre_gradient) const {
    const std::size_t first_terminal = n - terminals;
    for (std::size_t t = first_terminal; t < n; ++t) {
      a[t] = m[t];
      b[t] = m[t];
      child_pre_gradient[t] = delta[t] * g[t];  // g̃_t = g_t
    }
    for (std::size_t i = first_terminal; i-- > first;) {
      double propagated = 0.0;  // Σ_c J_{c,i} g̃_c
      double synthetic = 0.0;   // Σ_c s_{c→i}(o_c)
      for (int k = net.child_begin[i]; k < net.child_begin[i + 1]; ++k) {
        const auto c = static_cast<std::size_t>(child_node[static_cast<std::size_t>(k)]);
        const double w = child_weight[static_cast<std::size_t>(k)];
        propagated += w * child_pre_gradient[c];
        synthetic += w * prediction[c];
      }
      const double l = net.lambda[i];
      const double g_tilde = (1.0 - l) * propagated + l * synthetic;
      a[i] = delta[i] * propagated;
      b[i] = delta[i] * synthetic;
      child_pre_gradient[i] = delta[i] * g_tilde;
    }
  }

  // Σ scalar_i [x_pa(i), 1] over the flat feature layout (eq 6).
  void add_gradient(double* sum, const double* features, const double* scalar) const {
    for (std::size_t i = first; i < n; ++i) {
      const std::size_t begin = layout.offsets[i];
      add_scaled(sum + begin, scalar[i], features + begin, layout.offsets[i + 1] - begin);
    }
  }

  // ((1 − λ_i) a_i + λ_i b_i) (eq 16); terminals have λ = 0.
  void mix(const double* a, const double* b, double* mixed) const {
    for (std::size_t i = first; i < n; ++i) mixed[i] = (1.0 - lambda[i]) * a[i] + lambda[i] * b[i];
  }

  struct Scratch {
    explicit Scratch(std::size_t nodes, std::size_t stride)
        : g(nodes, 0.0), m(nodes, 0.0), g_tilde(nodes, 0.0), a(nodes, 0.0), b(nodes, 0.0), mixed(nodes, 0.0),
          prediction(nodes, 0.0), record(stride, 0.0), inputs(nodes + 1, 0.0), x(nodes + 1, 0.0), kept(nodes + 1, 0) {}
    std::vector<double> g, m, g_tilde, a, b, mixed, prediction, record, inputs, x;
    std::vector<unsigned char> kept;
  };

  const double* record(std::uint64_t config, Scratch& w, bool with_prediction = true) const {
    if (!table.empty()) {
      expand(config, &table[static_cast<std::size_t>(config) * compact_stride], w.record.data(), w.x.data(),
             with_prediction);
      return w.record.data();
    }
    fill_record(config, w.record.data(), w.inputs.data(), w.kept.data(), w.x.data());
    return w.record.data();
  }

  void prefetch(std::uint64_t config) const {
    if (table.empty()) return;
    const char* p = reinterpret_cast<const char*>(&table[static_cast<std::size_t>(config) * compact_stride]);
    for (std::size_t off = 0; off < compact_stride * sizeof(double); off += 64) __builtin_prefetch(p + off);
  }

  TrialMeans run_trial(std::uint64_t trial) const {
    const auto samples = static_cast<std::size_t>(options.samples_per_trial);
    const std::uint64_t stream = rng::make_stream(kDagSampleStream, {trial + options.stream_offset});
    rng::StreamReader reader(net.seed, stream);
    std::vector<std::uint32_t> config(samples), signs(samples);
    for (std::size_t s = 0; s < samples; ++s) config[s] = draw(reader, signs[s]);

    Scratch w(n, stride);
    TrialMeans sums;
    const std::size_t width = layout.width();
    sums.bp.assign(width, 0.0);
    sums.sg_exact.assign(width, 0.0);
    const bool learned = options.learned;
    const bool table_kind = learned_kind == PredictorKind::learned_table;
    // Learned table: running sums and counts per observation group (thread-local, zero between trials).
    // Sum of m_c at 2 id, count at 2 id + 1: one cache line per look-up.
    std::vector<double>& group_acc = thread_group_acc();
    std::vector<double> gram, rhs, beta;
    if (learned) {
      sums.sg_learned.assign(width, 0.0);
      if (table_kind) {
        if (group_acc.size() < 2 * group_total) {
          group_acc.assign(2 * group_total, 0.0);
        }
      } else {
        gram.assign(gram_offset.back(), 0.0);
        rhs.assign(rhs_offset.back(), 0.0);
        beta.assign(rhs_offset.back(), 0.0);
      }
    }
    // Pass 1: BP, SG with the exact predictor, and the learned predictor's data.
    for (std::size_t s = 0; s < samples; ++s) {
      if (s + kPrefetchDistance < samples) prefetch(config[s + kPrefetchDistance]);
      const double* rec = record(config[s], w);
      const double* x = rec;  // features
      const double* delta = rec + layout.width();
      const double* pred = delta + n;
      backprop(rec, signs[s], w.g.data(), w.m.data());
      add_gradient(sums.bp.data(), x, w.m.data());
      synthetic(delta, w.g.data(), w.m.data(), pred, w.a.data(), w.b.data(), w.g_tilde.data());
      mix(w.a.data(), w.b.data(), w.mixed.data());
      add_gradient(sums.sg_exact.data(), x, w.mixed.data());
      if (!learned) continue;
      if (table_kind) {
        for (std::size_t c = first; c < n; ++c) {
          const std::uint32_t id = group(config[s], c);
          group_acc[2 * std::size_t{id}] += w.m[c];
          group_acc[2 * std::size_t{id} + 1] += 1.0;
        }
      } else {
        observe_linear(x, w.m.data(), gram.data(), rhs.data());
      }
    }
    if (learned) {
      if (!table_kind) fit_linear(gram, rhs, beta);
      // Pass 2: the same samples, SG with the learned predictor.
      for (std::size_t s = 0; s < samples; ++s) {
        if (s + kPrefetchDistance < samples) prefetch(config[s + kPrefetchDistance]);
        const double* rec = record(config[s], w, false);
        const double* x = rec;  // features
        const double* delta = rec + layout.width();
        backprop(rec, signs[s], w.g.data(), w.m.data(), true);
        if (table_kind) {
          for (std::size_t c = first; c < n; ++c) {
            const std::uint32_t id = group(config[s], c);
            w.prediction[c] = group_acc[2 * std::size_t{id}] / group_acc[2 * std::size_t{id} + 1];
          }
        } else {
          predict_linear(x, beta.data(), w.prediction.data());
        }
        synthetic(delta, w.g.data(), w.m.data(), w.prediction.data(), w.a.data(), w.b.data(), w.g_tilde.data());
        mix(w.a.data(), w.b.data(), w.mixed.data());
        add_gradient(sums.sg_learned.data(), x, w.mixed.data());
      }
      if (table_kind) reset_groups(config, samples);
    }
    const double inv = 1.0 / static_cast<double>(options.samples_per_trial);
    for (auto* v : {&sums.bp, &sums.sg_learned, &sums.sg_exact})
      for (double& value : *v) value *= inv;
    return sums;
  }

  // Zeroes the groups this trial touched (cheaper than clearing every group when there are many).
  void reset_groups(const std::vector<std::uint32_t>& config, std::size_t samples) const {
    auto& group_acc = thread_group_acc();
    if (group_total <= samples * (n - first)) {
      std::fill(group_acc.begin(), group_acc.end(), 0.0);
      return;
    }
    for (std::size_t s = 0; s < samples; ++s)
      for (std::size_t c = first; c < n; ++c) {
        const std::uint32_t id = group(config[s], c);
        group_acc[2 * std::size_t{id}] = 0.0;
        group_acc[2 * std::size_t{id} + 1] = 0.0;
      }
  }

  // Least squares data of m_c on f = [o_c, 1]: Σ f fᵀ (lower part) and Σ f m_c.
  void observe_linear(const double* features, const double* m, double* gram, double* rhs) const {
    for (std::size_t c = first; c < n; ++c) {
      const std::size_t begin = layout.offsets[c];
      add_normal_equations(gram + gram_offset[c], rhs + rhs_offset[c], features + begin, m[c],
                           layout.offsets[c + 1] - begin);
    }
  }

  // Minimum-norm least-squares solution when o_c is collinear (THEORY.md §7, learned).
  void fit_linear(const std::vector<double>& gram, const std::vector<double>& rhs, std::vector<double>& beta) const {
    for (std::size_t c = first; c < n; ++c) {
      const auto k = static_cast<Eigen::Index>(layout.offsets[c + 1] - layout.offsets[c]);
      Eigen::MatrixXd lower = Eigen::MatrixXd::Zero(k, k);
      Eigen::VectorXd b(k);
      const double* g = &gram[gram_offset[c]];
      for (Eigen::Index i = 0; i < k; ++i) {
        b[i] = rhs[rhs_offset[c] + static_cast<std::size_t>(i)];
        for (Eigen::Index q = 0; q <= i; ++q) lower(i, q) = *g++;
      }
      Eigen::MatrixXd full = lower.selfadjointView<Eigen::Lower>();
      const Eigen::VectorXd solution = full.completeOrthogonalDecomposition().solve(b);
      for (Eigen::Index i = 0; i < k; ++i) beta[rhs_offset[c] + static_cast<std::size_t>(i)] = solution[i];
    }
  }

  void predict_linear(const double* features, const double* beta, double* prediction) const {
    for (std::size_t c = first; c < n; ++c) {
      const std::size_t begin = layout.offsets[c];
      const std::size_t k = layout.offsets[c + 1] - begin;
      const double* f = features + begin;
      const double* bc = beta + rhs_offset[c];
      double s = 0.0;
      for (std::size_t i = 0; i < k; ++i) s += bc[i] * f[i];
      prediction[c] = s;
    }
  }

  static std::vector<double>& thread_group_acc() {
    thread_local std::vector<double> values;
    return values;
  }
};

FastSampleRunner::FastSampleRunner(const DagNetwork& net, const DagSampleOptions& options,
                                   const DagExactPredictor& predictor, const FeatureLayout& layout)
    : impl_(std::make_unique<Impl>(net, options, predictor, layout)) {}

FastSampleRunner::~FastSampleRunner() = default;

TrialMeans FastSampleRunner::run_trial(std::uint64_t trial) const { return impl_->run_trial(trial); }

}  // namespace sglab::dag::detail
