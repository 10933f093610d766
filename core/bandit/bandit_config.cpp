#include "core/bandit/bandit_config.hpp"

#include <cmath>
#include <set>
#include <sstream>

#include "core/util/error.hpp"

namespace sglab::bandit {

namespace {

constexpr int kDigitPixels = 64;  // 8×8 digits

template <typename T>
std::string fmt(T v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

template <typename T>
void check_range(const std::string& key, T value, T lo, T hi) {
  const bool finite = std::isfinite(static_cast<double>(value));
  if (!finite || value < lo || value > hi)
    throw Error(key + ": " + fmt(value) + " is outside [" + fmt(lo) + ", " + fmt(hi) + "]");
}

void check_list_size(const std::string& key, std::size_t n) {
  if (n < 1 || n > static_cast<std::size_t>(BanditLimits::kMaxSweepValues))
    throw Error(key + ": needs 1 to " + fmt(BanditLimits::kMaxSweepValues) + " values, got " + fmt(n));
}

}  // namespace

std::string method_name(Method m) {
  switch (m) {
    case Method::kBackprop: return "bp";
    case Method::kSgFixed: return "sg-fixed";
    case Method::kSgAdaptive: return "sg-adaptive";
    case Method::kMlp: return "mlp";
  }
  return "?";
}

std::vector<std::string> all_method_names() { return {"bp", "sg-fixed", "sg-adaptive", "mlp"}; }

Method parse_method(const std::string& name, const std::string& where) {
  for (Method m : {Method::kBackprop, Method::kSgFixed, Method::kSgAdaptive, Method::kMlp})
    if (method_name(m) == name) return m;
  throw Error(where + ": unknown method \"" + name + "\" (allowed: bp, sg-fixed, sg-adaptive, mlp)");
}

int input_dim(const BanditConfig& c) { return c.data == DataSource::kDigits ? kDigitPixels : c.synthetic_features; }

int num_actions(const BanditConfig& c) {
  return c.data == DataSource::kDigits ? static_cast<int>(c.classes.size()) : c.synthetic_actions;
}

void validate(const BanditConfig& c, const std::string& p) {
  using L = BanditLimits;
  const std::string k = p + ".";
  check_range(k + "n_dim", c.n_dim, L::kMinNDim, L::kMaxNDim);
  check_range(k + "layers", c.layers, L::kMinLayers, L::kMaxLayers);
  check_range(k + "width", c.width, L::kMinWidth, L::kMaxWidth);
  check_range(k + "slots", c.slots, L::kMinSlots, L::kMaxSlots);
  check_range(k + "mlp_width", c.mlp_width, L::kMinMlpWidth, L::kMaxMlpWidth);
  check_range(k + "steps", c.steps, L::kMinSteps, L::kMaxSteps);
  check_range(k + "batch_size", c.batch_size, L::kMinBatch, L::kMaxBatch);
  check_range(k + "eval_points", c.eval_points, L::kMinEvalPoints, L::kMaxEvalPoints);
  check_range(k + "eval_contexts", c.eval_contexts, L::kMinEvalContexts, L::kMaxEvalContexts);
  for (const auto& [name, lr] : {std::pair<const char*, double>{"policy_lr_sg", c.policy_lr_sg},
                                 {"policy_lr_bp", c.policy_lr_bp},
                                 {"policy_lr_mlp", c.policy_lr_mlp},
                                 {"predictor_lr", c.predictor_lr}})
    check_range(k + name, lr, L::kMinLearningRate, L::kMaxLearningRate);
  check_range(k + "fixed_lambda", c.fixed_lambda, L::kMinLambda, L::kMaxLambda);
  check_range(k + "initial_lambda", c.initial_lambda, L::kMinLambda, L::kMaxLambda);
  check_range(k + "momentum", c.momentum, L::kMinMomentum, L::kMaxMomentum);
  check_range(k + "predictor_init_scale", c.predictor_init_scale, L::kMinInitScale, L::kMaxInitScale);
  check_range(k + "seeds", c.seeds, L::kMinSeeds, L::kMaxSeeds);
  check_range(k + "first_seed", c.first_seed, L::kMinSeed, L::kMaxSeed - c.seeds + 1);
  check_range(k + "eval_fraction", c.eval_fraction, L::kMinEvalFraction, L::kMaxEvalFraction);
  check_range(k + "synthetic_features", c.synthetic_features, L::kMinSyntheticFeatures, L::kMaxSyntheticFeatures);
  check_range(k + "synthetic_actions", c.synthetic_actions, L::kMinActions, L::kMaxActions);
  check_range(k + "difficulty", c.difficulty, L::kMinDifficulty, L::kMaxDifficulty);
  check_range(k + "synthetic_train", c.synthetic_train, L::kMinSyntheticContexts, L::kMaxSyntheticContexts);
  check_range(k + "synthetic_eval", c.synthetic_eval, L::kMinSyntheticContexts, L::kMaxSyntheticContexts);

  check_list_size(k + "p_flip", c.p_flip.size());
  for (double v : c.p_flip) check_range(k + "p_flip", v, L::kMinPFlip, L::kMaxPFlip);
  check_list_size(k + "num_parents", c.num_parents.size());
  for (int v : c.num_parents) {
    check_range(k + "num_parents", v, L::kMinParents, std::min(L::kMaxParents, c.width));
    if (c.n_dim * v > input_dim(c))
      throw Error(k + "num_parents: the first layer reads n_dim*num_parents = " + fmt(c.n_dim * v) +
                  " distinct pixels but the contexts have only " + fmt(input_dim(c)) +
                  " (lower n_dim or num_parents)");
  }
  if (!c.policy_lr.empty()) {
    check_list_size(k + "policy_lr", c.policy_lr.size());
    for (double v : c.policy_lr) check_range(k + "policy_lr", v, L::kMinLearningRate, L::kMaxLearningRate);
  }
  check_list_size(k + "methods", c.methods.size());
  std::set<Method> seen(c.methods.begin(), c.methods.end());
  if (seen.size() != c.methods.size()) throw Error(k + "methods: a method is listed twice");
  if (c.data == DataSource::kDigits) {
    if (c.classes.size() < static_cast<std::size_t>(L::kMinActions))
      throw Error(k + "classes: needs at least 2 distinct digit classes");
    std::set<int> cls;
    for (int v : c.classes) {
      check_range(k + "classes", v, L::kMinClass, L::kMaxClass);
      if (!cls.insert(v).second) throw Error(k + "classes: digit " + fmt(v) + " is listed twice");
    }
  }
}

void apply_paper_scale(BanditConfig& c) {
  c.n_dim = 10;
  c.layers = 5;
  c.width = 200;
  c.slots = 5;
  c.num_parents = {5};
  c.mlp_width = 745;
  c.steps = 1500;
  c.batch_size = 64;
  c.eval_points = 20;
  c.eval_contexts = 4000;
  c.policy_lr_sg = 5e-3;
  c.policy_lr_bp = 1e-3;
  c.policy_lr_mlp = 2e-5;
  c.predictor_lr = 5e-3;
}

}  // namespace sglab::bandit
