#pragma once
// TrainConfig: the configuration of the mixing-dynamics lab (issue 5,
// THEORY.md §5), and the optional "train" object of a DAG scenario file.
//
// "train" is the mixing-dynamics lab's body of a scenario file (core/config/scenario.hpp):
//   {"schema":"sglab-scenario","version":1,"lab":"dynamics","name":..,"description":..,
//    "dag":{..}, "train":{..}}
// "train" schema (every key optional; unknown keys, wrong types and
// out-of-range values are errors naming the key, e.g. "train.momentum"; the
// ranges are TrainLimits'):
//   network: "dag" | "sparse40" | {"name": str, "dag": {..}}   ("dag") which network trains:
//            the file's "dag" body, the 40-node sparse reference net, or a spec of its own
//   steps: int in [1, 1e8]                    (1000)  SGD steps of each run
//   batch_size: int in [2, 65536]             (64)    B, samples per step
//   learning_rate: number in [0, 100]         (0.05)  SGD step on θ_i = (w_i, b_i)
//   predictor_learning_rate: number [0, 100]  (0.1)   SGD step on the predictors
//   fixed_lambda: number in [0, 1]            (unset = each node's λ from "dag")
//   initial_lambda: number in [0, 1]          (unset = the fixed run's λ)
//   momentum: number in [0, 1]                (0.9)   m of §5; 1 freezes λ
//   unit_normalise: bool                      (false) see below
//   seed: int in [0, 2^64 − 1]                (1)     the sample stream
//   record_every: int ≥ 1                     (1)     record steps s with s % record_every == 0
//   exact_every: int ≥ 0                      (0 = never) K: exact λ*(n = B) every K steps
//                                                    (a multiple of record_every)
//   exact_max_outcome_bits: int in [1, 22]    (16)    exact λ* only when the outcome space
//                                                    (inputs × masks × signs) has ≤ 2^bits outcomes
//   exact_predictor: "best-linear" | "oracle" ("best-linear") predictor used by the exact λ*
//   lambda_estimator: "paper" | "ratio" | "bias_corrected"  ("paper") which estimator's λ the adaptive run
//                                                    uses (lambda_estimator.hpp); every
//                                                    estimator is computed and recorded anyway
//   eval_every: int ≥ 0                       (0 = never) K: loss of each run on a fixed
//                                                    held-out set every K steps (a multiple
//                                                    of record_every)
//   eval_size: int in [1, 65536]              (1024)  samples of the held-out set, drawn once
//                                                    from the seed (train_batch.hpp)
//
// Unit normalisation (THEORY.md §5, last paragraph): the paper's code scales each
// sample's incoming node gradient (a vector per neuron) to unit length before
// forming parameter gradients. Our nodes are scalars, so unit length keeps only
// the sign. With the option on, every run replaces, per sample, the node-level
// scalars that multiply [x_pa(i), 1] — BP's m_i, SG's propagated part a_i and
// synthetic part b_i — by their signs (0 stays 0) in the parameter gradients and
// in the λ ingredients; the messages passed further down and the predictor
// targets stay unnormalised. Off by default: it changes what λ estimates (a
// sign-SGD variance, not the gradient MSE of eq 17–18), so the exact λ* is not
// its target any more.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "core/config/scenario.hpp"
#include "core/dag/dag_limits.hpp"
#include "core/dag/dag_spec.hpp"
#include "core/dynamics/lambda_estimator.hpp"

namespace sglab::dynamics {

/// The one source of the training settings' ranges: the "train" reader, the CLI's
/// flag checks and the app's widgets read these.
struct TrainLimits {
  static constexpr std::int64_t kMaxSteps = 100000000;
  /// The app's "steps in all" field stops here: the app keeps every recorded step
  /// in memory for its plots and scrub bar (files and the CLI take up to kMaxSteps).
  static constexpr std::int64_t kMaxStepsInteractive = 1000000;
  static constexpr int kMinBatch = 2;  ///< the sample covariance of §5 needs B ≥ 2
  static constexpr int kMaxBatch = 65536;
  /// The app's batch slider stops here: a frame trains steps-per-frame steps, and
  /// larger batches would stall the drawing (files and the CLI take up to kMaxBatch).
  static constexpr int kMaxBatchInteractive = 512;
  static constexpr double kMaxLearningRate = 100.0;
  /// The app's rate sliders (log scale) span [kMinRateInteractive, 1].
  static constexpr double kMinRateInteractive = 0.001;
  static constexpr double kMaxRateInteractive = 1.0;
  static constexpr int kMaxExactOutcomeBits = dag::DagLimits::kMaxExactOutcomeBits;
  static constexpr int kMaxEvalSize = 65536;
};

/// Which network the runs train ("train.network").
struct TrainNetwork {
  enum class Kind { kScenarioDag, kSparse40, kOwnSpec };
  Kind kind = Kind::kScenarioDag;
  std::string name;   ///< kOwnSpec: what the app lists it as (e.g. a preset's name)
  dag::DagSpec spec;  ///< kOwnSpec: the resolved network
  bool operator==(const TrainNetwork& o) const;
};

struct TrainConfig {
  std::int64_t steps = 1000;
  int batch_size = 64;
  double learning_rate = 0.05;
  double predictor_learning_rate = 0.1;
  std::optional<double> fixed_lambda;    ///< unset: each node's λ from the DAG spec
  std::optional<double> initial_lambda;  ///< unset: the fixed run's λ per node
  double momentum = 0.9;
  bool unit_normalise = false;
  std::uint64_t seed = 1;
  std::int64_t record_every = 1;
  std::int64_t exact_every = 0;          ///< 0: never compute the exact λ*
  int exact_max_outcome_bits = 16;
  dag::PredictorKind exact_predictor = dag::PredictorKind::best_linear;  ///< best_linear or oracle
  LambdaEstimator lambda_estimator = LambdaEstimator::paper;  ///< drives the adaptive run
  std::int64_t eval_every = 0;           ///< 0: no held-out loss
  int eval_size = 1024;
  TrainNetwork network;
};

/// Records kept at most (recorded steps × non-input nodes); beyond, raise record_every.
constexpr double kMaxRecordedNodeSteps = 2e7;

/// Checks ranges and cross-field rules; `path` prefixes messages ("train").
/// `node_count`: non-input nodes of the network (0 skips the memory check).
void validate_train_config(const TrainConfig& config, int node_count = 0, const std::string& path = "train");

/// Strict reading of a "train" object (throws sglab::Error naming the key).
TrainConfig train_config_from_json(const nlohmann::json& object, const std::string& path = "train");
/// Writes every field (optional λs only when set); from_json(to_json(c)) == c.
nlohmann::json train_config_to_json(const TrainConfig& config);

/// The "train" body of a scenario (defaults when it has none).
TrainConfig train_config_of(const config::Scenario& scenario);
/// The network config.network names, resolved against the scenario's "dag" body.
/// Throws sglab::Error when it names the "dag" body and the scenario has none.
dag::DagSpec training_network(const config::Scenario& scenario, const TrainConfig& config);

}  // namespace sglab::dynamics
