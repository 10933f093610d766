#include "core/bandit/bandit_run.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/bandit/neuron_lambda.hpp"
#include "core/bandit/sparse_net_backward.hpp"
#include "core/dynamics/adaptive_lambda.hpp"

namespace sglab::bandit {

namespace {

// Eval contexts per forward pass: the training batch's size at the defaults, so
// the step's activation buffers serve (paper scale: ~40 MB, not 300 MB per chunk).
constexpr int kEvalChunk = 64;
const double kNaN = std::numeric_limits<double>::quiet_NaN();

RowMatrix gather_rows(const ContextPool& pool, const std::vector<int>& rows, std::vector<int>& labels) {
  RowMatrix x(static_cast<Eigen::Index>(rows.size()), pool.x.cols());
  labels.resize(rows.size());
  for (std::size_t b = 0; b < rows.size(); ++b) {
    x.row(static_cast<Eigen::Index>(b)) = pool.x.row(rows[b]);
    labels[b] = pool.label[static_cast<std::size_t>(rows[b])];
  }
  return x;
}

// Pad entries of a gradient block are zero, so the block's norm is the batch's.
double frobenius(const LayerGrad& block) {
  double s = 0.0;
  for (double v : block) s += v * v;
  return std::sqrt(s);
}

}  // namespace

std::vector<std::int64_t> evaluation_steps(std::int64_t steps, int points) {
  std::vector<std::int64_t> out;
  for (int k = 0; k < points; ++k) {
    const std::int64_t s =
        points == 1 ? steps
                    : 1 + static_cast<std::int64_t>(std::floor(static_cast<double>(k) * static_cast<double>(steps - 1) /
                                                               static_cast<double>(points - 1)));
    if (out.empty() || s > out.back()) out.push_back(s);
  }
  return out;
}

BanditRun::BanditRun(const BanditConfig& config, const BanditRunSpec& spec, std::shared_ptr<const BanditData> data)
    : config_(config), spec_(spec), data_(std::move(data)) {
  if (spec_.method == Method::kMlp) {
    mlp_.emplace(data_->input_dim, config_.mlp_width, config_.layers, data_->num_actions, spec_.seed);
    policy_adam_.emplace(mlp_->params().size(), spec_.policy_lr);
  } else {
    SparseNetShape shape;
    shape.input_dim = data_->input_dim;
    shape.n_dim = config_.n_dim;
    shape.layers = config_.layers;
    shape.width = config_.width;
    shape.slots = config_.slots;
    shape.parents = spec_.num_parents;
    shape.actions = data_->num_actions;
    shape.residual = config_.residual;
    net_.emplace(shape, spec_.seed);
    policy_adam_.emplace(net_->params().size(), spec_.policy_lr);
    const double start = spec_.method == Method::kSgFixed      ? config_.fixed_lambda
                         : spec_.method == Method::kSgAdaptive ? config_.initial_lambda
                                                               : 0.0;
    lambda_.assign(static_cast<std::size_t>(config_.layers), std::vector<double>(static_cast<std::size_t>(config_.width), start));
    if (uses_predictors()) {
      predictors_.emplace(shape, spec_.seed, config_.predictor_init_scale);
      predictor_adam_.emplace(predictors_->params().size(), config_.predictor_lr);
    }
  }
  eval_steps_ = evaluation_steps(config_.steps, config_.eval_points);
}

const Eigen::VectorXd& BanditRun::policy_params() const { return net_ ? net_->params() : mlp_->params(); }

void BanditRun::step(int threads) {
  if (finished()) return;
  const std::int64_t step_no = steps_done_ + 1;
  const BatchDraw draw = draw_batch(spec_.seed, step_no, config_.batch_size, data_->train.size());
  std::vector<int> labels;
  const RowMatrix x = gather_rows(data_->train, draw.rows, labels);
  StepDiagnostics diag;
  if (net_) sparse_step(x, labels, draw, threads, diag);
  else mlp_step(x, labels, draw, diag);
  steps_done_ = step_no;

  const auto due = std::find(eval_steps_.begin(), eval_steps_.end(), step_no);
  if (due == eval_steps_.end()) return;
  BanditEvalRecord rec;
  rec.step = step_no;
  rec.samples_seen = step_no * config_.batch_size;
  rec.eval_reward = evaluate(static_cast<int>(due - eval_steps_.begin()), threads);
  for (int l = 0; l < config_.layers; ++l) {
    double mean = kNaN;
    if (net_) {
      mean = 0.0;
      for (double v : lambda_[static_cast<std::size_t>(l)]) mean += v;
      mean /= static_cast<double>(config_.width);
    }
    rec.lambda.push_back(mean);
  }
  rec.true_grad_norm = diag.true_norm;
  rec.synthetic_grad_norm = diag.synthetic_norm;
  records_.push_back(std::move(rec));
}

void BanditRun::train_predictors(const Eigen::MatrixXd& g_logits, int threads) {
  // Bootstrapped targets (trainers.py train_sg_phase): the target of layer l
  // is the gradient arriving at h_l when every layer above mixes in its
  // (pre-update) synthetic gradient with its current λ.
  const int L = config_.layers, W = config_.width, n = config_.n_dim;
  const auto rows = static_cast<std::size_t>(n) * static_cast<std::size_t>(forward_.stride);  // one neuron's block
  std::vector<LayerGrad>& target = predictor_targets_;
  target.resize(static_cast<std::size_t>(L));
  backward_action_layer(*net_, forward_, g_logits, nullptr, target[static_cast<std::size_t>(L - 1)]);
  // The predictions of layers ≥ 1 made here serve the predictor loss below too
  // (same parameters, same batch): each is computed once per step.
  predictions_.resize(static_cast<std::size_t>(L));
  for (int l = L - 1; l > 0; --l) {
    const LayerGrad& g = target[static_cast<std::size_t>(l)];
    LayerGrad& hat = predictions_[static_cast<std::size_t>(l)];
    hat.resize(g.size());
    mixed_.resize(g.size());
    for_each_index(W, threads, [&](int j) {
      const auto sj = static_cast<std::size_t>(j);
      double* out = mixed_.data() + sj * rows;
      double* pj = hat.data() + sj * rows;
      predictors_->predict(*net_, forward_, l, j, pj);
      const double lam = lambda_[static_cast<std::size_t>(l)][sj];
      const double* gj = g.data() + sj * rows;
      for (std::size_t i = 0; i < rows; ++i) out[i] = (1.0 - lam) * gj[i] + lam * pj[i];
    });
    backward_hidden_layer(*net_, forward_, l, mixed_, nullptr, &target[static_cast<std::size_t>(l - 1)], threads);
  }
  if (predictor_grad_.size() != predictors_->params().size()) predictor_grad_.setZero(predictors_->params().size());
  for (int l = 0; l < L; ++l)
    for_each_index(W, threads, [&](int j) {
      const double* known = l > 0 ? predictions_[static_cast<std::size_t>(l)].data() + static_cast<std::size_t>(j) * rows
                                  : nullptr;
      predictors_->accumulate_gradient(*net_, forward_, l, j,
                                       target[static_cast<std::size_t>(l)].data() + static_cast<std::size_t>(j) * rows,
                                       predictor_grad_, known);
    });
  // Deviation: the paper also trains an action-layer predictor, but its sweeps never
  // mix it in (mix_action_layer_gradient off), so it cannot change the policy; we omit it.
  predictor_adam_->step_and_clear(predictors_->params(), predictor_grad_, threads);
}

void BanditRun::sparse_step(const RowMatrix& x, const std::vector<int>& labels, const BatchDraw& draw, int threads,
                            StepDiagnostics& diag) {
  const int L = config_.layers, W = config_.width, n = config_.n_dim;
  net_->forward(x, forward_, threads);
  const Eigen::MatrixXd probs = softmax_rows(forward_.logits);
  const std::vector<int> actions = sample_actions(probs, draw.action_u);
  const std::vector<double> rewards = noisy_rewards(actions, labels, draw.flip_u, spec_.p_flip);
  const Eigen::MatrixXd g_logits = reinforce_logit_gradient(probs, actions, rewards);
  if (uses_predictors()) train_predictors(g_logits, threads);  // policy unchanged: forward_ still holds

  const auto rows = static_cast<std::size_t>(n) * static_cast<std::size_t>(forward_.stride);
  // Zero once; afterwards Adam clears it as it reads it (Adam::step_and_clear):
  // a separate memset of the 10 MB paper-scale gradient ran on one thread.
  if (policy_grad_.size() != net_->params().size()) policy_grad_.setZero(net_->params().size());
  LayerGrad& g = layer_grad_;
  backward_action_layer(*net_, forward_, g_logits, &policy_grad_, g);
  diag.true_norm.assign(static_cast<std::size_t>(L), kNaN);
  diag.synthetic_norm.assign(static_cast<std::size_t>(L), kNaN);
  const bool adaptive = spec_.method == Method::kSgAdaptive;
  for (int l = L - 1; l >= 0; --l) {
    diag.true_norm[static_cast<std::size_t>(l)] = frobenius(g);
    const LayerGrad* mixed = &g;
    if (uses_predictors()) {
      synthetic_.resize(g.size());
      mixed_.resize(g.size());
      std::vector<double>& lam = lambda_[static_cast<std::size_t>(l)];
      for_each_index(W, threads, [&](int j) {
        const auto sj = static_cast<std::size_t>(j);
        double* hat = synthetic_.data() + sj * rows;
        double* mix = mixed_.data() + sj * rows;
        const double* gj = g.data() + sj * rows;
        predictors_->predict(*net_, forward_, l, j, hat);
        for (std::size_t i = 0; i < rows; ++i) mix[i] = (1.0 - lam[sj]) * gj[i] + lam[sj] * hat[i];  // old λ, then update
        if (adaptive) {
          const GradMoments m = neuron_grad_moments(*net_, forward_, l, j, gj, hat);
          const double batch_lambda = neuron_lambda_batch(m, config_.batch_size, lam[sj]);
          lam[sj] = dynamics::adaptive_lambda_update(lam[sj], batch_lambda, config_.momentum);
        }
      });
      diag.synthetic_norm[static_cast<std::size_t>(l)] = frobenius(synthetic_);
      mixed = &mixed_;
    }
    backward_hidden_layer(*net_, forward_, l, *mixed, &policy_grad_, l > 0 ? &layer_below_ : nullptr, threads);
    if (l > 0) std::swap(g, layer_below_);
  }
  policy_adam_->step_and_clear(net_->params(), policy_grad_, threads);
}

void BanditRun::mlp_step(const RowMatrix& x, const std::vector<int>& labels, const BatchDraw& draw,
                         StepDiagnostics& diag) {
  MlpForward f;
  mlp_->forward(x, f);
  const Eigen::MatrixXd probs = softmax_rows(f.logits);
  const std::vector<int> actions = sample_actions(probs, draw.action_u);
  const std::vector<double> rewards = noisy_rewards(actions, labels, draw.flip_u, spec_.p_flip);
  Eigen::VectorXd grad = Eigen::VectorXd::Zero(mlp_->params().size());
  mlp_->backward(x, f, reinforce_logit_gradient(probs, actions, rewards), grad, &diag.true_norm);
  diag.synthetic_norm.assign(static_cast<std::size_t>(config_.layers), kNaN);
  policy_adam_->step(mlp_->params(), grad);
}

double BanditRun::evaluate(int eval_index, int threads) {
  const BatchDraw draw = draw_eval(spec_.seed, eval_index, config_.eval_contexts, data_->eval.size());
  double total = 0.0;
  SparseForward& f = forward_;
  for (int begin = 0; begin < config_.eval_contexts; begin += kEvalChunk) {
    const int end = std::min(config_.eval_contexts, begin + kEvalChunk);
    const std::vector<int> rows(draw.rows.begin() + begin, draw.rows.begin() + end);
    const std::vector<double> u(draw.action_u.begin() + begin, draw.action_u.begin() + end);
    std::vector<int> labels;
    const RowMatrix x = gather_rows(data_->eval, rows, labels);
    Eigen::MatrixXd logits;
    if (net_) {
      net_->forward(x, f, threads, /*keep_for_backward=*/false);
      logits = f.logits;
    } else {
      MlpForward mf;
      mlp_->forward(x, mf);
      logits = mf.logits;
    }
    const std::vector<int> actions = sample_actions(softmax_rows(logits), u);
    for (std::size_t b = 0; b < actions.size(); ++b) total += actions[b] == labels[b] ? 1.0 : 0.0;
  }
  return total / static_cast<double>(config_.eval_contexts);
}

}  // namespace sglab::bandit
