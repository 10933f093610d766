#include "core/dag/dag_sample_mode.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>

#include "core/dag/dag_propagation.hpp"
#include "core/dag/dag_sample_fast.hpp"
#include "core/dag/rounded_key_index.hpp"
#include "core/rng/counter_rng.hpp"
#include "core/stats/least_squares.hpp"
#include "core/stats/summary_stats.hpp"
#include "core/util/error.hpp"

namespace sglab::dag {

namespace {

using detail::kDagSampleStream;
using detail::TrialMeans;

// Draws one outcome from a trial's stream: inputs ±1, dropout masks, terminal
// signs; also the configuration index of exact mode (inputs low, masks above).
class OutcomeSampler {
 public:
  explicit OutcomeSampler(const DagNetwork& net) : net_(net) {
    for (int node : net.dropout_nodes)
      thresholds_.push_back(rng::bernoulli_threshold(net.keep_q[static_cast<std::size_t>(node)]));
  }
  std::uint64_t draw(rng::StreamReader& reader, double* inputs, unsigned char* kept, double* signs) const {
    std::uint64_t config = 0;
    std::uint32_t word = 0;
    for (int k = 0; k < net_.input_count; ++k) {
      if (k % 32 == 0) word = reader.next_word();
      const bool up = (word >> (k % 32)) & 1u;
      inputs[k] = up ? 1.0 : -1.0;
      if (up && k < 64) config |= 1ULL << k;
    }
    for (std::size_t j = 0; j < thresholds_.size(); ++j) {
      kept[j] = reader.next_word() < thresholds_[j] ? 1 : 0;
      const std::size_t bit = static_cast<std::size_t>(net_.input_count) + j;
      if (kept[j] && bit < 64) config |= 1ULL << bit;
    }
    for (std::size_t t = 0; t < net_.terminals.size(); ++t) signs[t] = 0.0;
    for (std::size_t k = 0; k < net_.noisy_terminals.size(); ++k) {
      if (k % 32 == 0) word = reader.next_word();
      signs[net_.noisy_terminals[k]] = ((word >> (k % 32)) & 1u) ? 1.0 : -1.0;
    }
    return config;
  }

 private:
  const DagNetwork& net_;
  std::vector<std::uint64_t> thresholds_;
};

// Learned predictor of m_c from o_c, fitted on one trial's samples (THEORY.md §7).
class LearnedPredictor {
 public:
  LearnedPredictor(const DagNetwork& net, PredictorKind kind) : net_(net), kind_(kind) {
    const auto n = static_cast<std::size_t>(net.node_count);
    index_.resize(n);
    sum_.resize(n);
    count_.resize(n);
    gram_.resize(n);
    rhs_.resize(n);
    beta_.resize(n);
    for (int c = net.input_count; c < net.node_count; ++c) {
      const auto k = static_cast<Eigen::Index>(net.parent_count(c) + 1);
      gram_[static_cast<std::size_t>(c)] = Eigen::MatrixXd::Zero(k, k);
      rhs_[static_cast<std::size_t>(c)] = Eigen::VectorXd::Zero(k);
    }
  }

  // Returns the table group of o_c (learned table; 0 for least squares).
  std::uint32_t observe(int c, const double* x, double m, double tolerance) {
    const auto sc = static_cast<std::size_t>(c);
    if (kind_ == PredictorKind::learned_table) {
      KeyFingerprintBuilder key(tolerance);
      for (int e = net_.parent_begin[sc]; e < net_.parent_begin[sc + 1]; ++e)
        key.add(x[net_.parent[static_cast<std::size_t>(e)]]);
      bool inserted = false;
      const std::uint32_t id = index_[sc].find_or_insert(key.finish(), inserted);
      if (inserted) {
        sum_[sc].push_back(0.0);
        count_[sc].push_back(0.0);
      }
      sum_[sc][id] += m;
      count_[sc][id] += 1.0;
      return id;
    } else {
      const int k = net_.parent_count(c) + 1;
      double f[kMaxFeatures];
      fill_features(c, x, f);
      auto& gram = gram_[sc];
      for (int r = 0; r < k; ++r) {
        rhs_[sc][r] += f[r] * m;
        for (int q = 0; q <= r; ++q) gram(r, q) += f[r] * f[q];
      }
    }
    return 0;
  }

  /// Table prediction of a group returned by observe (no second hashing of o_c).
  double predict_group(int c, std::uint32_t id) const {
    const auto sc = static_cast<std::size_t>(c);
    return sum_[sc][id] / count_[sc][id];
  }
  bool is_table() const { return kind_ == PredictorKind::learned_table; }

  void fit() {
    if (kind_ != PredictorKind::learned_linear) return;
    for (int c = net_.input_count; c < net_.node_count; ++c) {
      const auto sc = static_cast<std::size_t>(c);
      Eigen::MatrixXd full = gram_[sc].selfadjointView<Eigen::Lower>();
      // Least squares on [o_c, 1]: minimum-norm solution when o_c is collinear.
      beta_[sc] = stats::minimum_norm_solve(full, rhs_[sc]);
    }
  }

  double predict(int c, const double* x, double tolerance) const {
    const auto sc = static_cast<std::size_t>(c);
    if (kind_ == PredictorKind::learned_table) {
      KeyFingerprintBuilder key(tolerance);
      for (int e = net_.parent_begin[sc]; e < net_.parent_begin[sc + 1]; ++e)
        key.add(x[net_.parent[static_cast<std::size_t>(e)]]);
      const std::uint32_t id = index_[sc].find(key.finish());
      return id == RoundedKeyIndex::kMissing ? 0.0 : sum_[sc][id] / count_[sc][id];
    }
    double f[kMaxFeatures];
    fill_features(c, x, f);
    const int k = net_.parent_count(c) + 1;
    double s = 0.0;
    for (int r = 0; r < k; ++r) s += beta_[sc][r] * f[r];
    return s;
  }

  static constexpr int kMaxFeatures = 1025;

 private:
  void fill_features(int c, const double* x, double* f) const {
    const auto sc = static_cast<std::size_t>(c);
    const int begin = net_.parent_begin[sc];
    const int count = net_.parent_count(c);
    for (int j = 0; j < count; ++j) f[j] = x[net_.parent[static_cast<std::size_t>(begin + j)]];
    f[count] = 1.0;
  }

  const DagNetwork& net_;
  PredictorKind kind_;
  std::vector<RoundedKeyIndex> index_;
  std::vector<std::vector<double>> sum_, count_;
  std::vector<Eigen::MatrixXd> gram_;
  std::vector<Eigen::VectorXd> rhs_, beta_;
};

// Generic path, used when there is no exact analysis (outcome space too large):
// forward pass per sample, learned table keyed by hashing o_c once per sample.
class SampleRunner {
 public:
  SampleRunner(const DagNetwork& net, const DagSampleOptions& options) : net_(net), options_(options), sampler_(net) {
    offsets_.assign(static_cast<std::size_t>(net.node_count) + 1, 0);
    for (int i = 0; i < net.node_count; ++i) {
      const int k = i < net.input_count ? 0 : net.parent_count(i) + 1;
      offsets_[static_cast<std::size_t>(i) + 1] = offsets_[static_cast<std::size_t>(i)] + static_cast<std::size_t>(k);
    }
    learned_kind_ = learned_predictor_kind(net.predictor);
  }

  std::size_t width() const { return offsets_.back(); }
  std::size_t offset(int node) const { return offsets_[static_cast<std::size_t>(node)]; }

  TrialMeans run_trial(std::uint64_t trial) const {
    const auto n = static_cast<std::size_t>(net_.node_count);
    const auto first = static_cast<std::size_t>(net_.input_count);
    const std::uint64_t stream = rng::make_stream(kDagSampleStream, {trial + options_.stream_offset});
    std::vector<double> inputs(static_cast<std::size_t>(net_.input_count)), signs(net_.terminals.size());
    std::vector<unsigned char> kept(net_.dropout_nodes.size() + 1);
    std::vector<double> x(n), delta(n), g(n), m(n), prediction(n, 0.0), g_tilde(n), a(n), b(n);
    // Pass 2 reuses pass 1's forward and BP values when they fit (else it redraws and recomputes).
    const bool keep = options_.learned && options_.samples_per_trial * n * 4 * sizeof(double) <= kKeepBytes;
    std::vector<double> kept_values(keep ? static_cast<std::size_t>(options_.samples_per_trial) * n * 4 : 0);
    TrialMeans sums;
    sums.bp.assign(width(), 0.0);
    std::unique_ptr<LearnedPredictor> learned;
    if (options_.learned) {
      learned = std::make_unique<LearnedPredictor>(net_, learned_kind_);
      sums.sg_learned.assign(width(), 0.0);
    }
    // Learned table: the group of o_c of every sample and node, from pass 1 (hash once).
    const bool ids = learned && learned->is_table() &&
                     options_.samples_per_trial * (n - first) * sizeof(std::uint32_t) <= kKeepBytes;
    std::vector<std::uint32_t> group_ids(ids ? static_cast<std::size_t>(options_.samples_per_trial) * (n - first) : 0);
    const double tolerance = kDefaultGroupingTolerance;
    // Pass 1: BP and the learned predictor's data.
    rng::StreamReader reader(net_.seed, stream);
    for (std::uint64_t s = 0; s < options_.samples_per_trial; ++s) {
      sampler_.draw(reader, inputs.data(), kept.data(), signs.data());
      dag_forward(net_, inputs.data(), kept.data(), x.data(), delta.data());
      dag_backprop(net_, x.data(), delta.data(), signs.data(), g.data(), m.data());
      add_gradient(sums.bp, x.data(), m.data());
      if (keep) {
        double* slot = &kept_values[static_cast<std::size_t>(s) * n * 4];
        std::copy(x.begin(), x.end(), slot);
        std::copy(delta.begin(), delta.end(), slot + n);
        std::copy(g.begin(), g.end(), slot + 2 * n);
        std::copy(m.begin(), m.end(), slot + 3 * n);
      }
      if (learned)
        for (int c = net_.input_count; c < net_.node_count; ++c) {
          const std::uint32_t id = learned->observe(c, x.data(), m[static_cast<std::size_t>(c)], tolerance);
          if (ids) group_ids[static_cast<std::size_t>(s) * (n - first) + static_cast<std::size_t>(c) - first] = id;
        }
    }
    // Pass 2: the same samples again (same stream), SG with the learned predictor.
    if (learned) {
      learned->fit();
      rng::StreamReader again(net_.seed, stream);
      for (std::uint64_t s = 0; s < options_.samples_per_trial; ++s) {
        if (keep) {
          const double* slot = &kept_values[static_cast<std::size_t>(s) * n * 4];
          std::copy(slot, slot + n, x.begin());
          std::copy(slot + n, slot + 2 * n, delta.begin());
          std::copy(slot + 2 * n, slot + 3 * n, g.begin());
          std::copy(slot + 3 * n, slot + 4 * n, m.begin());
        } else {
          sampler_.draw(again, inputs.data(), kept.data(), signs.data());
          dag_forward(net_, inputs.data(), kept.data(), x.data(), delta.data());
          dag_backprop(net_, x.data(), delta.data(), signs.data(), g.data(), m.data());
        }
        for (int c = net_.input_count; c < net_.node_count; ++c)
          prediction[static_cast<std::size_t>(c)] =
              ids ? learned->predict_group(c, group_ids[static_cast<std::size_t>(s) * (n - first) +
                                                        static_cast<std::size_t>(c) - first])
                  : learned->predict(c, x.data(), tolerance);
        dag_synthetic_backprop(net_, delta.data(), g.data(), m.data(), prediction.data(), g_tilde.data(), a.data(),
                               b.data());
        add_mixed_gradient(sums.sg_learned, x.data(), a.data(), b.data());
      }
    }
    const double inv = 1.0 / static_cast<double>(options_.samples_per_trial);
    for (auto* v : {&sums.bp, &sums.sg_learned, &sums.sg_exact})
      for (double& value : *v) value *= inv;
    return sums;
  }

 private:
  // Σ g_θi = Σ m_i [x_pa(i), 1] (eq 6).
  void add_gradient(std::vector<double>& sum, const double* x, const double* scalar) const {
    for (int i = net_.input_count; i < net_.node_count; ++i) {
      const auto si = static_cast<std::size_t>(i);
      double* out = &sum[offsets_[si]];
      const double s = scalar[i];
      const int begin = net_.parent_begin[si];
      const int count = net_.parent_count(i);
      for (int j = 0; j < count; ++j) out[j] += s * x[net_.parent[static_cast<std::size_t>(begin + j)]];
      out[count] += s;
    }
  }
  // SG parameter gradient ((1 − λ_i) a_i + λ_i b_i) [x_pa(i), 1] (eq 16); terminals: a = b = m.
  void add_mixed_gradient(std::vector<double>& sum, const double* x, const double* a, const double* b) const {
    thread_local std::vector<double> mixed;
    mixed.resize(static_cast<std::size_t>(net_.node_count));
    for (int i = net_.input_count; i < net_.node_count; ++i) {
      const double lambda = net_.is_terminal(i) ? 0.0 : net_.lambda[static_cast<std::size_t>(i)];
      mixed[static_cast<std::size_t>(i)] = (1.0 - lambda) * a[i] + lambda * b[i];
    }
    add_gradient(sum, x, mixed.data());
  }

  const DagNetwork& net_;
  const DagSampleOptions& options_;
  static constexpr std::size_t kKeepBytes = std::size_t{256} << 20;
  OutcomeSampler sampler_;
  std::vector<std::size_t> offsets_;
  PredictorKind learned_kind_;
};

DagSampleEstimate summarise(const std::vector<TrialMeans>& trials, std::vector<double> TrialMeans::*which,
                            std::size_t offset, std::size_t k, const std::vector<double>& mu) {
  DagSampleEstimate out;
  if ((trials.front().*which).empty()) return out;
  out.present = true;
  stats::RunningMoments errors;
  for (const auto& t : trials) {
    const auto& v = t.*which;
    double e = 0.0;
    for (std::size_t r = 0; r < k; ++r) {
      const double d = v[offset + r] - mu[offset + r];
      e += d * d;
    }
    errors.add(e);  // ||ĝ − μ||², eq 7
  }
  out.mse = errors.mean();
  out.se = errors.standard_error();
  return out;
}

}  // namespace

PredictorKind learned_predictor_kind(PredictorKind configured) {
  switch (configured) {
    case PredictorKind::oracle:
    case PredictorKind::learned_table: return PredictorKind::learned_table;
    case PredictorKind::best_linear:
    case PredictorKind::learned_linear: return PredictorKind::learned_linear;
  }
  return PredictorKind::learned_table;
}

DagSampleResult run_dag_sample_mode(const DagNetwork& net, const DagSampleOptions& options) {
  if (options.samples_per_trial < 1) throw Error("sample mode: samples per trial must be at least 1");
  if (options.trials < 2) throw Error("sample mode: at least 2 trials are needed for a standard error");
  if (net.max_parent_count() + 1 > LearnedPredictor::kMaxFeatures)
    throw Error("sample mode: fan-in larger than " + std::to_string(LearnedPredictor::kMaxFeatures - 1));
  DagSampleResult result;
  result.samples_per_trial = options.samples_per_trial;
  result.trials = options.trials;
  result.seed = net.seed;
  result.learned_kind = learned_predictor_kind(net.predictor);
  const DagOutcomeSpace space = dag_outcome_space(net);
  std::shared_ptr<const DagConfigurationValues> configuration_values;
  if (options.exact_reference && options.exact_analysis) {
    result.exact = options.exact_analysis;
    result.has_exact = true;
    result.exact_kind = result.exact->predictor_used;
  } else if (options.exact_reference && space.total_bits() <= kMaxExactOutcomeBits) {
    DagExactOptions exact;
    exact.threads = options.threads;
    exact.with_bgap = false;  // not part of a sample result
    exact.full_moments = false;  // nor these (sample mode reads Lemma 1's moments)
    exact.keep_configuration_values = true;  // the per-configuration table starts from them
    WorkControl cancel_only;  // the exact pass honours cancel; progress counts the trials only
    if (options.control != nullptr) cancel_only.cancel = options.control->cancel;
    exact.control = &cancel_only;
    DagExactAnalysis analysis = analyze_dag_exact(net, exact);
    configuration_values = std::move(analysis.configuration_values);  // freed once the table is built
    result.exact = std::make_shared<const DagExactAnalysis>(std::move(analysis));
    result.has_exact = true;
    result.exact_kind = result.exact->predictor_used;
  }
  // With the exact analysis: per-configuration tables (dag_sample_fast.hpp), bit-identical to the generic path.
  SampleRunner runner(net, options);
  const detail::FeatureLayout layout(net);
  std::unique_ptr<detail::FastSampleRunner> fast;
  if (result.has_exact && !options.generic_path)
    fast = std::make_unique<detail::FastSampleRunner>(net, options, *result.exact->predictor, layout,
                                                      configuration_values.get());
  configuration_values.reset();
  std::vector<TrialMeans> trials(static_cast<std::size_t>(options.trials));
  parallel_for(
      trials.size(), options.threads,
      [&](std::size_t t) { trials[t] = fast ? fast->run_trial(t) : runner.run_trial(t); }, options.control);

  // μ: exact when available, else the grand mean of the BP estimates.
  std::vector<double> mu(runner.width(), 0.0);
  if (result.has_exact) {
    for (const auto& node : result.exact->nodes)
      for (Eigen::Index r = 0; r < node.mu.size(); ++r) mu[runner.offset(node.node) + static_cast<std::size_t>(r)] = node.mu[r];
  } else {
    for (const auto& t : trials)
      for (std::size_t r = 0; r < mu.size(); ++r) mu[r] += t.bp[r] / static_cast<double>(trials.size());
  }
  const double n = static_cast<double>(options.samples_per_trial);
  for (int i = net.input_count; i < net.node_count; ++i) {
    DagNodeSample node;
    node.node = i;
    node.layer = net.layer[static_cast<std::size_t>(i)];
    node.terminal = net.is_terminal(i);
    const std::size_t offset = runner.offset(i);
    const auto k = static_cast<std::size_t>(net.parent_count(i) + 1);
    node.bp = summarise(trials, &TrialMeans::bp, offset, k, mu);
    node.sg_learned = summarise(trials, &TrialMeans::sg_learned, offset, k, mu);
    node.sg_exact = summarise(trials, &TrialMeans::sg_exact, offset, k, mu);
    if (result.has_exact) {
      const auto& exact = result.exact->nodes[static_cast<std::size_t>(i - net.input_count)];
      node.bp.has_lemma1 = true;
      node.bp.lemma1 = exact.bp.mse(n);  // Lemma 1
      node.sg_exact.has_lemma1 = true;
      node.sg_exact.lemma1 = exact.sg.mse(n);
    }
    result.nodes.push_back(node);
  }
  return result;
}

}  // namespace sglab::dag
