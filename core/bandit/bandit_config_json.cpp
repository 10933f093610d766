#include "core/bandit/bandit_config_json.hpp"

#include "core/config/json_reader.hpp"
#include "core/util/error.hpp"

namespace sglab::bandit {

namespace {

using L = BanditLimits;

std::vector<int> to_ints(const std::vector<std::int64_t>& v) { return {v.begin(), v.end()}; }
std::vector<std::int64_t> to_int64s(const std::vector<int>& v) { return {v.begin(), v.end()}; }

}  // namespace

BanditConfig bandit_config_from_json(const nlohmann::json& body, const std::string& path) {
  config::JsonObjectReader r(body, path);
  BanditConfig c;
  const BanditConfig d;  // defaults
  c.data = r.choice("data", "digits", {"digits", "synthetic"}) == "digits" ? DataSource::kDigits
                                                                           : DataSource::kSynthetic;
  c.digits_path = r.string("digits_path", d.digits_path);
  c.classes = to_ints(r.integer_list("classes", to_int64s(d.classes), L::kMinClass, L::kMaxClass));
  c.eval_fraction = r.number("eval_fraction", d.eval_fraction, L::kMinEvalFraction, L::kMaxEvalFraction);
  c.synthetic_features = static_cast<int>(
      r.integer("synthetic_features", d.synthetic_features, L::kMinSyntheticFeatures, L::kMaxSyntheticFeatures));
  c.synthetic_actions =
      static_cast<int>(r.integer("synthetic_actions", d.synthetic_actions, L::kMinActions, L::kMaxActions));
  c.difficulty = r.number("difficulty", d.difficulty, L::kMinDifficulty, L::kMaxDifficulty);
  c.synthetic_train = static_cast<int>(
      r.integer("synthetic_train", d.synthetic_train, L::kMinSyntheticContexts, L::kMaxSyntheticContexts));
  c.synthetic_eval = static_cast<int>(
      r.integer("synthetic_eval", d.synthetic_eval, L::kMinSyntheticContexts, L::kMaxSyntheticContexts));
  c.p_flip = r.number_list("p_flip", d.p_flip, L::kMinPFlip, L::kMaxPFlip);
  c.n_dim = static_cast<int>(r.integer("n_dim", d.n_dim, L::kMinNDim, L::kMaxNDim));
  c.layers = static_cast<int>(r.integer("layers", d.layers, L::kMinLayers, L::kMaxLayers));
  c.width = static_cast<int>(r.integer("width", d.width, L::kMinWidth, L::kMaxWidth));
  c.slots = static_cast<int>(r.integer("slots", d.slots, L::kMinSlots, L::kMaxSlots));
  c.num_parents = to_ints(r.integer_list("num_parents", to_int64s(d.num_parents), L::kMinParents, L::kMaxParents));
  c.residual = r.boolean("residual", d.residual);
  c.mlp_width = static_cast<int>(r.integer("mlp_width", d.mlp_width, L::kMinMlpWidth, L::kMaxMlpWidth));
  c.steps = r.integer("steps", d.steps, L::kMinSteps, L::kMaxSteps);
  c.batch_size = static_cast<int>(r.integer("batch_size", d.batch_size, L::kMinBatch, L::kMaxBatch));
  c.policy_lr = r.number_list("policy_lr", d.policy_lr, L::kMinLearningRate, L::kMaxLearningRate);
  c.policy_lr_sg = r.number("policy_lr_sg", d.policy_lr_sg, L::kMinLearningRate, L::kMaxLearningRate);
  c.policy_lr_bp = r.number("policy_lr_bp", d.policy_lr_bp, L::kMinLearningRate, L::kMaxLearningRate);
  c.policy_lr_mlp = r.number("policy_lr_mlp", d.policy_lr_mlp, L::kMinLearningRate, L::kMaxLearningRate);
  c.predictor_lr = r.number("predictor_lr", d.predictor_lr, L::kMinLearningRate, L::kMaxLearningRate);
  c.predictor_init_scale =
      r.number("predictor_init_scale", d.predictor_init_scale, L::kMinInitScale, L::kMaxInitScale);
  c.fixed_lambda = r.number("fixed_lambda", d.fixed_lambda, L::kMinLambda, L::kMaxLambda);
  c.initial_lambda = r.number("initial_lambda", d.initial_lambda, L::kMinLambda, L::kMaxLambda);
  c.momentum = r.number("momentum", d.momentum, L::kMinMomentum, L::kMaxMomentum);
  c.eval_points = static_cast<int>(r.integer("eval_points", d.eval_points, L::kMinEvalPoints, L::kMaxEvalPoints));
  c.eval_contexts =
      static_cast<int>(r.integer("eval_contexts", d.eval_contexts, L::kMinEvalContexts, L::kMaxEvalContexts));
  std::vector<std::string> default_methods;
  for (Method m : d.methods) default_methods.push_back(method_name(m));
  if (r.has("methods")) {
    const nlohmann::json& list = r.raw("methods");
    if (!list.is_array()) throw Error(r.child_path("methods") + ": must be a list of method names");
    c.methods.clear();
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string where = r.child_path("methods") + "[" + std::to_string(i) + "]";
      if (!list[i].is_string()) throw Error(where + ": must be a string");
      c.methods.push_back(parse_method(list[i].get<std::string>(), where));
    }
  }
  c.seeds = static_cast<int>(r.integer("seeds", d.seeds, L::kMinSeeds, L::kMaxSeeds));
  c.first_seed = r.integer("first_seed", d.first_seed, L::kMinSeed, L::kMaxSeed);
  r.finish();
  validate(c, path);
  return c;
}

nlohmann::json bandit_config_to_json(const BanditConfig& c) {
  nlohmann::json j;
  j["data"] = c.data == DataSource::kDigits ? "digits" : "synthetic";
  j["digits_path"] = c.digits_path;
  j["classes"] = c.classes;
  j["eval_fraction"] = c.eval_fraction;
  j["synthetic_features"] = c.synthetic_features;
  j["synthetic_actions"] = c.synthetic_actions;
  j["difficulty"] = c.difficulty;
  j["synthetic_train"] = c.synthetic_train;
  j["synthetic_eval"] = c.synthetic_eval;
  j["p_flip"] = c.p_flip;
  j["n_dim"] = c.n_dim;
  j["layers"] = c.layers;
  j["width"] = c.width;
  j["slots"] = c.slots;
  j["num_parents"] = c.num_parents;
  j["residual"] = c.residual;
  j["mlp_width"] = c.mlp_width;
  j["steps"] = c.steps;
  j["batch_size"] = c.batch_size;
  j["policy_lr"] = c.policy_lr;
  j["policy_lr_sg"] = c.policy_lr_sg;
  j["policy_lr_bp"] = c.policy_lr_bp;
  j["policy_lr_mlp"] = c.policy_lr_mlp;
  j["predictor_lr"] = c.predictor_lr;
  j["predictor_init_scale"] = c.predictor_init_scale;
  j["fixed_lambda"] = c.fixed_lambda;
  j["initial_lambda"] = c.initial_lambda;
  j["momentum"] = c.momentum;
  j["eval_points"] = c.eval_points;
  j["eval_contexts"] = c.eval_contexts;
  nlohmann::json methods = nlohmann::json::array();
  for (Method m : c.methods) methods.push_back(method_name(m));
  j["methods"] = methods;
  j["seeds"] = c.seeds;
  j["first_seed"] = c.first_seed;
  return j;
}

}  // namespace sglab::bandit
