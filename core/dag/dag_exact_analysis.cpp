#include "core/dag/dag_exact_analysis.hpp"

#include <algorithm>
#include <cmath>

#include "core/dag/dag_ancestor_sets.hpp"
#include "core/dag/dag_propagation.hpp"
#include "core/util/error.hpp"

namespace sglab::dag {

namespace {

// Outcomes per block: fixed, so the partition of work never depends on threads.
constexpr std::uint64_t kBlockOutcomes = 8192;

enum class Pass { backprop, synthetic_means, centered_sums };

// Everything accumulated for one non-input node across the passes.
struct NodeAccumulator {
  int node = 0;
  int k = 0;                      // dimension of θ_i: parents + 1
  double lambda = 0.0;
  // Observation groups (o_i) and joint groups (o_i, x_A(i)).
  RoundedKeyIndex observation_index;
  RoundedKeyIndex joint_index;
  std::vector<int> joint_key_nodes;  // pa(i) ∪ A(i), sorted
  std::vector<double> weight, sum_m, sum_g, sum_a, sum_b;
  std::vector<double> joint_weight, joint_sum_g;
  std::vector<std::uint32_t> joint_group;  // observation group of each joint group
  // Pass 1 (backprop): μ, Gram matrix of [o_i, 1], E g², sign-noise variance.
  std::vector<double> mu, gram;
  double g2 = 0.0, sign_noise = 0.0;
  // Pass 2 (synthetic means): E a, E b.
  std::vector<double> mean_a, mean_b;
  // Pass 3 (centered sums).
  double ecv_bp = 0, vcm_bp = 0, total_bp = 0, ecv_sg = 0, vcm_sg = 0, total_sg = 0;
  double tr_a = 0, tr_b = 0, tr_ab = 0, tr_amb = 0, distance = 0;
};

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
      predictor_->group_of_configuration[static_cast<std::size_t>(i)].assign(configs_, 0);
      nodes_.push_back(std::move(acc));
    }
    extended_ancestors_ = ancestors;
  }

  DagExactAnalysis run() {
    run_pass(Pass::backprop, 0);
    finish_backprop_pass();
    run_pass(Pass::synthetic_means, 1);
    finish_synthetic_means();
    run_pass(Pass::centered_sums, 2);
    return collect();
  }

 private:
  // Per-block buffers, indexed [config-in-block][node] and [outcome-in-block][node].
  struct Block {
    std::uint64_t first = 0, count = 0;
    std::vector<double> x, delta, probability;
    std::vector<double> g, m, a, b;
  };

  void run_pass(Pass pass, int pass_index) {
    Block block;
    const std::size_t outcome_capacity = static_cast<std::size_t>(block_configs_ * signs_) * n_;
    block.x.resize(static_cast<std::size_t>(block_configs_) * n_);
    block.delta.resize(block.x.size());
    block.probability.resize(static_cast<std::size_t>(block_configs_));
    block.g.resize(outcome_capacity);
    block.m.resize(outcome_capacity);
    if (pass != Pass::backprop) {
      block.a.resize(outcome_capacity);
      block.b.resize(outcome_capacity);
    }
    const int threads = options_.threads;
    for (std::uint64_t blk = 0; blk < block_count_; ++blk) {
      if (options_.control != nullptr && options_.control->cancelled())
        throw Error("exact DAG analysis cancelled");
      block.first = blk * block_configs_;
      block.count = std::min(block_configs_, configs_ - block.first);
      parallel_for(static_cast<std::size_t>(block.count), threads,
                   [&](std::size_t k) { evaluate_configuration(pass, block, k); });
      parallel_for(nodes_.size(), threads, [&](std::size_t j) {
        auto& acc = nodes_[j];
        if (pass == Pass::backprop) accumulate_backprop(acc, block);
        else if (pass == Pass::synthetic_means) accumulate_synthetic_means(acc, block);
        else accumulate_centered_sums(acc, block);
      });
      if (options_.control != nullptr && options_.control->on_progress)
        options_.control->on_progress((static_cast<double>(pass_index) +
                                       static_cast<double>(blk + 1) / static_cast<double>(block_count_)) /
                                      3.0);
    }
  }

  // Forward once per configuration, then BP (and SG) for each sign pattern.
  void evaluate_configuration(Pass pass, Block& block, std::size_t k) {
    thread_local std::vector<double> inputs, noise, prediction, g_tilde;
    thread_local std::vector<unsigned char> kept;
    inputs.resize(static_cast<std::size_t>(net_.input_count));
    kept.resize(net_.dropout_nodes.size() + 1);
    noise.resize(net_.terminals.size());
    const std::uint64_t config = block.first + k;
    decode_configuration(net_, config, inputs.data(), kept.data());
    block.probability[k] = configuration_probability(net_, config);
    double* x = &block.x[k * n_];
    double* delta = &block.delta[k * n_];
    dag_forward(net_, inputs.data(), kept.data(), x, delta);
    if (pass != Pass::backprop) {
      prediction.assign(n_, 0.0);
      g_tilde.assign(n_, 0.0);
      for (int c = net_.input_count; c < net_.node_count; ++c)
        prediction[static_cast<std::size_t>(c)] = predictor_->predict(net_, c, config, x);
    }
    for (std::uint64_t s = 0; s < signs_; ++s) {
      const std::size_t o = (k * signs_ + s) * n_;
      decode_sign_pattern(net_, s, noise.data());
      dag_backprop(net_, x, delta, noise.data(), &block.g[o], &block.m[o]);
      if (pass != Pass::backprop)
        dag_synthetic_backprop(net_, delta, &block.g[o], &block.m[o], prediction.data(), g_tilde.data(),
                               &block.a[o], &block.b[o]);
    }
  }

  // Fills f = [x_pa(i), 1] (THEORY.md §7: ∂x_i/∂θ_i = δ_i [x_pa(i), 1]); returns ||f||².
  double features(const NodeAccumulator& acc, const double* x, double* f) const {
    const auto i = static_cast<std::size_t>(acc.node);
    const int begin = net_.parent_begin[i];
    double norm2 = 1.0;
    for (int j = 0; j + 1 < acc.k; ++j) {
      f[j] = x[net_.parent[static_cast<std::size_t>(begin + j)]];
      norm2 += f[j] * f[j];
    }
    f[acc.k - 1] = 1.0;
    return norm2;
  }

  void accumulate_backprop(NodeAccumulator& acc, const Block& block) {
    const auto i = static_cast<std::size_t>(acc.node);
    const auto k = static_cast<std::size_t>(acc.k);
    std::vector<double> f(k);
    KeyFingerprintBuilder observation_key(options_.grouping_tolerance);
    KeyFingerprintBuilder joint_key(options_.grouping_tolerance);
    auto& group_of = predictor_->group_of_configuration[i];
    for (std::uint64_t c = 0; c < block.count; ++c) {
      const double* x = &block.x[static_cast<std::size_t>(c) * n_];
      observation_key.reset();
      for (int e = net_.parent_begin[i]; e < net_.parent_begin[i + 1]; ++e)
        observation_key.add(x[net_.parent[static_cast<std::size_t>(e)]]);
      bool inserted = false;
      const std::uint32_t group = acc.observation_index.find_or_insert(observation_key.finish(), inserted);
      if (inserted) {
        acc.weight.push_back(0.0);
        acc.sum_m.push_back(0.0);
        acc.sum_g.push_back(0.0);
      }
      group_of[block.first + c] = group;
      joint_key.reset();
      for (int node : acc.joint_key_nodes) joint_key.add(x[node]);
      const std::uint32_t joint = acc.joint_index.find_or_insert(joint_key.finish(), inserted);
      if (inserted) {
        acc.joint_weight.push_back(0.0);
        acc.joint_sum_g.push_back(0.0);
        acc.joint_group.push_back(group);
      }
      const double f2 = features(acc, x, f.data());
      const double pc = block.probability[static_cast<std::size_t>(c)];
      double pm = 0.0;
      for (std::uint64_t s = 0; s < signs_; ++s) {
        const std::size_t o = static_cast<std::size_t>(c * signs_ + s) * n_ + i;
        const double p = pc * sign_probability_;
        const double m = block.m[o], g = block.g[o];
        acc.weight[group] += p;
        acc.sum_m[group] += p * m;
        acc.sum_g[group] += p * g;
        acc.joint_weight[joint] += p;
        acc.joint_sum_g[joint] += p * g;
        acc.g2 += p * g * g;
        pm += p * m;
      }
      // Terminal-sign part of the BP variance: E[tr Cov(g_θ | configuration)].
      const double m_bar = pc > 0.0 ? pm / pc : 0.0;
      for (std::uint64_t s = 0; s < signs_; ++s) {
        const double d = block.m[static_cast<std::size_t>(c * signs_ + s) * n_ + i] - m_bar;
        acc.sign_noise += pc * sign_probability_ * f2 * d * d;
      }
      // μ_i = E[m_i f] (eq 6); Gram matrix E[f fᵀ] for the best-linear predictor.
      for (std::size_t r = 0; r < k; ++r) {
        acc.mu[r] += pm * f[r];
        for (std::size_t q = 0; q < k; ++q) acc.gram[r * k + q] += pc * f[r] * f[q];
      }
    }
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
        predictor_->linear_coefficients[i] = gram.completeOrthogonalDecomposition().solve(rhs);
      }
      acc.sum_a.assign(groups, 0.0);
      acc.sum_b.assign(groups, 0.0);
      acc.observation_index.release();
    }
  }

  void accumulate_synthetic_means(NodeAccumulator& acc, const Block& block) {
    const auto i = static_cast<std::size_t>(acc.node);
    const auto k = static_cast<std::size_t>(acc.k);
    std::vector<double> f(k);
    const auto& group_of = predictor_->group_of_configuration[i];
    for (std::uint64_t c = 0; c < block.count; ++c) {
      const double* x = &block.x[static_cast<std::size_t>(c) * n_];
      const std::uint32_t group = group_of[block.first + c];
      features(acc, x, f.data());
      const double pc = block.probability[static_cast<std::size_t>(c)];
      double pa = 0.0, pb = 0.0;
      for (std::uint64_t s = 0; s < signs_; ++s) {
        const std::size_t o = static_cast<std::size_t>(c * signs_ + s) * n_ + i;
        const double p = pc * sign_probability_;
        pa += p * block.a[o];
        pb += p * block.b[o];
        // Same order of additions as sum_m in the backprop pass, so λ = 0 reproduces BP bit for bit.
        acc.sum_a[group] += p * block.a[o];
        acc.sum_b[group] += p * block.b[o];
      }
      for (std::size_t r = 0; r < k; ++r) {
        acc.mean_a[r] += pa * f[r];
        acc.mean_b[r] += pb * f[r];
      }
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

  // Centered sums, two-pass style (means known): ECV, VCM and trCov terms of eq 8 and eq 17–18.
  void accumulate_centered_sums(NodeAccumulator& acc, const Block& block) {
    const auto i = static_cast<std::size_t>(acc.node);
    const auto k = static_cast<std::size_t>(acc.k);
    const double lambda = acc.lambda;
    std::vector<double> f(k), mean_sg(k);
    for (std::size_t r = 0; r < k; ++r) mean_sg[r] = (1.0 - lambda) * acc.mean_a[r] + lambda * acc.mean_b[r];
    const auto& group_of = predictor_->group_of_configuration[i];
    const auto& mean_m = predictor_->group_mean[i];
    for (std::uint64_t c = 0; c < block.count; ++c) {
      const double* x = &block.x[static_cast<std::size_t>(c) * n_];
      const std::uint32_t group = group_of[block.first + c];
      const double f2 = features(acc, x, f.data());
      const double pc = block.probability[static_cast<std::size_t>(c)];
      const double m_bar = mean_m[group];
      const double a_bar = acc.sum_a[group], b_bar = acc.sum_b[group];
      const double sg_bar = (1.0 - lambda) * a_bar + lambda * b_bar;
      // VCM = E||E[g | o_i] − E g||², the conditional mean being f · (group mean).
      double vb = 0.0, vs = 0.0;
      for (std::size_t r = 0; r < k; ++r) {
        const double db = f[r] * m_bar - acc.mu[r];
        const double ds = f[r] * sg_bar - mean_sg[r];
        vb += db * db;
        vs += ds * ds;
      }
      acc.vcm_bp += pc * vb;
      acc.vcm_sg += pc * vs;
      for (std::uint64_t s = 0; s < signs_; ++s) {
        const std::size_t o = static_cast<std::size_t>(c * signs_ + s) * n_ + i;
        const double p = pc * sign_probability_;
        const double m = block.m[o], a = block.a[o], b = block.b[o];
        const double sg = (1.0 - lambda) * a + lambda * b;
        // ECV = E||g − E[g | o_i]||² with g = f·scalar and f fixed within the group.
        acc.ecv_bp += p * f2 * (m - m_bar) * (m - m_bar);
        acc.ecv_sg += p * f2 * (sg - sg_bar) * (sg - sg_bar);
        acc.distance += p * f2 * (sg - m) * (sg - m);
        double tb = 0.0, ts = 0.0, ta = 0.0, tbb = 0.0, tab = 0.0, tamb = 0.0;
        for (std::size_t r = 0; r < k; ++r) {
          const double eb = f[r] * m - acc.mu[r];
          const double es = f[r] * sg - mean_sg[r];
          const double ea = f[r] * a - acc.mean_a[r];
          const double ebb = f[r] * b - acc.mean_b[r];
          tb += eb * eb;
          ts += es * es;
          ta += ea * ea;
          tbb += ebb * ebb;
          tab += ea * ebb;
          tamb += (ea - ebb) * (ea - ebb);
        }
        acc.total_bp += p * tb;
        acc.total_sg += p * ts;
        acc.tr_a += p * ta;
        acc.tr_b += p * tbb;
        acc.tr_ab += p * tab;
        acc.tr_amb += p * tamb;
      }
    }
  }

  static Eigen::VectorXd to_eigen(const std::vector<double>& v) {
    return Eigen::Map<const Eigen::VectorXd>(v.data(), static_cast<Eigen::Index>(v.size()));
  }

  DagExactAnalysis collect() {
    DagExactAnalysis out;
    out.space = space_;
    out.configured_predictor = net_.predictor;
    out.predictor_used = predictor_->kind;
    for (auto& acc : nodes_) {
      const auto i = static_cast<std::size_t>(acc.node);
      DagNodeExact r;
      r.node = acc.node;
      r.layer = net_.layer[i];
      r.terminal = net_.is_terminal(acc.node);
      r.parent_count = acc.k - 1;
      r.lambda = acc.lambda;
      r.observation_groups = acc.weight.size();
      r.mu = to_eigen(acc.mu);
      r.bp.ecv = acc.ecv_bp;
      r.bp.vcm = acc.vcm_bp;
      r.bp.total_variance = acc.total_bp;
      r.bp.mean = r.mu;
      r.bp.bias2 = 0.0;  // BP is unbiased by definition of μ_i (§2)
      r.sg.ecv = acc.ecv_sg;
      r.sg.vcm = acc.vcm_sg;
      r.sg.total_variance = acc.total_sg;
      r.sg.mean = (1.0 - acc.lambda) * to_eigen(acc.mean_a) + acc.lambda * to_eigen(acc.mean_b);
      r.sg.bias2 = (r.sg.mean - r.mu).squaredNorm();  // eq 8
      r.mixing.applicable = !r.terminal;
      r.mixing.tr_cov_a = acc.tr_a;
      r.mixing.tr_cov_b = acc.tr_b;
      r.mixing.tr_cov_ab = acc.tr_ab;
      r.mixing.tr_cov_a_minus_b = acc.tr_amb;
      r.mixing.mean_a = to_eigen(acc.mean_a);
      r.mixing.mean_b = to_eigen(acc.mean_b);
      r.sg_bp_distance = acc.distance;
      r.terminal_noise_variance = acc.sign_noise;
      r.extended_ancestors = extended_ancestors_[i];
      r.bgap_groups = acc.joint_weight.size();
      // Bgap_i = Σ_H P_H (E[g | H] − E[g | o_i(H)])², §3.
      double bgap = 0.0;
      for (std::size_t h = 0; h < acc.joint_weight.size(); ++h) {
        const double w = acc.joint_weight[h];
        if (w <= 0.0) continue;
        const std::uint32_t gi = acc.joint_group[h];
        const double d = acc.joint_sum_g[h] / w - acc.sum_g[gi] / acc.weight[gi];
        bgap += w * d * d;
      }
      r.bgap = bgap;
      r.node_gradient_second_moment = acc.g2;
      r.bgap_relative = acc.g2 > 0.0 ? bgap / acc.g2 : 0.0;
      out.nodes.push_back(std::move(r));
    }
    out.predictor = predictor_;
    return out;
  }

  const DagNetwork& net_;
  const DagExactOptions& options_;
  DagOutcomeSpace space_;
  std::size_t n_ = 0;
  std::uint64_t signs_ = 1, configs_ = 1, block_configs_ = 1, block_count_ = 1;
  double sign_probability_ = 1.0;
  std::vector<NodeAccumulator> nodes_;
  std::vector<std::vector<int>> extended_ancestors_;
  std::shared_ptr<DagExactPredictor> predictor_;
};

}  // namespace

DagExactAnalysis analyze_dag_exact(const DagNetwork& net, const DagExactOptions& options) {
  ExactEnumerator enumerator(net, options);
  return enumerator.run();
}

}  // namespace sglab::dag
