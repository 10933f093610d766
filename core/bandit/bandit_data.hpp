#pragma once
// The contexts of one run: a training pool the bandit samples batches from and
// a held-out pool for evaluation, both with their classes re-indexed as actions
// 0..K−1 (THEORY.md §8 "Environment"). Digits are split by the run's seed;
// synthetic contexts come from a seeded teacher, so no data file is needed.

#include <Eigen/Dense>

#include <cstdint>
#include <string>
#include <vector>

#include "core/bandit/digits_reader.hpp"

namespace sglab::bandit {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct ContextPool {
  RowMatrix x;             ///< one context per row
  std::vector<int> label;  ///< its correct action
  int size() const { return static_cast<int>(label.size()); }
};

struct BanditData {
  ContextPool train;
  ContextPool eval;
  int num_actions = 0;
  int input_dim = 0;
};

/// Keeps the images of `classes` (action i = classes[i]), scales pixels by
/// 1/16 to [0, 1], shuffles them with `seed` and holds out `eval_fraction`.
BanditData split_digits(const DigitsData& digits, const std::vector<int>& classes, double eval_fraction,
                        std::uint64_t seed);

/// Synthetic contexts x ∈ {−1, +1}^features, uniform. A seeded teacher
/// T ~ N(0, 1)^{actions × features} labels x by argmax_k (T x / √features + difficulty·ξ_k),
/// with ξ ~ N(0, 1) drawn once per context: difficulty 0 is a clean linear
/// teacher, larger values blur the classes (the best policy's reward drops).
BanditData make_synthetic_data(int features, int actions, double difficulty, int train_size, int eval_size,
                               std::uint64_t seed);

}  // namespace sglab::bandit
