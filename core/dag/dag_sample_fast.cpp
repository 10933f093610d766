#include "core/dag/dag_sample_fast.hpp"

// Contents (one class, FastSampleRunner::Impl, in the order a run uses it;
// 950 lines, to be split along these lines):
//   1. the compact per-configuration table: compute() from scratch (THEORY.md
//      §7), expand(), build_table() and the check that records are exact;
//   2. feature groups (dag_feature_bits.hpp): plan_feature_groups(),
//      group_ids(), build_groups();
//   3. one trial: draw() (the trial's stream), sort_by_configuration, then
//      run_trial() = first_pass -> reduce -> fit_linear -> second_pass;
//   4. blocks of kBlock samples in configuration order, node-major:
//      load_block(), backprop_block(), synthetic_block(), learned_predictions();
//   5. per-group sums and their fixed-order reductions (reduce_*_pass), so the
//      bytes do not depend on the thread count.

#include <Eigen/Core>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>

#include "core/dag/dag_feature_bits.hpp"
#include "core/dag/dag_outcome_space.hpp"
#include "core/dag/dag_propagation.hpp"
#include "core/rng/counter_rng.hpp"
#include "core/stats/least_squares.hpp"
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
// Nodes whose features depend on more configuration bits are summed per sample.
constexpr int kMaxGroupBits = 16;
// At most this many feature groups over all nodes (per-thread sums of 40 bytes
// each, 40 MB): nodes beyond it, in node order, are summed per sample.
constexpr std::size_t kMaxGroupsTotal = std::size_t{1} << 20;

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

// Least-squares Gram sums of one node: packed lower g(i, q) += weight (f[i] f[q]).
template <int K>
inline void add_gram_fixed(double* g, const double* f, double weight) {
  for (int i = 0; i < K; ++i) {
    const double fi = f[i];
    for (int q = 0; q <= i; ++q) *g++ += weight * (fi * f[q]);
  }
}

inline void add_gram(double* g, const double* f, double weight, std::size_t k) {
  switch (k) {
    case 2: add_gram_fixed<2>(g, f, weight); return;
    case 3: add_gram_fixed<3>(g, f, weight); return;
    case 4: add_gram_fixed<4>(g, f, weight); return;
    case 5: add_gram_fixed<5>(g, f, weight); return;
    case 6: add_gram_fixed<6>(g, f, weight); return;
    default:
      for (std::size_t i = 0; i < k; ++i) {
        const double fi = f[i];
        for (std::size_t q = 0; q <= i; ++q) *g++ += weight * (fi * f[q]);
      }
  }
}

inline bool same_bits(double a, double b) {
  std::uint64_t ua = 0, ub = 0;
  std::memcpy(&ua, &a, sizeof a);
  std::memcpy(&ub, &b, sizeof b);
  return ua == ub;
}

// Sorts a trial's draws by configuration: LSD radix sort, 11 bits per pass,
// stable (equal configurations keep their draw order), so the order depends on
// the draws only. Key: configuration << 32 | sign bits.
void sort_by_configuration(std::vector<std::uint64_t>& keys, std::vector<std::uint64_t>& scratch,
                           int configuration_bits) {
  constexpr int kDigitBits = 11;
  constexpr std::size_t kBuckets = std::size_t{1} << kDigitBits;
  std::vector<std::size_t> start(kBuckets);
  scratch.resize(keys.size());
  for (int shift = 32; shift < 32 + configuration_bits; shift += kDigitBits) {
    std::fill(start.begin(), start.end(), 0);
    for (const std::uint64_t key : keys) ++start[(key >> shift) & (kBuckets - 1)];
    std::size_t total = 0;
    for (std::size_t& slot : start) {
      const std::size_t here = slot;
      slot = total;
      total += here;
    }
    for (const std::uint64_t key : keys) scratch[start[(key >> shift) & (kBuckets - 1)]++] = key;
    keys.swap(scratch);
  }
}

}  // namespace

struct FastSampleRunner::Impl {
  const DagNetwork& net;
  const DagSampleOptions& options;
  const DagExactPredictor& predictor;
  const FeatureLayout& layout;
  std::size_t n = 0, first = 0, terminals = 0;
  std::uint64_t configs = 0;
  int configuration_bits = 0;
  std::vector<std::uint64_t> thresholds;  // Bernoulli thresholds of the dropout slots
  std::vector<int> noisy_bit;             // per terminal index: bit of its sign, or -1
  std::vector<int> child_node;            // children of every node, flat (DagNetwork::child order)
  std::vector<double> child_weight;       // w_ci of each of those edges
  std::vector<double> lambda;             // λ_i as the SG sums use it (terminals: 0)
  std::vector<unsigned char> lambda_one;  // λ_i = 1: g̃_i = Σ_c s_{c→i} and the SG mix is b_i alone
  // Compact record per configuration (what a sample reads; random access over
  // all configurations was the cost, so it is small): h_i = φ_i(pre_i) of every
  // non-input node, the terminal residuals x_t − y_t, and the synthetic part of
  // eq 5 with the exact predictor, Σ_c w_ci p_c (a function of the configuration
  // only; 0 for terminals). x and δ follow from h, the input bits and the mask
  // bits exactly as dag_forward computes them (§7); the build checks it.
  std::vector<double> table;
  std::size_t compact_stride = 0;
  std::vector<double> inverse_q;  // 1/q_i per node, as dag_forward computes it
  std::vector<unsigned char> is_tanh;  // per node: φ_i = tanh
  std::vector<int> keep_bit;           // per node: configuration bit of its mask ξ_i, or -1
  PredictorKind learned_kind = PredictorKind::learned_table;
  // Learned table: per configuration, the group of o_c for every non-input node,
  // numbered across nodes (group_base[c] + group of the exact analysis).
  std::vector<std::uint32_t> group_table;
  std::vector<std::uint32_t> group_base;
  std::size_t group_total = 0;
  // Learned least squares: packed lower Gram matrix per node (the right-hand
  // side Σ f m_c is the BP sum itself).
  std::vector<std::size_t> gram_offset;
  // Feature groups (dag_feature_bits.hpp): nodes whose f_i depends on at most
  // log2(n) configuration bits are summed per group; the others per sample.
  struct FeatureGroups {
    std::size_t node = 0, k = 0, count = 0;   // k = |f_i|, count = 2^bits
    std::uint64_t mask = 0;                   // configuration bits f_i depends on
    std::size_t first_byte = 0, end_byte = 0; // the bytes of the configuration index holding them
    std::size_t first_sum = 0;                // its groups in the per-thread sums
    std::size_t first_feature = 0;            // f_i of group g at group_features[first_feature + g k]
  };
  std::vector<FeatureGroups> grouped;
  std::vector<std::size_t> direct_nodes;      // non-input nodes summed per sample
  std::vector<double> group_features;
  std::vector<std::uint32_t> group_lut;       // [(j · bytes + byte) · 256 + value]: bits of node j's group id
  std::size_t configuration_bytes = 0, group_sum_total = 0;

  Impl(const DagNetwork& network, const DagSampleOptions& opts, const DagExactPredictor& pred,
       const FeatureLayout& lay)
      : net(network), options(opts), predictor(pred), layout(lay) {
    n = static_cast<std::size_t>(net.node_count);
    first = static_cast<std::size_t>(net.input_count);
    terminals = net.terminals.size();
    compact_stride = (n - first) + terminals + (n - first);
    inverse_q.assign(n, 1.0);
    for (std::size_t c = 0; c < n; ++c) inverse_q[c] = 1.0 / net.keep_q[c];
    is_tanh.assign(n, 0);
    keep_bit.assign(n, -1);
    for (std::size_t c = first; c < n; ++c) {
      is_tanh[c] = net.activation[c] == Activation::tanh;
      if (net.dropout_slot[c] >= 0) keep_bit[c] = net.input_count + net.dropout_slot[c];
    }
    const DagOutcomeSpace space = dag_outcome_space(net);
    configs = space.configuration_count();
    configuration_bits = space.input_bits + space.mask_bits;
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
    lambda_one.assign(n, 0);
    for (int i = net.input_count; i < net.node_count; ++i)
      lambda_one[static_cast<std::size_t>(i)] = !net.is_terminal(i) && net.lambda[static_cast<std::size_t>(i)] == 1.0;
    learned_kind = learned_predictor_kind(net.predictor);
    const bool fits = static_cast<double>(configs) * static_cast<double>(compact_stride) * sizeof(double) <=
                      kTableBudgetBytes;
    if (fits) plan_feature_groups();
    if (fits) build_table();
    if (table.empty()) plan_direct_only();
    if (options.learned && learned_kind == PredictorKind::learned_table) build_groups();
    if (options.learned && learned_kind == PredictorKind::learned_linear) {
      gram_offset.assign(n + 1, 0);
      for (std::size_t c = 0; c < n; ++c) {
        const std::size_t k = layout.offsets[c + 1] - layout.offsets[c];
        gram_offset[c + 1] = gram_offset[c] + k * (k + 1) / 2;
      }
    }
  }

  // One configuration computed from scratch (compute(), the table build, no-table blocks).
  struct Scratch {
    Scratch(std::size_t nodes, std::size_t groups)
        : inputs(nodes + 1, 0.0), x(nodes + 1, 0.0), delta(nodes, 0.0), exact_prediction(nodes, 0.0),
          exact_synthetic(nodes, 0.0), residual(nodes, 0.0), ids(groups + 1, 0), kept(nodes + 1, 0) {}
    std::vector<double> inputs, x, delta, exact_prediction, exact_synthetic, residual;
    std::vector<std::uint32_t> ids;
    std::vector<unsigned char> kept;
  };

  // What a sample reads of its configuration. synthetic (Σ_c w_ci p_c of the
  // exact predictor) is indexed by i − first, residual by terminal index.
  struct View {
    const double* x;  // n + 1 values, x[n] = 1 (the constant feature)
    const double* delta;
    const double* synthetic;
    const double* residual;
  };

  // One configuration from scratch (THEORY.md §7): forward pass (eq 3), exact
  // predictor (eq 13 or best-linear), terminal residual of ℓ = ½ Σ (x_t − y_t)².
  View compute(std::uint64_t config, Scratch& w) const {
    decode_configuration(net, config, w.inputs.data(), w.kept.data());
    dag_forward(net, w.inputs.data(), w.kept.data(), w.x.data(), w.delta.data());
    w.x[n] = 1.0;
    for (int c = net.input_count; c < net.node_count; ++c)
      w.exact_prediction[static_cast<std::size_t>(c) - first] = predictor.predict(net, c, config, w.x.data());
    synthetic_sums(w.exact_prediction.data(), w.exact_synthetic.data());
    for (std::size_t t = 0; t < terminals; ++t)
      w.residual[t] = w.x[static_cast<std::size_t>(net.terminals[t])] -
                      dag_teacher_target(net, static_cast<int>(t), w.x.data());
    return {w.x.data(), w.delta.data(), w.exact_synthetic.data(), w.residual.data()};
  }

  // x and δ from a compact record: x_i = ξ_i h_i / q_i, δ_i = (ξ_i/q_i) φ'(pre_i) (§7).
  void expand(std::uint64_t config, const double* compact, double* x, double* delta) const {
    for (std::size_t k = 0; k < first; ++k) {
      x[k] = ((config >> k) & 1ULL) ? 1.0 : -1.0;
      delta[k] = 0.0;
    }
    const unsigned char* tanh_node = is_tanh.data();
    const int* keep = keep_bit.data();
    const double* inv_q = inverse_q.data();
    for (std::size_t i = first; i < n; ++i) {
      const double h = compact[i - first];
      const double slope = tanh_node[i] ? 1.0 - h * h : 1.0;
      if (keep[i] < 0) {
        x[i] = h;
        delta[i] = slope;
      } else {
        const double scale = ((config >> keep[i]) & 1ULL) ? inv_q[i] : 0.0;
        x[i] = scale * h;
        delta[i] = scale * slope;
      }
    }
    x[n] = 1.0;
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

  // f_i = [x_pa(i), 1] of node i from the node values (eq 6).
  const double* gather_features(std::size_t i, const double* x, double* f) const {
    const std::size_t begin = layout.offsets[i], k = layout.offsets[i + 1] - begin;
    for (std::size_t r = 0; r < k; ++r) f[r] = x[layout.feature[begin + r]];
    return f;
  }

  // Feature groups of the nodes whose f_i depends on at most log2(n) (and 16)
  // configuration bits: f_i of every group, from the configuration with those
  // bits and zeros elsewhere; build_table checks every configuration against it.
  void plan_feature_groups() {
    const std::vector<std::uint64_t> masks = dag_feature_bit_masks(net);
    Scratch w(n, 0);
    for (std::size_t i = first; i < n; ++i) {
      const int bits = __builtin_popcountll(masks[i]);
      if (bits > kMaxGroupBits || (std::uint64_t{1} << bits) > options.samples_per_trial ||
          group_sum_total + (std::size_t{1} << bits) > kMaxGroupsTotal) {
        direct_nodes.push_back(i);
        continue;
      }
      FeatureGroups fg;
      fg.node = i;
      fg.k = layout.offsets[i + 1] - layout.offsets[i];
      fg.count = std::size_t{1} << bits;
      fg.mask = masks[i];
      fg.first_sum = group_sum_total;
      fg.first_feature = group_features.size();
      group_sum_total += fg.count;
      group_features.resize(group_features.size() + fg.count * fg.k);
      for (std::size_t g = 0; g < fg.count; ++g) {
        const View v = compute(deposit_bits(g, fg.mask), w);
        gather_features(i, v.x, &group_features[fg.first_feature + g * fg.k]);
      }
      grouped.push_back(fg);
    }
    configuration_bytes = static_cast<std::size_t>((configuration_bits + 7) / 8);
    configuration_bytes = std::max<std::size_t>(configuration_bytes, 1);
    for (FeatureGroups& fg : grouped) {
      fg.first_byte = fg.mask == 0 ? 0 : static_cast<std::size_t>(__builtin_ctzll(fg.mask)) / 8;
      fg.end_byte = fg.mask == 0 ? 1 : static_cast<std::size_t>(63 - __builtin_clzll(fg.mask)) / 8 + 1;
    }
    group_lut.assign(configuration_bytes * 256 * grouped.size(), 0);
    for (std::size_t j = 0; j < grouped.size(); ++j)
      for (std::size_t byte = 0; byte < configuration_bytes; ++byte)
        for (std::uint64_t value = 0; value < 256; ++value)
          group_lut[(j * configuration_bytes + byte) * 256 + value] =
              static_cast<std::uint32_t>(extract_bits(value << (8 * byte), grouped[j].mask));
  }

  void plan_direct_only() {
    grouped.clear();
    group_features.clear();
    group_lut.clear();
    group_sum_total = 0;
    direct_nodes.clear();
    for (std::size_t i = first; i < n; ++i) direct_nodes.push_back(i);
  }

  // The feature group of every grouped node for one configuration (PEXT by byte look-ups).
  void group_ids(std::uint64_t config, std::uint32_t* ids) const {
    for (std::size_t j = 0; j < grouped.size(); ++j) {
      const std::uint32_t* lut = &group_lut[j * configuration_bytes * 256];
      std::uint32_t id = 0;
      for (std::size_t byte = grouped[j].first_byte; byte < grouped[j].end_byte; ++byte)
        id |= lut[byte * 256 + ((config >> (8 * byte)) & 255)];
      ids[j] = id;
    }
  }

  // Builds the compact table and checks, configuration by configuration, that
  // expanding it gives back dag_forward's x and δ bit for bit (else no table is
  // used), and that every grouped node's f_i is its group's (else no groups).
  void build_table() {
    table.resize(static_cast<std::size_t>(configs) * compact_stride);
    std::atomic<bool> mismatch{false}, group_mismatch{false};
    constexpr std::uint64_t kChunk = 256;
    WorkControl cancel_only;  // honour cancel while building; progress counts the trials only
    if (options.control != nullptr) cancel_only.cancel = options.control->cancel;
    parallel_for(static_cast<std::size_t>((configs + kChunk - 1) / kChunk), options.threads, [&](std::size_t chunk) {
      Scratch w(n, grouped.size());
      std::vector<double> x(n + 1), delta(n);
      const std::uint64_t end = std::min<std::uint64_t>(configs, (chunk + 1) * kChunk);
      bool groups_differ = false;
      for (std::uint64_t c = chunk * kChunk; c < end; ++c) {
        const View v = compute(c, w);
        double* compact = &table[static_cast<std::size_t>(c) * compact_stride];
        activations(v.x, compact);
        std::copy(v.residual, v.residual + terminals, compact + (n - first));
        std::copy(v.synthetic, v.synthetic + (n - first), compact + (n - first) + terminals);
        expand(c, compact, x.data(), delta.data());
        if (std::memcmp(v.x, x.data(), (n + 1) * sizeof(double)) != 0 ||
            std::memcmp(v.delta, delta.data(), n * sizeof(double)) != 0)
          mismatch = true;
        group_ids(c, w.ids.data());
        for (std::size_t j = 0; j < grouped.size(); ++j) {
          const FeatureGroups& fg = grouped[j];
          const double* want = &group_features[fg.first_feature + w.ids[j] * fg.k];
          const int* feature = &layout.feature[layout.offsets[fg.node]];
          for (std::size_t r = 0; r < fg.k; ++r) groups_differ |= !same_bits(x[static_cast<std::size_t>(feature[r])], want[r]);
        }
      }
      if (groups_differ) group_mismatch = true;
    }, &cancel_only);
    if (mismatch) std::vector<double>().swap(table);
    if (group_mismatch) plan_direct_only();
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

  // Σ_c w_ci p_c (the synthetic part of eq 5, s_{c→i} = w_ci p_c, eq 13) of every
  // non-terminal node, children in order as dag_synthetic_backprop sums them;
  // p and the result are indexed by node − first (terminals: 0).
  void synthetic_sums(const double* prediction, double* synthetic) const {
    const std::size_t first_terminal = n - terminals;
    for (std::size_t i = first; i < first_terminal; ++i) {
      double sum = 0.0;
      for (int k = net.child_begin[i]; k < net.child_begin[i + 1]; ++k)
        sum += child_weight[static_cast<std::size_t>(k)] *
               prediction[static_cast<std::size_t>(child_node[static_cast<std::size_t>(k)]) - first];
      synthetic[i - first] = sum;
    }
    for (std::size_t t = first_terminal; t < n; ++t) synthetic[t - first] = 0.0;
  }

  // Per feature group and thread: Σ m_i, Σ mixed (exact SG), Σ mixed (learned
  // SG), the sample count, and the learned least-squares prediction at f_i.
  struct GroupSums {
    double m, mixed_exact, mixed_learned, count, prediction;
  };

  static std::vector<GroupSums>& thread_group_sums() {
    thread_local std::vector<GroupSums> sums;
    return sums;
  }
  static std::vector<double>& thread_group_acc() {
    thread_local std::vector<double> values;
    return values;
  }

  struct Trial {
    std::vector<std::uint64_t> keys;  // configuration << 32 | sign bits, sorted by configuration
    TrialMeans sums;
    std::vector<double> gram, beta;
  };

  TrialMeans run_trial(std::uint64_t trial) const {
    const auto samples = static_cast<std::size_t>(options.samples_per_trial);
    const std::uint64_t stream = rng::make_stream(kDagSampleStream, {trial + options.stream_offset});
    rng::StreamReader reader(net.seed, stream);
    Trial t;
    t.keys.resize(samples);
    for (std::size_t s = 0; s < samples; ++s) {
      std::uint32_t signs = 0;
      const std::uint32_t config = draw(reader, signs);
      t.keys[s] = (std::uint64_t{config} << 32) | signs;
    }
    std::vector<std::uint64_t> scratch;
    sort_by_configuration(t.keys, scratch, configuration_bits);

    const std::size_t width = layout.width();
    t.sums.bp.assign(width, 0.0);
    t.sums.sg_exact.assign(width, 0.0);
    std::vector<GroupSums>& group_sums = thread_group_sums();
    group_sums.assign(group_sum_total, GroupSums{0.0, 0.0, 0.0, 0.0, 0.0});
    const bool learned = options.learned;
    const bool table_kind = learned_kind == PredictorKind::learned_table;
    if (learned) {
      t.sums.sg_learned.assign(width, 0.0);
      if (table_kind) {
        // Sum of m_c at 2 id, count at 2 id + 1: one cache line per look-up; zero between trials.
        std::vector<double>& group_acc = thread_group_acc();
        if (group_acc.size() < 2 * group_total) group_acc.assign(2 * group_total, 0.0);
      } else {
        t.gram.assign(gram_offset.back(), 0.0);
        t.beta.assign(layout.width(), 0.0);
      }
    }
    Scratch w(n, grouped.size());
    Block blk(n, grouped.size());
    first_pass(t, w, blk);
    reduce_first_pass(t);
    if (learned) {
      if (!table_kind) {
        fit_linear(t.gram, t.sums.bp, t.beta);  // Σ f m_c is the BP sum (same products, same order)
        predict_groups(t.beta);
      }
      second_pass(t, w, blk);
      reduce_second_pass(t);
      if (table_kind) reset_groups(t.keys);
    }
    const double inv = 1.0 / static_cast<double>(options.samples_per_trial);
    for (auto* v : {&t.sums.bp, &t.sums.sg_learned, &t.sums.sg_exact})
      for (double& value : *v) value *= inv;
    return std::move(t.sums);
  }

  // A block of samples (consecutive in configuration order), node-major: row r
  // of a table holds node r's values for the block's samples. Every per-sample
  // value is computed with the operations of dag_backprop / dag_synthetic_backprop
  // in the same order (δ_c g̃_c formed once per child: the same product they form
  // per edge); only the loops are turned inside out (node outside, sample
  // inside) so they vectorise.
  static constexpr std::size_t kBlock = 64;
  struct Block {
    Block(std::size_t nodes, std::size_t grouped_nodes)
        : x((nodes + 1) * kBlock, 1.0), delta(nodes * kBlock, 0.0), synthetic(nodes * kBlock, 0.0),
          residual(nodes * kBlock, 0.0), g(nodes * kBlock, 0.0), m(nodes * kBlock, 0.0), a(nodes * kBlock, 0.0),
          b(nodes * kBlock, 0.0), pre_gradient(nodes * kBlock, 0.0), mixed(nodes * kBlock, 0.0),
          prediction(nodes * kBlock, 0.0), work(kBlock, 0.0), ids(grouped_nodes * kBlock + 1, 0) {}
    std::size_t count = 0;
    std::uint32_t config[kBlock] = {};
    std::uint32_t signs[kBlock] = {};
    // x has a last row of ones (the constant feature); residual is per terminal index.
    std::vector<double> x, delta, synthetic, residual, g, m, a, b, pre_gradient, mixed, prediction, work;
    std::vector<std::uint32_t> ids;  // feature group of grouped node j at ids[j · kBlock + s]
  };
  static double* row(std::vector<double>& table, std::size_t r) { return table.data() + r * kBlock; }

  // Σ_s a_s b_s over a block, in four interleaved partial sums (a fixed order).
  static double block_dot(const double* a, const double* b, std::size_t count) {
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    std::size_t k = 0;
    for (; k + 4 <= count; k += 4) {
      s0 += a[k] * b[k];
      s1 += a[k + 1] * b[k + 1];
      s2 += a[k + 2] * b[k + 2];
      s3 += a[k + 3] * b[k + 3];
    }
    for (; k < count; ++k) s0 += a[k] * b[k];
    return (s0 + s1) + (s2 + s3);
  }

  // The block's x, δ, residuals, (pass 1) the exact synthetic sums, and feature groups.
  void load_block(const std::vector<std::uint64_t>& keys, std::size_t s0, Block& blk, Scratch& w,
                  bool exact_synthetic) const {
    const std::size_t count = std::min(kBlock, keys.size() - s0);
    blk.count = count;
    for (std::size_t s = 0; s < count; ++s) {
      blk.config[s] = static_cast<std::uint32_t>(keys[s0 + s] >> 32);
      blk.signs[s] = static_cast<std::uint32_t>(keys[s0 + s]);
    }
    const std::size_t first_terminal = n - terminals;
    if (table.empty()) {
      for (std::size_t s = 0; s < count; ++s) {
        const View v = compute(blk.config[s], w);
        for (std::size_t i = 0; i < n; ++i) {
          row(blk.x, i)[s] = v.x[i];
          row(blk.delta, i)[s] = v.delta[i];
        }
        for (std::size_t t = 0; t < terminals; ++t) row(blk.residual, t)[s] = v.residual[t];
        for (std::size_t i = first; i < n && exact_synthetic; ++i) row(blk.synthetic, i)[s] = v.synthetic[i - first];
      }
    } else {
      const double* record[kBlock];
      for (std::size_t s = 0; s < count; ++s) record[s] = &table[std::size_t{blk.config[s]} * compact_stride];
      prefetch_block(keys, s0 + kBlock);
      for (std::size_t k = 0; k < first; ++k) {
        double* xk = row(blk.x, k);
        for (std::size_t s = 0; s < count; ++s) xk[s] = ((blk.config[s] >> k) & 1u) ? 1.0 : -1.0;
      }
      // expand(): x_i = ξ_i h_i / q_i, δ_i = (ξ_i/q_i) φ'(pre_i), the same expressions.
      for (std::size_t i = first; i < n; ++i) {
        double* xi = row(blk.x, i);
        double* di = row(blk.delta, i);
        const bool tanh_node = is_tanh[i];
        const int keep = keep_bit[i];
        const double inv_q = inverse_q[i];
        for (std::size_t s = 0; s < count; ++s) {
          const double h = record[s][i - first];
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
      for (std::size_t t = 0; t < terminals; ++t) {
        double* rt = row(blk.residual, t);
        for (std::size_t s = 0; s < count; ++s) rt[s] = record[s][(n - first) + t];
      }
      if (exact_synthetic)
        for (std::size_t i = first; i < first_terminal; ++i) {
          double* si = row(blk.synthetic, i);
          for (std::size_t s = 0; s < count; ++s) si[s] = record[s][(n - first) + terminals + (i - first)];
        }
    }
    block_group_ids(blk);
  }

  void block_group_ids(Block& blk) const {
    for (std::size_t j = 0; j < grouped.size(); ++j) {
      std::uint32_t* id = &blk.ids[j * kBlock];
      const std::uint32_t* lut = &group_lut[j * configuration_bytes * 256];
      const std::size_t first_byte = grouped[j].first_byte;
      const std::uint32_t* low = lut + first_byte * 256;
      const auto low_shift = static_cast<unsigned>(8 * first_byte);
      for (std::size_t s = 0; s < blk.count; ++s) id[s] = low[(blk.config[s] >> low_shift) & 255u];
      for (std::size_t byte = first_byte + 1; byte < grouped[j].end_byte; ++byte) {
        const std::uint32_t* part = lut + byte * 256;
        const unsigned shift = static_cast<unsigned>(8 * byte);
        for (std::size_t s = 0; s < blk.count; ++s) id[s] |= part[(blk.config[s] >> shift) & 255u];
      }
    }
  }

  void prefetch_block(const std::vector<std::uint64_t>& keys, std::size_t s0) const {
    const std::size_t end = std::min(keys.size(), s0 + kBlock);
    for (std::size_t s = s0; s < end; ++s) {
      const char* p = reinterpret_cast<const char*>(&table[static_cast<std::size_t>(keys[s] >> 32) * compact_stride]);
      for (std::size_t off = 0; off < compact_stride * sizeof(double); off += 64) __builtin_prefetch(p + off);
    }
  }

  // Backpropagation (eq 4) for a block: g_t = x_t − y_t + σ_t ε_t (§7), m = δ g,
  // g_i = Σ_c w_ci m_c. terminals_only: just g_t and m_t, all SG reads of BP (pass 2).
  void backprop_block(Block& blk, bool terminals_only) const {
    const std::size_t count = blk.count;
    for (std::size_t t = 0; t < terminals; ++t) {
      const auto node = static_cast<std::size_t>(net.terminals[t]);
      const double sigma = net.sigma[t];
      const int bit = noisy_bit[t];
      const double* rt = row(blk.residual, t);
      const double* dt = row(blk.delta, node);
      double* gt = row(blk.g, node);
      double* mt = row(blk.m, node);
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
    const std::size_t first_terminal = n - terminals;
    for (std::size_t i = first_terminal; i-- > first;) {
      double* sum = row(blk.g, i);
      for (std::size_t s = 0; s < count; ++s) sum[s] = 0.0;
      for (int k = net.child_begin[i]; k < net.child_begin[i + 1]; ++k) {
        const double w = child_weight[static_cast<std::size_t>(k)];
        const double* mc = row(blk.m, static_cast<std::size_t>(child_node[static_cast<std::size_t>(k)]));
        for (std::size_t s = 0; s < count; ++s) sum[s] += w * mc[s];
      }
      const double* di = row(blk.delta, i);
      double* mi = row(blk.m, i);
      for (std::size_t s = 0; s < count; ++s) mi[s] = di[s] * sum[s];
    }
  }

  // SG propagation (eq 5, λ_{i,c} = λ_i) for a block, the synthetic sums Σ_c w_ci p_c
  // given in blk.synthetic: a and b of eq 16 (terminals: a = b = m), then the
  // mix (1 − λ_i) a_i + λ_i b_i (terminals: λ = 0). At λ_i = 1 the propagated sum
  // is skipped: g̃_i = 0 · Σ J g̃ + Σ s equals Σ s and the mix 0 · a_i + b_i
  // equals b_i (every sum is finite), so a_i is left 0 and no value changes.
  void synthetic_block(Block& blk) const {
    const std::size_t count = blk.count;
    const std::size_t first_terminal = n - terminals;
    for (std::size_t t = first_terminal; t < n; ++t) {
      const double* mt = row(blk.m, t);
      const double* dt = row(blk.delta, t);
      const double* gt = row(blk.g, t);
      double* at = row(blk.a, t);
      double* bt = row(blk.b, t);
      double* ct = row(blk.pre_gradient, t);
      for (std::size_t s = 0; s < count; ++s) {
        at[s] = mt[s];
        bt[s] = mt[s];
        ct[s] = dt[s] * gt[s];
      }
    }
    for (std::size_t i = first_terminal; i-- > first;) {
      const double* syn = row(blk.synthetic, i);
      const double* di = row(blk.delta, i);
      double* ai = row(blk.a, i);
      double* bi = row(blk.b, i);
      double* ci = row(blk.pre_gradient, i);
      if (lambda_one[i]) {
        for (std::size_t s = 0; s < count; ++s) {
          ai[s] = 0.0;
          bi[s] = di[s] * syn[s];
          ci[s] = di[s] * syn[s];
        }
        continue;
      }
      double* propagated = row(blk.work, 0);
      for (std::size_t s = 0; s < count; ++s) propagated[s] = 0.0;
      for (int k = net.child_begin[i]; k < net.child_begin[i + 1]; ++k) {
        const double w = child_weight[static_cast<std::size_t>(k)];
        const double* cc = row(blk.pre_gradient, static_cast<std::size_t>(child_node[static_cast<std::size_t>(k)]));
        for (std::size_t s = 0; s < count; ++s) propagated[s] += w * cc[s];
      }
      const double l = net.lambda[i];
      for (std::size_t s = 0; s < count; ++s) {
        const double g_tilde = (1.0 - l) * propagated[s] + l * syn[s];
        ai[s] = di[s] * propagated[s];
        bi[s] = di[s] * syn[s];
        ci[s] = di[s] * g_tilde;
      }
    }
    for (std::size_t i = first; i < n; ++i) {
      const double l = lambda[i];
      const double* ai = row(blk.a, i);
      const double* bi = row(blk.b, i);
      double* mi = row(blk.mixed, i);
      for (std::size_t s = 0; s < count; ++s) mi[s] = (1.0 - l) * ai[s] + l * bi[s];
    }
  }

  // Pass 1: BP, SG with the exact predictor, and the learned predictor's data.
  void first_pass(Trial& t, Scratch& w, Block& blk) const {
    const bool learned = options.learned;
    const bool table_kind = learned_kind == PredictorKind::learned_table;
    std::vector<GroupSums>& group_sums = thread_group_sums();
    std::vector<double>& group_acc = thread_group_acc();
    for (std::size_t s0 = 0; s0 < t.keys.size(); s0 += kBlock) {
      load_block(t.keys, s0, blk, w, true);
      backprop_block(blk, false);
      synthetic_block(blk);
      const std::size_t count = blk.count;
      for (std::size_t j = 0; j < grouped.size(); ++j) {
        const std::uint32_t* id = &blk.ids[j * kBlock];
        const double* mi = row(blk.m, grouped[j].node);
        const double* xi = row(blk.mixed, grouped[j].node);
        GroupSums* sums = &group_sums[grouped[j].first_sum];
        for (std::size_t s = 0; s < count; ++s) {
          GroupSums& sum = sums[id[s]];
          sum.m += mi[s];
          sum.mixed_exact += xi[s];
          sum.count += 1.0;
        }
      }
      for (const std::size_t i : direct_nodes) {
        const std::size_t begin = layout.offsets[i], k = layout.offsets[i + 1] - begin;
        const double* mi = row(blk.m, i);
        const double* xi = row(blk.mixed, i);
        for (std::size_t r = 0; r < k; ++r) {
          const double* f = row(blk.x, static_cast<std::size_t>(layout.feature[begin + r]));
          t.sums.bp[begin + r] += block_dot(mi, f, count);
          t.sums.sg_exact[begin + r] += block_dot(xi, f, count);
        }
        if (learned && !table_kind) {
          double* g = &t.gram[gram_offset[i]];
          for (std::size_t r = 0; r < k; ++r)
            for (std::size_t q = 0; q <= r; ++q)
              *g++ += block_dot(row(blk.x, static_cast<std::size_t>(layout.feature[begin + r])),
                                row(blk.x, static_cast<std::size_t>(layout.feature[begin + q])), count);
        }
      }
      if (learned && table_kind)
        for (std::size_t s = 0; s < count; ++s)
          for (std::size_t c = first; c < n; ++c) {
            const std::uint32_t id = group(blk.config[s], c);
            group_acc[2 * std::size_t{id}] += row(blk.m, c)[s];
            group_acc[2 * std::size_t{id} + 1] += 1.0;
          }
    }
  }

  // The learned predictor's value of m_c for every sample of the block, then its synthetic sums.
  void learned_predictions(const Trial& t, Block& blk) const {
    const std::size_t count = blk.count;
    if (learned_kind == PredictorKind::learned_table) {
      const std::vector<double>& group_acc = thread_group_acc();
      for (std::size_t s = 0; s < count; ++s)
        for (std::size_t c = first; c < n; ++c) {
          const std::uint32_t id = group(blk.config[s], c);
          row(blk.prediction, c)[s] = group_acc[2 * std::size_t{id}] / group_acc[2 * std::size_t{id} + 1];
        }
    } else {
      const std::vector<GroupSums>& group_sums = thread_group_sums();
      for (std::size_t j = 0; j < grouped.size(); ++j) {
        const std::uint32_t* id = &blk.ids[j * kBlock];
        const GroupSums* sums = &group_sums[grouped[j].first_sum];
        double* p = row(blk.prediction, grouped[j].node);
        for (std::size_t s = 0; s < count; ++s) p[s] = sums[id[s]].prediction;
      }
      for (const std::size_t c : direct_nodes) {  // β_c · f_c: s = 0, s += β_r f_r in order
        const std::size_t begin = layout.offsets[c], k = layout.offsets[c + 1] - begin;
        double* p = row(blk.prediction, c);
        for (std::size_t s = 0; s < count; ++s) p[s] = 0.0;
        for (std::size_t r = 0; r < k; ++r) {
          const double beta = t.beta[begin + r];
          const double* f = row(blk.x, static_cast<std::size_t>(layout.feature[begin + r]));
          for (std::size_t s = 0; s < count; ++s) p[s] += beta * f[s];
        }
      }
    }
    // synthetic_sums(): Σ_c w_ci p_c, children in order.
    for (std::size_t i = first; i < n - terminals; ++i) {
      double* sum = row(blk.synthetic, i);
      for (std::size_t s = 0; s < count; ++s) sum[s] = 0.0;
      for (int k = net.child_begin[i]; k < net.child_begin[i + 1]; ++k) {
        const double w = child_weight[static_cast<std::size_t>(k)];
        const double* p = row(blk.prediction, static_cast<std::size_t>(child_node[static_cast<std::size_t>(k)]));
        for (std::size_t s = 0; s < count; ++s) sum[s] += w * p[s];
      }
    }
  }

  // Pass 2: the same samples, SG with the learned predictor.
  void second_pass(Trial& t, Scratch& w, Block& blk) const {
    std::vector<GroupSums>& group_sums = thread_group_sums();
    for (std::size_t s0 = 0; s0 < t.keys.size(); s0 += kBlock) {
      load_block(t.keys, s0, blk, w, false);
      learned_predictions(t, blk);
      backprop_block(blk, true);
      synthetic_block(blk);
      const std::size_t count = blk.count;
      for (std::size_t j = 0; j < grouped.size(); ++j) {
        const std::uint32_t* id = &blk.ids[j * kBlock];
        const double* xi = row(blk.mixed, grouped[j].node);
        GroupSums* sums = &group_sums[grouped[j].first_sum];
        for (std::size_t s = 0; s < count; ++s) sums[id[s]].mixed_learned += xi[s];
      }
      for (const std::size_t i : direct_nodes) {
        const std::size_t begin = layout.offsets[i], k = layout.offsets[i + 1] - begin;
        const double* xi = row(blk.mixed, i);
        for (std::size_t r = 0; r < k; ++r)
          t.sums.sg_learned[begin + r] +=
              block_dot(xi, row(blk.x, static_cast<std::size_t>(layout.feature[begin + r])), count);
      }
    }
  }

  // Σ over the groups of a grouped node: f_i(group) × (its sums), eq 6.
  void reduce_first_pass(Trial& t) const {
    const bool linear = options.learned && learned_kind == PredictorKind::learned_linear;
    const std::vector<GroupSums>& group_sums = thread_group_sums();
    for (const FeatureGroups& fg : grouped) {
      const std::size_t begin = layout.offsets[fg.node];
      for (std::size_t g = 0; g < fg.count; ++g) {
        const GroupSums& sum = group_sums[fg.first_sum + g];
        if (sum.count == 0.0) continue;
        const double* f = &group_features[fg.first_feature + g * fg.k];
        add_scaled(&t.sums.bp[begin], sum.m, f, fg.k);
        add_scaled(&t.sums.sg_exact[begin], sum.mixed_exact, f, fg.k);
        if (linear) add_gram(&t.gram[gram_offset[fg.node]], f, sum.count, fg.k);
      }
    }
  }

  // Learned least squares at every visited feature group: β_i · f_i, as predict_linear.
  void predict_groups(const std::vector<double>& beta) const {
    std::vector<GroupSums>& group_sums = thread_group_sums();
    for (const FeatureGroups& fg : grouped) {
      const double* bc = &beta[layout.offsets[fg.node]];
      for (std::size_t g = 0; g < fg.count; ++g) {
        GroupSums& sum = group_sums[fg.first_sum + g];
        if (sum.count == 0.0) continue;
        const double* f = &group_features[fg.first_feature + g * fg.k];
        double s = 0.0;
        for (std::size_t r = 0; r < fg.k; ++r) s += bc[r] * f[r];
        sum.prediction = s;
      }
    }
  }

  void reduce_second_pass(Trial& t) const {
    const std::vector<GroupSums>& group_sums = thread_group_sums();
    for (const FeatureGroups& fg : grouped) {
      const std::size_t begin = layout.offsets[fg.node];
      for (std::size_t g = 0; g < fg.count; ++g) {
        const GroupSums& sum = group_sums[fg.first_sum + g];
        if (sum.count == 0.0) continue;
        add_scaled(&t.sums.sg_learned[begin], sum.mixed_learned, &group_features[fg.first_feature + g * fg.k], fg.k);
      }
    }
  }

  // Zeroes the observation groups this trial touched (cheaper than clearing every group when there are many).
  void reset_groups(const std::vector<std::uint64_t>& keys) const {
    auto& group_acc = thread_group_acc();
    if (group_total <= keys.size() * (n - first)) {
      std::fill(group_acc.begin(), group_acc.end(), 0.0);
      return;
    }
    for (const std::uint64_t key : keys)
      for (std::size_t c = first; c < n; ++c) {
        const std::uint32_t id = group(key >> 32, c);
        group_acc[2 * std::size_t{id}] = 0.0;
        group_acc[2 * std::size_t{id} + 1] = 0.0;
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
        b[i] = rhs[layout.offsets[c] + static_cast<std::size_t>(i)];
        for (Eigen::Index q = 0; q <= i; ++q) lower(i, q) = *g++;
      }
      Eigen::MatrixXd full = lower.selfadjointView<Eigen::Lower>();
      const Eigen::VectorXd solution = stats::minimum_norm_solve(full, b);
      for (Eigen::Index i = 0; i < k; ++i) beta[layout.offsets[c] + static_cast<std::size_t>(i)] = solution[i];
    }
  }

};

FastSampleRunner::FastSampleRunner(const DagNetwork& net, const DagSampleOptions& options,
                                   const DagExactPredictor& predictor, const FeatureLayout& layout)
    : impl_(std::make_unique<Impl>(net, options, predictor, layout)) {}

FastSampleRunner::~FastSampleRunner() = default;

TrialMeans FastSampleRunner::run_trial(std::uint64_t trial) const { return impl_->run_trial(trial); }

}  // namespace sglab::dag::detail
