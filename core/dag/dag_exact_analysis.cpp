#include "core/dag/dag_exact_analysis.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>

#include "core/dag/dag_ancestor_sets.hpp"
#include "core/dag/dag_block_kernels.hpp"
#include "core/dag/dag_exact_accumulator.hpp"
#include "core/dag/dag_exact_block.hpp"
#include "core/stats/least_squares.hpp"
#include "core/util/error.hpp"

namespace sglab::dag {

namespace {

using namespace exact_detail;

// Outcomes per block: fixed, so the partition of work never depends on threads
// (nor do the sums: every running sum goes through the blocks in order). 4096:
// the block's outcome tables (g, m, g̃, a, b: ~3.5 MB for 22 nodes) stay in the
// caches between the evaluation and the accumulation; at 16384 (14 MB) the
// kernels waited on memory (32-node bench, 2 threads: ~5 % more wall time;
// the helper threads are kept, so the 4x more parallel_for calls cost little).
constexpr std::uint64_t kBlockOutcomes = 4096;
constexpr std::size_t kConfigsPerChunk = 64;

// Three passes: BP (groups, μ, the predictor); SG (its means, and every part of
// the centered sums that needs no SG mean); the parts between configurations
// that need SG's means (no BP/SG evaluation when the per-configuration means of
// pass 2 are cached).
enum class Pass { backprop, synthetic, between_configurations };

class ExactEnumerator {
 public:
  ExactEnumerator(const DagNetwork& net, const DagExactOptions& options)
      : net_(net), options_(options), space_(dag_outcome_space(net)) {
    require_exact_feasible(space_, options.max_outcome_bits);
    n_ = static_cast<std::size_t>(net.node_count);
    signs_ = space_.sign_pattern_count();
    configs_ = space_.configuration_count();
    block_configs_ = std::max<std::uint64_t>(1, kBlockOutcomes / signs_);
    block_count_ = (configs_ + block_configs_ - 1) / block_configs_;
    // x and δ per configuration and node, the probability per configuration, and
    // the means of a and b over the signs per configuration and non-input node.
    const double non_inputs = static_cast<double>(net.node_count - net.input_count);
    const double mean_rows = (options.full_moments && options.keep_configuration_values ? 2.0 : 1.0) * non_inputs;
    const double cache_bytes = static_cast<double>(configs_) *
                               (static_cast<double>(n_) * 2.0 + 1.0 + mean_rows) * sizeof(double);
    cached_ = cache_bytes <= options.cache_budget_bytes;
    sign_probability_ = std::ldexp(1.0, -space_.sign_bits);
    predictor_ = std::make_shared<DagExactPredictor>();
    predictor_->kind = exact_predictor_kind(net.predictor);
    predictor_->group_of_configuration.resize(n_);
    predictor_->group_mean.resize(n_);
    predictor_->linear_coefficients.resize(n_);
    const auto ancestors = dag_extended_ancestor_sets(net);
    for (int i = net.input_count; i < net.node_count; ++i) {
      NodeAccumulator acc;
      acc.node = i;
      acc.k = net.parent_count(i) + 1;
      acc.lambda = net.is_terminal(i) ? 0.0 : net.lambda[static_cast<std::size_t>(i)];
      std::vector<int> keys = ancestors[static_cast<std::size_t>(i)];
      for (int e = net.parent_begin[static_cast<std::size_t>(i)]; e < net.parent_begin[static_cast<std::size_t>(i) + 1]; ++e)
        keys.push_back(net.parent[static_cast<std::size_t>(e)]);
      std::sort(keys.begin(), keys.end());
      keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
      acc.joint_key_nodes = std::move(keys);
      acc.mu.assign(static_cast<std::size_t>(acc.k), 0.0);
      acc.gram.assign(static_cast<std::size_t>(acc.k * acc.k), 0.0);
      acc.mean_a.assign(static_cast<std::size_t>(acc.k), 0.0);
      acc.mean_b.assign(static_cast<std::size_t>(acc.k), 0.0);
      // Filled block by block by pass 1 (accumulate_backprop), on the thread
      // that owns the node: no serial zero-filling pass over 4 bytes × nodes × configurations.
      predictor_->group_of_configuration[static_cast<std::size_t>(i)].reserve(configs_);
      nodes_.push_back(std::move(acc));
    }
    extended_ancestors_ = ancestors;
    // The nodes whose value is in some grouping key (pass 1 fingerprints only these).
    keyed_node_.assign(n_, 0);
    for (const auto& acc : nodes_) {
      const auto i = static_cast<std::size_t>(acc.node);
      for (int e = net.parent_begin[i]; e < net.parent_begin[i + 1]; ++e)
        keyed_node_[static_cast<std::size_t>(net.parent[static_cast<std::size_t>(e)])] = 1;
      if (options.with_bgap)
        for (int j : acc.joint_key_nodes) keyed_node_[static_cast<std::size_t>(j)] = 1;
    }
    // Largest work first, so that at each block's barrier the threads run out
    // of nodes at about the same time: the deep nodes' joint tables (pa(i) ∪
    // A(i) of up to 20 nodes, up to one group per 4 configurations) take
    // several times the lookups' time of a first-layer node. Only the order in
    // which nodes are handed out changes: each node adds to its own sums.
    work_order_.resize(nodes_.size());
    for (std::size_t j = 0; j < nodes_.size(); ++j) work_order_[j] = j;
    std::stable_sort(work_order_.begin(), work_order_.end(), [&](std::size_t l, std::size_t r) {
      const std::size_t keys_l = nodes_[l].joint_key_nodes.size(), keys_r = nodes_[r].joint_key_nodes.size();
      if (keys_l != keys_r) return keys_l > keys_r;
      return nodes_[l].k > nodes_[r].k;
    });
  }

  DagExactAnalysis run() {
    run_pass(Pass::backprop, 0);
    finish_backprop_pass();
    run_pass(Pass::synthetic, 1);
    finish_synthetic_means();
    run_pass(Pass::between_configurations, 2);
    return collect();
  }

  using Block = ExactBlock;

 private:
  void run_pass(Pass pass, int pass_index) {
    if (pass == Pass::backprop) {
      const auto block_configs = static_cast<std::size_t>(std::min(block_configs_, configs_));
      block_.allocate(cached_ ? static_cast<std::size_t>(configs_) : block_configs, block_configs,
                      static_cast<std::size_t>(signs_), n_, net_.input_count, options_.full_moments,
                      mean_a_in_delta());
      const std::size_t key_rows = nodes_.size() * block_configs;
      block_.observation_key.reset(new KeyFingerprint[key_rows]);
      if (options_.with_bgap) block_.joint_key.reset(new KeyFingerprint[key_rows]);
    }
    Block& block = block_;
    const int threads = options_.threads;
    for (std::uint64_t blk = 0; blk < block_count_; ++blk) {
      throw_if_cancelled(options_.control);
      block.first = blk * block_configs_;
      block.count = std::min(block_configs_, configs_ - block.first);
      if (cached_) block.config_offset = static_cast<std::size_t>(block.first);
      // Chunks of configurations per work item: fewer hand-offs, no false sharing inside a chunk.
      const std::size_t chunks = static_cast<std::size_t>((block.count + kConfigsPerChunk - 1) / kConfigsPerChunk);
      // Pass 3 reads pass 2's per-configuration means when they are cached.
      const bool evaluate = pass != Pass::between_configurations || !cached_;
      if (evaluate) parallel_for(chunks, threads, [&](std::size_t chunk) {
        const std::size_t begin = chunk * kConfigsPerChunk;
        const std::size_t end = std::min<std::size_t>(static_cast<std::size_t>(block.count), begin + kConfigsPerChunk);
        evaluate_chunk(pass, block, begin, end - begin);
      });
      parallel_for(nodes_.size(), threads, [&](std::size_t item) {
        auto& acc = nodes_[work_order_[item]];
        if (pass == Pass::backprop) accumulate_backprop_any(acc, block);
        else if (pass == Pass::synthetic) accumulate_synthetic_any(acc, block);
        else accumulate_between_configurations_any(acc, block);
      });
      if (options_.control != nullptr && options_.control->on_progress)
        options_.control->on_progress((static_cast<double>(pass_index) +
                                       static_cast<double>(blk + 1) / static_cast<double>(block_count_)) /
                                      3.0);
    }
    if (pass == Pass::backprop) {
      block_.observation_key.reset();
      block_.joint_key.reset();
    }
  }

  // Configurations k0 .. k0 + count − 1 of the block: forward (unless cached),
  // then BP, and SG after the first pass, for every sign pattern, node-major.
  // Pass 3 comes here only without the cache: it then also forms the
  // per-configuration means of a and b that pass 2 would have kept.
  void evaluate_chunk(Pass pass, Block& block, std::size_t k0, std::size_t count) const {
    const std::uint64_t first = block.first + k0;
    const std::size_t column = block.config_offset + k0;
    double* x = block.x.get() + column;
    double* delta = block.delta.get() + column;
    if (pass == Pass::backprop || !cached_) {
      // δ of the inputs is read only by users of the configuration values.
      dag_forward_block(net_, first, count, x, delta, block.config_capacity,
                        options_.keep_configuration_values);
      for (std::size_t k = 0; k < count; ++k) block.probability[column + k] = configuration_probability(net_, first + k);
    }
    if (pass == Pass::backprop) grouping_keys(block, x, k0, count);
    const std::size_t o0 = k0 * static_cast<std::size_t>(signs_);
    double* g = block.g.get() + o0;
    double* m = block.m.get() + o0;
    dag_backprop_block(net_, x, delta, block.config_capacity, count, signs_, g, m, block.outcome_capacity);
    if (pass == Pass::backprop) return;
    double* prediction = block.prediction.get() + k0;
    for (int c = net_.input_count; c < net_.node_count; ++c)
      predictor_->predict_block(net_, c, first, count, x, block.config_capacity,
                                prediction + static_cast<std::size_t>(c) * block.local_capacity);
    dag_synthetic_backprop_block(net_, delta, block.config_capacity, prediction, block.local_capacity, count, signs_,
                                 g, m, block.g_tilde.get() + o0, block.a.get() + o0, block.b.get() + o0,
                                 block.outcome_capacity);
    if (pass != Pass::between_configurations) return;
    for (int i = net_.input_count; i < net_.node_count; ++i)
      for (std::size_t k = k0; k < k0 + count; ++k) {
        const double pc = block.prob(k);
        if (pc <= 0.0) continue;  // never read (pass 3 skips configurations of probability 0)
        const std::size_t first_outcome = block.out(static_cast<std::size_t>(i), k * signs_);
        const double ca = sign_sum(block.a.get() + first_outcome, pc) / pc;
        const double cb = sign_sum(block.b.get() + first_outcome, pc) / pc;
        store_configuration_means(block, i, k, nodes_[static_cast<std::size_t>(i - net_.input_count)].lambda, ca, cb);
      }
  }

  // δ is not needed after pass 2 unless it is handed to the result.
  bool mean_a_in_delta() const { return options_.full_moments && !options_.keep_configuration_values; }

  // x̄_c of a and b (full_moments), else of the mix only (Block::config_mean_a).
  void store_configuration_means(Block& block, int node, std::uint64_t c, double lambda, double ca,
                                 double cb) const {
    if (options_.full_moments) {
      block.config_mean_a[block.mean_a(node, c)] = ca;
      block.config_mean_b[block.mean_b(node, c)] = cb;
    } else {
      block.config_mean_a[block.mean_a(node, c)] = (1.0 - lambda) * ca + lambda * cb;
    }
  }

  // Σ_s p v_s over the terminal signs of one configuration (p = p_c 2^-signbits),
  // in sign order: the sums accumulate_synthetic forms for x̄_c.
  double sign_sum(const double* v, double pc) const {
    const double p = pc * sign_probability_;
    double sum = 0.0;
    for (std::uint64_t s = 0; s < signs_; ++s) sum += p * v[s];
    return sum;
  }

  // The parents' rows of x in the current block (column c = configuration block.first + c).
  std::vector<const double*> parent_rows(const NodeAccumulator& acc, const Block& block) const {
    const auto i = static_cast<std::size_t>(acc.node);
    std::vector<const double*> rows;
    for (int e = net_.parent_begin[i]; e < net_.parent_begin[i + 1]; ++e)
      rows.push_back(&block.x[block.cfg(static_cast<std::size_t>(net_.parent[static_cast<std::size_t>(e)]), 0)]);
    return rows;
  }

  // Fills f = [x_pa(i), 1] (THEORY.md §7: ∂x_i/∂θ_i = δ_i [x_pa(i), 1]) from the
  // parents' rows; returns ||f||².
  // K > 0: the dimension k = parents + 1 known at compile time (the loops over
  // f unroll and its sums stay in registers; the same operations either way).
  template <int K = 0>
  static double features(const std::vector<const double*>& rows, std::uint64_t c, double* f) {
    const std::size_t parents = K > 0 ? static_cast<std::size_t>(K - 1) : rows.size();
    double norm2 = 1.0;
    for (std::size_t j = 0; j < parents; ++j) {
      f[j] = rows[j][c];
      norm2 += f[j] * f[j];
    }
    f[parents] = 1.0;
    return norm2;
  }

  // Pass 1: the grouping keys of configurations k0 .. k0 + count − 1 for every
  // non-input node, each the sum (mod 2^64, order-free) of its key nodes' value
  // fingerprints. Formed per chunk, while the chunk's fingerprints (a few KB)
  // are in the L1 cache: summed per node over the whole block, the 64 KB rows of
  // ~20 key nodes each were read from L2/L3 (22% of accumulate_backprop).
  void grouping_keys(Block& block, const double* x, std::size_t k0, std::size_t count) const {
    static thread_local std::vector<KeyFingerprint> fingerprints;
    fingerprints.resize(n_ * count);
    value_fingerprint_rows(x, block.config_capacity, n_, keyed_node_.data(), count,
                           1.0 / options_.grouping_tolerance, fingerprints.data());
    for (std::size_t j = 0; j < nodes_.size(); ++j) {
      const auto i = static_cast<std::size_t>(nodes_[j].node);
      const std::size_t row = j * block.local_capacity + k0;
      const int begin = net_.parent_begin[i], end = net_.parent_begin[i + 1];
      sum_fingerprint_rows(fingerprints.data(), count, net_.parent.data() + begin, static_cast<std::size_t>(end - begin),
                           &block.observation_key[row]);
      if (options_.with_bgap)
        sum_fingerprint_rows(fingerprints.data(), count, nodes_[j].joint_key_nodes.data(),
                             nodes_[j].joint_key_nodes.size(), &block.joint_key[row]);
    }
  }

  void accumulate_backprop_any(NodeAccumulator& acc, const Block& block) {
    with_fixed_k(acc.k, [&](auto fixed) {
      with_fixed_signs([&](auto fixed_signs) {
        accumulate_backprop<decltype(fixed)::value, decltype(fixed_signs)::value>(acc, block);
      });
    });
  }

  template <int K, int S>
  void accumulate_backprop(NodeAccumulator& acc, const Block& block) {
    const std::uint64_t signs = S > 0 ? static_cast<std::uint64_t>(S) : signs_;
    const auto i = static_cast<std::size_t>(acc.node);
    const auto k = static_cast<std::size_t>(K > 0 ? K : acc.k);
    KVector<K> f(k);
    // μ and the Gram matrix in locals during the block (the stack or registers
    // when K > 0, no aliasing with the tables): the same additions in the same order.
    KVector<K * K> gram(k * k);
    KVector<K> mu(k);
    for (std::size_t r = 0; r < k; ++r) mu[r] = acc.mu[r];
    for (std::size_t r = 0; r < k * k; ++r) gram[r] = acc.gram[r];
    const auto rows = parent_rows(acc, block);
    auto& group_of = predictor_->group_of_configuration[i];
    group_of.resize(static_cast<std::size_t>(block.first + block.count));  // within the reserved capacity
    // Group by the rounded parent values (o_i) and by (o_i, x_A(i)). The keys of
    // the block were formed by the evaluation (grouping_keys); each lookup
    // prefetches the table slots of a key a few configurations ahead: the joint
    // table holds up to one group per configuration, so a lookup would otherwise
    // wait on a cache miss.
    const auto count = static_cast<std::size_t>(block.count);
    const bool bgap = options_.with_bgap, full = options_.full_moments;
    const std::size_t key_row = static_cast<std::size_t>(acc.node - net_.input_count) * block.local_capacity;
    const KeyFingerprint* observation_keys = &block.observation_key[key_row];
    const KeyFingerprint* joint_keys = bgap ? &block.joint_key[key_row] : nullptr;
    constexpr std::size_t kPrefetchAhead = 8;
    double g2 = acc.g2, sign_noise = acc.sign_noise;  // in registers, same additions in the same order
    const bool with_gram = predictor_->kind == PredictorKind::best_linear;
    for (std::uint64_t c = 0; c < block.count; ++c) {
      if (c + kPrefetchAhead < count) {
        acc.observation_index.prefetch(observation_keys[c + kPrefetchAhead]);
        if (bgap) acc.joint_index.prefetch(joint_keys[c + kPrefetchAhead]);
      }
      bool inserted = false;
      const std::uint32_t group = acc.observation_index.find_or_insert(observation_keys[c], inserted);
      if (inserted) {
        acc.weight.push_back(0.0);
        acc.sum_m.push_back(0.0);
        acc.sum_g.push_back(0.0);
      }
      group_of[block.first + c] = group;
      std::uint32_t joint = 0;
      if (bgap) {
        joint = acc.joint_index.find_or_insert(joint_keys[c], inserted);
        if (inserted) {
          acc.joint_weight.push_back(0.0);
          acc.joint_sum_g.push_back(0.0);
          acc.joint_group.push_back(group);
        }
      }
      const double f2 = features<K>(rows, c, f.data());
      const double pc = block.prob(c);
      double pm = 0.0;
      // The group sums in locals over the signs (registers, not a chain through
      // memory): the same additions in the same order.
      double weight = acc.weight[group], sum_m = acc.sum_m[group], sum_g = acc.sum_g[group];
      double joint_weight = bgap ? acc.joint_weight[joint] : 0.0, joint_sum_g = bgap ? acc.joint_sum_g[joint] : 0.0;
      for (std::uint64_t s = 0; s < signs; ++s) {
        const std::size_t o = block.out(i, c * signs + s);
        const double p = pc * sign_probability_;
        const double m = block.m[o], g = block.g[o];
        weight += p;
        sum_m += p * m;
        sum_g += p * g;
        joint_weight += p;
        joint_sum_g += p * g;
        g2 += p * g * g;
        pm += p * m;
      }
      acc.weight[group] = weight;
      acc.sum_m[group] = sum_m;
      acc.sum_g[group] = sum_g;
      if (bgap) {
        acc.joint_weight[joint] = joint_weight;
        acc.joint_sum_g[joint] = joint_sum_g;
      }
      // Terminal-sign part of the BP variance: E[tr Cov(g_θ | configuration)].
      const double m_bar = pc > 0.0 ? pm / pc : 0.0;
      if (full)
        for (std::uint64_t s = 0; s < signs; ++s) {
          const double d = block.m[block.out(i, c * signs + s)] - m_bar;
          sign_noise += pc * sign_probability_ * f2 * d * d;
        }
      // μ_i = E[m_i f] (eq 6); Gram matrix E[f fᵀ], only read by the best-linear predictor.
      if constexpr (K > 0) add_moments_fixed<K>(mu.data(), gram.data(), f.data(), pm, pc, with_gram);
      else add_moments(mu.data(), gram.data(), f.data(), pm, pc, with_gram, k);
    }
    for (std::size_t r = 0; r < k; ++r) acc.mu[r] = mu[r];
    for (std::size_t r = 0; r < k * k; ++r) acc.gram[r] = gram[r];
    acc.g2 = g2;
    acc.sign_noise = sign_noise;
  }

  void finish_backprop_pass() {
    for (auto& acc : nodes_) {
      const auto i = static_cast<std::size_t>(acc.node);
      const std::size_t groups = acc.weight.size();
      auto& mean = predictor_->group_mean[i];
      mean.resize(groups);
      for (std::size_t gi = 0; gi < groups; ++gi)
        mean[gi] = acc.weight[gi] > 0.0 ? acc.sum_m[gi] / acc.weight[gi] : 0.0;
      if (predictor_->kind == PredictorKind::best_linear) {
        // Least squares of m_c on [o_c, 1] over the exact distribution: E[f fᵀ] β = E[f m].
        const auto k = static_cast<Eigen::Index>(acc.k);
        Eigen::MatrixXd gram(k, k);
        Eigen::VectorXd rhs(k);
        for (Eigen::Index r = 0; r < k; ++r) {
          rhs[r] = acc.mu[static_cast<std::size_t>(r)];
          for (Eigen::Index q = 0; q < k; ++q) gram(r, q) = acc.gram[static_cast<std::size_t>(r * k + q)];
        }
        predictor_->linear_coefficients[i] = stats::minimum_norm_solve(gram, rhs);
      }
      acc.sum_a.assign(groups, 0.0);
      acc.sum_b.assign(groups, 0.0);
      acc.observation_index.release();
    }
  }

  // Calls body(std::integral_constant<int, K>) with K = k for the lab's small
  // fan-ins (k = parents + 1 ≤ 6), K = 0 (k at run time) otherwise.
  template <class Body>
  static void with_fixed_k(int k, Body&& body) {
    switch (k) {
      case 2: body(std::integral_constant<int, 2>{}); return;
      case 3: body(std::integral_constant<int, 3>{}); return;
      case 4: body(std::integral_constant<int, 4>{}); return;
      case 5: body(std::integral_constant<int, 5>{}); return;
      case 6: body(std::integral_constant<int, 6>{}); return;
      default: body(std::integral_constant<int, 0>{});
    }
  }

  // Calls body(std::integral_constant<int, S>) with S = the sign-pattern count
  // when it is 4 (two noisy terminals: the bench graphs), S = 0 (count at run
  // time) otherwise: the loops over the signs unroll, the same operations.
  template <class Body>
  void with_fixed_signs(Body&& body) const {
    if (signs_ == 4) body(std::integral_constant<int, 4>{});
    else body(std::integral_constant<int, 0>{});
  }

  void accumulate_synthetic_any(NodeAccumulator& acc, Block& block) {
    with_fixed_k(acc.k, [&](auto fixed) {
      constexpr int K = decltype(fixed)::value;
      with_fixed_signs([&](auto fixed_signs) {
        constexpr int S = decltype(fixed_signs)::value;
        if (options_.full_moments) accumulate_synthetic<true, K, S>(acc, block);
        else accumulate_synthetic<false, K, S>(acc, block);
      });
    });
  }

  void accumulate_between_configurations_any(NodeAccumulator& acc, const Block& block) {
    with_fixed_k(acc.k, [&](auto fixed) {
      constexpr int K = decltype(fixed)::value;
      if (options_.full_moments) accumulate_between_configurations<true, K>(acc, block);
      else accumulate_between_configurations<false, K>(acc, block);
    });
  }

  // The within-configuration parts of one configuration (CenteredSums; cm, ca,
  // cb: its means of m, a, b over the signs; first: its first outcome in the
  // block), and E||g_SG − g_BP||² outcome by outcome.
  template <bool Full, int S>
  void add_within_configuration(const Block& block, std::size_t first, double p, double f2, double lambda,
                                double cm, double ca, double cb, CenteredSums& within, double& distance) const {
    const double csg = (1.0 - lambda) * ca + lambda * cb;
    double wm = 0.0, wsg = 0.0, wa = 0.0, wb = 0.0, wab = 0.0, wamb = 0.0;
    const std::uint64_t signs = S > 0 ? static_cast<std::uint64_t>(S) : signs_;
    for (std::uint64_t s = 0; s < signs; ++s) {
      const std::size_t o = first + static_cast<std::size_t>(s);
      const double m = block.m[o], a = block.a[o], b = block.b[o];
      const double sg = (1.0 - lambda) * a + lambda * b;
      const double dm = m - cm, dsg = sg - csg;
      wm += p * dm * dm;
      wsg += p * dsg * dsg;
      if (!Full) continue;
      distance += p * f2 * (sg - m) * (sg - m);
      const double da = a - ca, db = b - cb;
      wa += p * da * da;
      wb += p * db * db;
      wab += p * da * db;
      wamb += p * (da - db) * (da - db);
    }
    within.total_bp += f2 * wm;
    within.total_sg += f2 * wsg;
    if (!Full) return;
    within.tr_a += f2 * wa;
    within.tr_b += f2 * wb;
    within.tr_ab += f2 * wab;
    within.tr_amb += f2 * wamb;
  }

  // Pass 2: E a, E b and their group means (for SG's conditional mean) and,
  // from the same values, every centered sum that needs no SG mean
  // (CenteredSums): the within-configuration parts, BP's between parts (μ and
  // the group means of m are known since pass 1), VCM of BP and E||g_SG − g_BP||².
  // Keeps x̄_c of a and b for pass 3. Full = false (sample mode,
  // DagExactOptions::full_moments): only what ECV and VCM of BP and SG need
  // (Lemma 1); every sum kept takes the same additions in the same order either way.
  template <bool Full, int K, int S>
  void accumulate_synthetic(NodeAccumulator& acc, Block& block) {
    const std::uint64_t signs = S > 0 ? static_cast<std::uint64_t>(S) : signs_;
    const auto i = static_cast<std::size_t>(acc.node);
    const auto k = static_cast<std::size_t>(K > 0 ? K : acc.k);
    const double lambda = acc.lambda;
    // E a, E b and μ in locals during the block (registers when K > 0): the same additions in the same order.
    KVector<K> f(k), mean_a(k), mean_b(k), mu(k);
    for (std::size_t r = 0; r < k; ++r) {
      mean_a[r] = acc.mean_a[r];
      mean_b[r] = acc.mean_b[r];
      mu[r] = acc.mu[r];
    }
    const auto rows = parent_rows(acc, block);
    const auto& group_of = predictor_->group_of_configuration[i];
    const auto& mean_m = predictor_->group_mean[i];
    // Running sums in locals (registers) during the block, back to acc at the end.
    CenteredSums within = acc.within, between = acc.between;
    double vcm_bp = acc.vcm_bp, distance = acc.distance;
    for (std::uint64_t c = 0; c < block.count; ++c) {
      const std::uint32_t group = group_of[block.first + c];
      const double f2 = features<K>(rows, c, f.data());
      const double pc = block.prob(c);
      const std::size_t first = block.out(i, c * signs);
      const double p = pc * sign_probability_;
      double pa = 0.0, pb = 0.0, pm = 0.0;
      double sum_a = acc.sum_a[group], sum_b = acc.sum_b[group];  // in registers over the signs
      for (std::uint64_t s = 0; s < signs; ++s) {
        const std::size_t o = first + static_cast<std::size_t>(s);
        pa += p * block.a[o];
        pb += p * block.b[o];
        pm += p * block.m[o];
        // Same order of additions as sum_m in the backprop pass, so λ = 0 reproduces BP bit for bit.
        sum_a += p * block.a[o];
        sum_b += p * block.b[o];
      }
      acc.sum_a[group] = sum_a;
      acc.sum_b[group] = sum_b;
      for (std::size_t r = 0; r < k; ++r) {
        mean_a[r] += pa * f[r];
        mean_b[r] += pb * f[r];
      }
      if (pc <= 0.0) continue;
      // Means over the terminal signs of this configuration (sign_sum's sums for a and b).
      const double cm = pm / pc, ca = pa / pc, cb = pb / pc;
      store_configuration_means(block, acc.node, c, lambda, ca, cb);
      add_within_configuration<Full, S>(block, first, p, f2, lambda, cm, ca, cb, within, distance);
      // ECV's between part: E[g | o_i] = f · (group mean of m), f fixed within the group.
      const double m_bar = mean_m[group];
      between.ecv_bp += pc * f2 * (cm - m_bar) * (cm - m_bar);
      // VCM = E||E[g | o_i] − E g||².
      double vb = 0.0, tb = 0.0;
      for (std::size_t r = 0; r < k; ++r) {
        const double gb = f[r] * m_bar - mu[r];
        vb += gb * gb;
        if (!Full) continue;
        const double eb = f[r] * cm - mu[r];
        tb += eb * eb;
      }
      vcm_bp += pc * vb;
      if (Full) between.total_bp += pc * tb;
    }
    acc.within = within;
    acc.between = between;
    acc.vcm_bp = vcm_bp;
    acc.distance = distance;
    for (std::size_t r = 0; r < k; ++r) {
      acc.mean_a[r] = mean_a[r];
      acc.mean_b[r] = mean_b[r];
    }
  }

  void finish_synthetic_means() {
    for (auto& acc : nodes_) {
      acc.joint_index.release();
      for (std::size_t gi = 0; gi < acc.weight.size(); ++gi) {
        const double w = acc.weight[gi];
        acc.sum_a[gi] = w > 0.0 ? acc.sum_a[gi] / w : 0.0;  // now the group mean of a
        acc.sum_b[gi] = w > 0.0 ? acc.sum_b[gi] / w : 0.0;  // now the group mean of b
      }
    }
  }

  // Pass 3: SG's parts between configurations, from pass 2's x̄_c of a and b
  // (the mix's mean over the signs is (1 − λ) ā_c + λ b̄_c), the group means and E a, E b.
  template <bool Full, int K>
  void accumulate_between_configurations(NodeAccumulator& acc, const Block& block) {
    const auto i = static_cast<std::size_t>(acc.node);
    const auto k = static_cast<std::size_t>(K > 0 ? K : acc.k);
    const double lambda = acc.lambda;
    KVector<K> f(k), mean_sg(k), mean_a(k), mean_b(k);
    const auto rows = parent_rows(acc, block);
    for (std::size_t r = 0; r < k; ++r) {
      mean_a[r] = acc.mean_a[r];
      mean_b[r] = acc.mean_b[r];
      mean_sg[r] = (1.0 - lambda) * mean_a[r] + lambda * mean_b[r];
    }
    const auto& group_of = predictor_->group_of_configuration[i];
    CenteredSums between = acc.between;
    double vcm_sg = acc.vcm_sg;
    for (std::uint64_t c = 0; c < block.count; ++c) {
      const std::uint32_t group = group_of[block.first + c];
      const double f2 = features<K>(rows, c, f.data());
      const double pc = block.prob(c);
      if (pc <= 0.0) continue;
      const double a_bar = acc.sum_a[group], b_bar = acc.sum_b[group];
      const double sg_bar = (1.0 - lambda) * a_bar + lambda * b_bar;
      // Full: ā_c and b̄_c; else the mix's mean, formed by pass 2 with the same expression.
      const double ca = block.config_mean_a[block.mean_a(acc.node, c)];
      const double cb = Full ? block.config_mean_b[block.mean_b(acc.node, c)] : 0.0;
      const double csg = Full ? (1.0 - lambda) * ca + lambda * cb : ca;
      between.ecv_sg += pc * f2 * (csg - sg_bar) * (csg - sg_bar);
      double vs = 0.0, ts = 0.0, ta = 0.0, tbb = 0.0, tab = 0.0, tamb = 0.0;
      for (std::size_t r = 0; r < k; ++r) {
        const double gs = f[r] * sg_bar - mean_sg[r];
        vs += gs * gs;
        if (!Full) continue;
        const double es = f[r] * csg - mean_sg[r];
        const double ea = f[r] * ca - mean_a[r];
        const double ebb = f[r] * cb - mean_b[r];
        ts += es * es;
        ta += ea * ea;
        tbb += ebb * ebb;
        tab += ea * ebb;
        tamb += (ea - ebb) * (ea - ebb);
      }
      vcm_sg += pc * vs;
      if (!Full) continue;
      between.total_sg += pc * ts;
      between.tr_a += pc * ta;
      between.tr_b += pc * tbb;
      between.tr_ab += pc * tab;
      between.tr_amb += pc * tamb;
    }
    acc.between = between;
    acc.vcm_sg = vcm_sg;
  }

  DagExactAnalysis collect() {
    DagExactAnalysis out;
    out.space = space_;
    out.configured_predictor = net_.predictor;
    out.predictor_used = predictor_->kind;
    for (const auto& acc : nodes_)
      out.nodes.push_back(node_result(acc, net_, options_.full_moments,
                                      extended_ancestors_[static_cast<std::size_t>(acc.node)]));
    out.predictor = predictor_;
    if (options_.keep_configuration_values && cached_) {
      auto values = std::make_shared<DagConfigurationValues>();
      values->configurations = configs_;
      values->x = std::move(block_.x);
      values->delta = std::move(block_.delta);
      out.configuration_values = std::move(values);
    }
    return out;
  }

  const DagNetwork& net_;
  const DagExactOptions& options_;
  DagOutcomeSpace space_;
  std::size_t n_ = 0;
  std::uint64_t signs_ = 1, configs_ = 1, block_configs_ = 1, block_count_ = 1;
  double sign_probability_ = 1.0;
  std::vector<NodeAccumulator> nodes_;
  std::vector<char> keyed_node_;  // per node: its value is in some grouping key
  std::vector<std::size_t> work_order_;  // indices into nodes_, the costliest first
  std::vector<std::vector<int>> extended_ancestors_;
  bool cached_ = false;  // x, δ of every configuration fit options.cache_budget_bytes
  Block block_;
  std::shared_ptr<DagExactPredictor> predictor_;
};

}  // namespace

DagExactAnalysis analyze_dag_exact(const DagNetwork& net, const DagExactOptions& options) {
  ExactEnumerator enumerator(net, options);
  return enumerator.run();
}

}  // namespace sglab::dag
