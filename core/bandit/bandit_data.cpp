#include "core/bandit/bandit_data.hpp"

#include <cmath>
#include <numeric>

#include "core/bandit/bandit_streams.hpp"
#include "core/rng/counter_rng.hpp"
#include "core/util/error.hpp"

namespace sglab::bandit {

BanditData split_digits(const DigitsData& digits, const std::vector<int>& classes, double eval_fraction,
                        std::uint64_t seed) {
  std::vector<int> action_of(10, -1);
  for (std::size_t i = 0; i < classes.size(); ++i) action_of[static_cast<std::size_t>(classes[i])] = static_cast<int>(i);
  std::vector<int> kept;
  for (int r = 0; r < static_cast<int>(digits.labels.size()); ++r)
    if (action_of[static_cast<std::size_t>(digits.labels[static_cast<std::size_t>(r)])] >= 0) kept.push_back(r);
  // Fisher–Yates with the run's data stream: the split is a function of the seed alone.
  rng::StreamReader stream(seed, rng::make_stream(kStreamDataSplit, {}));
  for (int i = static_cast<int>(kept.size()) - 1; i > 0; --i)
    std::swap(kept[static_cast<std::size_t>(i)], kept[stream.next_below(static_cast<std::uint32_t>(i + 1))]);
  const int n_eval = static_cast<int>(std::lround(eval_fraction * static_cast<double>(kept.size())));
  if (n_eval < 1 || n_eval >= static_cast<int>(kept.size()))
    throw Error("bandit.eval_fraction: leaves an empty train or eval split of " + std::to_string(kept.size()) +
                " images");
  BanditData data;
  data.num_actions = static_cast<int>(classes.size());
  data.input_dim = static_cast<int>(digits.pixels.cols());
  auto fill = [&](ContextPool& pool, int begin, int end) {
    pool.x.resize(end - begin, data.input_dim);
    pool.label.resize(static_cast<std::size_t>(end - begin));
    for (int i = begin; i < end; ++i) {
      const int r = kept[static_cast<std::size_t>(i)];
      pool.x.row(i - begin) = digits.pixels.row(r) / 16.0;
      pool.label[static_cast<std::size_t>(i - begin)] = action_of[static_cast<std::size_t>(digits.labels[static_cast<std::size_t>(r)])];
    }
  };
  fill(data.eval, 0, n_eval);
  fill(data.train, n_eval, static_cast<int>(kept.size()));
  return data;
}

BanditData make_synthetic_data(int features, int actions, double difficulty, int train_size, int eval_size,
                               std::uint64_t seed) {
  Eigen::MatrixXd teacher(actions, features);
  rng::StreamReader teacher_stream(seed, rng::make_stream(kStreamSyntheticTeacher, {}));
  for (int a = 0; a < actions; ++a)
    for (int f = 0; f < features; ++f) teacher(a, f) = teacher_stream.next_normal();
  teacher /= std::sqrt(static_cast<double>(features));
  BanditData data;
  data.num_actions = actions;
  data.input_dim = features;
  auto fill = [&](ContextPool& pool, int size, std::uint64_t which) {
    rng::StreamReader stream(seed, rng::make_stream(kStreamSyntheticContexts, {which}));
    pool.x.resize(size, features);
    pool.label.resize(static_cast<std::size_t>(size));
    for (int i = 0; i < size; ++i) {
      for (int f = 0; f < features; ++f) pool.x(i, f) = (stream.next_word() & 1u) ? 1.0 : -1.0;
      Eigen::VectorXd score = teacher * pool.x.row(i).transpose();
      for (int a = 0; a < actions; ++a) score(a) += difficulty * stream.next_normal();
      Eigen::Index best = 0;
      score.maxCoeff(&best);
      pool.label[static_cast<std::size_t>(i)] = static_cast<int>(best);
    }
  };
  fill(data.train, train_size, 0);
  fill(data.eval, eval_size, 1);
  return data;
}

}  // namespace sglab::bandit
