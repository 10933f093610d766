#pragma once
// The bandit lab's one typed configuration (THEORY.md §8, issue 9) and the one
// place every limit lives: core validation, the JSON codec and the CLI's
// CLI::Range checks all read BanditLimits.

#include <cstdint>
#include <string>
#include <vector>

namespace sglab::bandit {

/// The ways a policy is trained; every run of a session is one method × one seed × one sweep point.
enum class Method { kBackprop, kSgFixed, kSgAdaptive, kMlp };

std::string method_name(Method m);  ///< "bp", "sg-fixed", "sg-adaptive", "mlp"
Method parse_method(const std::string& name, const std::string& where);  ///< throws sglab::Error naming `where`
std::vector<std::string> all_method_names();

/// Limits of every knob. Sizes are capped so that one run fits in memory and
/// a typo cannot ask for hours of work; the paper's sizes sit well inside them.
struct BanditLimits {
  static constexpr int kMinNDim = 1, kMaxNDim = 64;
  static constexpr int kMinLayers = 1, kMaxLayers = 16;
  static constexpr int kMinWidth = 1, kMaxWidth = 1024;
  static constexpr int kMinSlots = 1, kMaxSlots = 32;
  static constexpr int kMinParents = 1, kMaxParents = 64;  ///< also ≤ width, and n_dim·parents ≤ input pixels
  static constexpr int kMinMlpWidth = 1, kMaxMlpWidth = 4096;
  static constexpr std::int64_t kMinSteps = 1, kMaxSteps = 1000000;
  static constexpr int kMinBatch = 2, kMaxBatch = 4096;  ///< ≥ 2: the adaptive λ needs a sample covariance
  static constexpr int kMinEvalPoints = 1, kMaxEvalPoints = 1000;
  static constexpr int kMinEvalContexts = 1, kMaxEvalContexts = 100000;
  static constexpr double kMinLearningRate = 0.0, kMaxLearningRate = 10.0;
  static constexpr double kMinPFlip = 0.0, kMaxPFlip = 1.0;
  static constexpr double kMinLambda = 0.0, kMaxLambda = 1.0;
  static constexpr double kMinMomentum = 0.0, kMaxMomentum = 1.0;
  static constexpr double kMinInitScale = 0.0, kMaxInitScale = 10.0;
  static constexpr int kMinSeeds = 1, kMaxSeeds = 1000;
  static constexpr std::int64_t kMinSeed = 0, kMaxSeed = 4294967295LL;
  static constexpr int kMaxSweepValues = 64;  ///< entries of each sweep list
  static constexpr double kMinEvalFraction = 0.05, kMaxEvalFraction = 0.95;
  static constexpr int kMinSyntheticFeatures = 1, kMaxSyntheticFeatures = 4096;
  static constexpr int kMinActions = 2, kMaxActions = 64;
  static constexpr int kMinSyntheticContexts = 16, kMaxSyntheticContexts = 1000000;
  static constexpr double kMinDifficulty = 0.0, kMaxDifficulty = 10.0;
  static constexpr int kMinClass = 0, kMaxClass = 9;  ///< digit classes
  // The app's sliders stop lower on purpose: a slider's travel must stay fine
  // enough to pick a value, and a live run must finish in minutes on a laptop
  // (a scenario file or the CLI may still ask for the full ranges above).
  static constexpr int kMaxLayersInteractive = 8;
  static constexpr int kMaxWidthInteractive = 256;
  static constexpr int kMaxBatchInteractive = 512;
  static constexpr std::int64_t kMaxStepsInteractive = 20000;
  static constexpr int kMaxSeedsInteractive = 16;
  static constexpr int kMaxEvalPointsInteractive = 100;
  static constexpr int kMaxSyntheticFeaturesInteractive = 256;
  static constexpr double kMinLearningRateInteractive = 1e-5;  ///< > 0: the slider is logarithmic
  static constexpr double kMaxLearningRateInteractive = 0.1;
};

/// The data a run draws its contexts from.
enum class DataSource { kDigits, kSynthetic };

struct BanditConfig {
  // --- data (THEORY.md §8 "This project's data") ---
  DataSource data = DataSource::kDigits;
  std::string digits_path;                      ///< empty: search the Debian python3-sklearn paths
  std::vector<int> classes{0, 1, 3, 4, 5, 6, 7, 8, 9};  ///< kept digit classes (paper); action i = classes[i]
  double eval_fraction = 0.25;                  ///< held-out share of the digits, split by seed
  int synthetic_features = 64;                  ///< ±1 features of a synthetic context
  int synthetic_actions = 9;
  double difficulty = 0.5;                      ///< teacher noise scale: 0 = labels a deterministic teacher's argmax
  int synthetic_train = 4096;
  int synthetic_eval = 1024;

  // --- environment ---
  std::vector<double> p_flip{0.4};              ///< sweep: reward flip probability (A.1)

  // --- SparseNet policy (small live default; --paper-scale sets the paper's) ---
  int n_dim = 4;
  int layers = 3;
  int width = 16;
  int slots = 3;
  std::vector<int> num_parents{3};              ///< sweep
  bool residual = true;                         ///< paper's sweeps: on for SparseNet
  int mlp_width = 64;                           ///< dense baseline (paper: 745), tanh, no residual

  // --- optimisation (Adam) ---
  std::int64_t steps = 600;
  int batch_size = 64;
  std::vector<double> policy_lr;                ///< sweep; empty: each method's own default below
  double policy_lr_sg = 5e-3;
  double policy_lr_bp = 1e-3;
  double policy_lr_mlp = 1e-3;                  ///< paper: 2e-5 at width 745 on MNIST
  double predictor_lr = 5e-3;
  /// Predictor initial weights ~ N(0, (scale²)/(nP)); 1 = the paper's. Beyond the paper: 0 starts
  /// every synthetic gradient at zero (at 1 they start ~100x larger than the true gradients).
  double predictor_init_scale = 1.0;
  double fixed_lambda = 0.1;                    ///< λ of sg-fixed (paper's θ = 0.9)
  double initial_lambda = 0.1;                  ///< starting λ of sg-adaptive (paper's θ init 0.9)
  double momentum = 0.9;                        ///< adaptive-λ momentum; 1 freezes λ

  // --- evaluation ---
  int eval_points = 20;                         ///< evenly spaced steps, as the paper's linspace(1, T, 20)
  int eval_contexts = 1000;                     ///< paper: 4,000

  // --- runs ---
  std::vector<Method> methods{Method::kBackprop, Method::kSgFixed, Method::kSgAdaptive};
  int seeds = 1;                                ///< seeds first_seed .. first_seed + seeds − 1
  std::int64_t first_seed = 0;
};

/// Throws sglab::Error naming the first out-of-range field (`path`.key) and its range.
void validate(const BanditConfig& config, const std::string& path = "bandit");

/// The paper's sizes (Appendix H.3, run_sweeps.sh): n_dim 10, L 5, width 200,
/// slots 5, parents 5, MLP width 745, 1,500 steps, 4,000 eval contexts.
void apply_paper_scale(BanditConfig& config);

/// Number of distinct context pixels / features for the chosen data.
int input_dim(const BanditConfig& config);
int num_actions(const BanditConfig& config);

}  // namespace sglab::bandit
