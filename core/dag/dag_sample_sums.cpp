#include "core/dag/dag_sample_sums.hpp"

#include <Eigen/Core>

#include "core/stats/least_squares.hpp"

namespace sglab::dag::detail {

namespace {

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

}  // namespace

SampleSums::SampleSums(const FeatureLayout& layout, const FeatureGroupPlan& groups, bool least_squares)
    : layout_(layout), groups_(groups), least_squares_(least_squares) {
  if (!least_squares_) return;
  const std::size_t n = layout.offsets.size() - 1;
  gram_offset_.assign(n + 1, 0);
  for (std::size_t c = 0; c < n; ++c) {
    const std::size_t k = layout.offsets[c + 1] - layout.offsets[c];
    gram_offset_[c + 1] = gram_offset_[c] + k * (k + 1) / 2;
  }
}

void SampleSums::start_trial(TrialSums& t, std::vector<GroupSums>& group_sums, bool learned) const {
  const std::size_t width = layout_.width();
  t.params.bp.assign(width, 0.0);
  t.params.sg_exact.assign(width, 0.0);
  group_sums.assign(groups_.sum_count(), GroupSums{0.0, 0.0, 0.0, 0.0, 0.0});
  if (!learned) return;
  t.params.sg_learned.assign(width, 0.0);
  if (least_squares_) {
    t.gram.assign(gram_offset_.back(), 0.0);
    t.beta.assign(width, 0.0);
  }
}

void SampleSums::add_first_pass(const SampleBlock& blk, TrialSums& t, std::vector<GroupSums>& group_sums) const {
  const std::size_t count = blk.count;
  for (std::size_t j = 0; j < groups_.grouped().size(); ++j) {
    const FeatureGroup& fg = groups_.grouped()[j];
    const std::uint32_t* id = &blk.ids[j * kSampleBlock];
    const double* mi = block_row(blk.m, fg.node);
    const double* xi = block_row(blk.mixed, fg.node);
    GroupSums* sums = &group_sums[fg.first_sum];
    if (count == 0) continue;
    // Samples in configuration order often hit the same group several times in
    // a row: its sums are kept in registers over such a run (the same additions
    // in the same order) instead of a store-to-load chain through memory.
    std::uint32_t current = id[0];
    double m = sums[current].m, mixed = sums[current].mixed_exact, n = sums[current].count;
    for (std::size_t s = 0; s < count; ++s) {
      if (id[s] != current) {
        sums[current].m = m;
        sums[current].mixed_exact = mixed;
        sums[current].count = n;
        current = id[s];
        m = sums[current].m;
        mixed = sums[current].mixed_exact;
        n = sums[current].count;
      }
      m += mi[s];
      mixed += xi[s];
      n += 1.0;
    }
    sums[current].m = m;
    sums[current].mixed_exact = mixed;
    sums[current].count = n;
  }
  for (const std::size_t i : groups_.direct_nodes()) {
    const std::size_t begin = layout_.offsets[i], k = layout_.offsets[i + 1] - begin;
    const double* mi = block_row(blk.m, i);
    const double* xi = block_row(blk.mixed, i);
    for (std::size_t r = 0; r < k; ++r) {
      const double* f = block_row(blk.x, static_cast<std::size_t>(layout_.feature[begin + r]));
      t.params.bp[begin + r] += block_dot(mi, f, count);
      t.params.sg_exact[begin + r] += block_dot(xi, f, count);
    }
    if (!t.gram.empty()) add_direct_gram(blk, i, &t.gram[gram_offset_[i]]);
  }
}

void SampleSums::add_direct_gram(const SampleBlock& blk, std::size_t i, double* g) const {
  const std::size_t begin = layout_.offsets[i], k = layout_.offsets[i + 1] - begin;
  for (std::size_t r = 0; r < k; ++r)
    for (std::size_t q = 0; q <= r; ++q)
      *g++ += block_dot(block_row(blk.x, static_cast<std::size_t>(layout_.feature[begin + r])),
                        block_row(blk.x, static_cast<std::size_t>(layout_.feature[begin + q])), blk.count);
}

void SampleSums::add_second_pass(const SampleBlock& blk, TrialSums& t, std::vector<GroupSums>& group_sums) const {
  const std::size_t count = blk.count;
  for (std::size_t j = 0; j < groups_.grouped().size(); ++j) {
    const FeatureGroup& fg = groups_.grouped()[j];
    const std::uint32_t* id = &blk.ids[j * kSampleBlock];
    const double* xi = block_row(blk.mixed, fg.node);
    GroupSums* sums = &group_sums[fg.first_sum];
    if (count == 0) continue;
    std::uint32_t current = id[0];  // runs of one group in registers, as add_first_pass
    double mixed = sums[current].mixed_learned;
    for (std::size_t s = 0; s < count; ++s) {
      if (id[s] != current) {
        sums[current].mixed_learned = mixed;
        current = id[s];
        mixed = sums[current].mixed_learned;
      }
      mixed += xi[s];
    }
    sums[current].mixed_learned = mixed;
  }
  for (const std::size_t i : groups_.direct_nodes()) {
    const std::size_t begin = layout_.offsets[i], k = layout_.offsets[i + 1] - begin;
    const double* xi = block_row(blk.mixed, i);
    for (std::size_t r = 0; r < k; ++r)
      t.params.sg_learned[begin + r] +=
          block_dot(xi, block_row(blk.x, static_cast<std::size_t>(layout_.feature[begin + r])), count);
  }
}

void SampleSums::reduce_first_pass(TrialSums& t, const std::vector<GroupSums>& group_sums) const {
  for (const FeatureGroup& fg : groups_.grouped()) {
    const std::size_t begin = layout_.offsets[fg.node];
    for (std::size_t g = 0; g < fg.count; ++g) {
      const GroupSums& sum = group_sums[fg.first_sum + g];
      if (sum.count == 0.0) continue;
      const double* f = groups_.features(fg, g);
      add_scaled(&t.params.bp[begin], sum.m, f, fg.k);
      add_scaled(&t.params.sg_exact[begin], sum.mixed_exact, f, fg.k);
      if (!t.gram.empty()) add_gram(&t.gram[gram_offset_[fg.node]], f, sum.count, fg.k);
    }
  }
}

void SampleSums::reduce_second_pass(TrialSums& t, const std::vector<GroupSums>& group_sums) const {
  for (const FeatureGroup& fg : groups_.grouped()) {
    const std::size_t begin = layout_.offsets[fg.node];
    for (std::size_t g = 0; g < fg.count; ++g) {
      const GroupSums& sum = group_sums[fg.first_sum + g];
      if (sum.count == 0.0) continue;
      add_scaled(&t.params.sg_learned[begin], sum.mixed_learned, groups_.features(fg, g), fg.k);
    }
  }
}

// Minimum-norm least-squares solution when o_c is collinear (THEORY.md §7, learned).
void SampleSums::fit_least_squares(TrialSums& t, std::vector<GroupSums>& group_sums) const {
  const std::size_t n = layout_.offsets.size() - 1;
  for (std::size_t c = 0; c < n; ++c) {
    const auto k = static_cast<Eigen::Index>(layout_.offsets[c + 1] - layout_.offsets[c]);
    if (k == 0) continue;
    Eigen::MatrixXd lower = Eigen::MatrixXd::Zero(k, k);
    Eigen::VectorXd b(k);
    const double* g = &t.gram[gram_offset_[c]];
    for (Eigen::Index i = 0; i < k; ++i) {
      b[i] = t.params.bp[layout_.offsets[c] + static_cast<std::size_t>(i)];
      for (Eigen::Index q = 0; q <= i; ++q) lower(i, q) = *g++;
    }
    Eigen::MatrixXd full = lower.selfadjointView<Eigen::Lower>();
    const Eigen::VectorXd solution = stats::minimum_norm_solve(full, b);
    for (Eigen::Index i = 0; i < k; ++i) t.beta[layout_.offsets[c] + static_cast<std::size_t>(i)] = solution[i];
  }
  // β_i · f_i at every visited feature group, as predict_linear.
  for (const FeatureGroup& fg : groups_.grouped()) {
    const double* bc = &t.beta[layout_.offsets[fg.node]];
    for (std::size_t g = 0; g < fg.count; ++g) {
      GroupSums& sum = group_sums[fg.first_sum + g];
      if (sum.count == 0.0) continue;
      const double* f = groups_.features(fg, g);
      double s = 0.0;
      for (std::size_t r = 0; r < fg.k; ++r) s += bc[r] * f[r];
      sum.prediction = s;
    }
  }
}

void SampleSums::least_squares_predictions(const TrialSums& t, const std::vector<GroupSums>& group_sums,
                                           SampleBlock& blk) const {
  const std::size_t count = blk.count;
  for (std::size_t j = 0; j < groups_.grouped().size(); ++j) {
    const FeatureGroup& fg = groups_.grouped()[j];
    const std::uint32_t* id = &blk.ids[j * kSampleBlock];
    const GroupSums* sums = &group_sums[fg.first_sum];
    double* p = block_row(blk.prediction, fg.node);
    for (std::size_t s = 0; s < count; ++s) p[s] = sums[id[s]].prediction;
  }
  for (const std::size_t c : groups_.direct_nodes()) {  // β_c · f_c: s = 0, s += β_r f_r in order
    const std::size_t begin = layout_.offsets[c], k = layout_.offsets[c + 1] - begin;
    double* p = block_row(blk.prediction, c);
    for (std::size_t s = 0; s < count; ++s) p[s] = 0.0;
    for (std::size_t r = 0; r < k; ++r) {
      const double beta = t.beta[begin + r];
      const double* f = block_row(blk.x, static_cast<std::size_t>(layout_.feature[begin + r]));
      for (std::size_t s = 0; s < count; ++s) p[s] += beta * f[s];
    }
  }
}

}  // namespace sglab::dag::detail
