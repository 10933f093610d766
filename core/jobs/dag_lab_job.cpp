#include "core/jobs/dag_lab_job.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "core/dag/dag_generation.hpp"
#include "core/dag/dag_moments.hpp"
#include "core/util/error.hpp"

namespace sglab::jobs {

namespace {

constexpr int kNGridPoints = 61;  // n from 1 to 10^4, log-spaced
constexpr double kNGridMaxLog10 = 4.0;
constexpr int kLambdaGridPoints = 101;
// Sample sizes at which the conditions' verdicts quote λ*(n).
const std::vector<double> kVerdictNs = {1, 10, 100};

DagNodeCurves node_curves(const dag::DagNodeExact& node, const std::vector<double>& n_grid,
                          const std::vector<double>& lambda_grid, double n_lab) {
  DagNodeCurves c;
  c.node = node.node;
  c.terminal = node.terminal;
  c.mse_bp.reserve(n_grid.size());
  c.mse_sg.reserve(n_grid.size());
  for (double n : n_grid) {
    c.mse_bp.push_back(node.bp.mse(n));  // Lemma 1
    c.mse_sg.push_back(node.sg.mse(n));
  }
  c.mixing = node.mixing.applicable;
  if (c.mixing) {
    for (double n : n_grid)
      c.lambda_star.push_back(dag::lambda_star(node.mixing, node.mu, n).value);  // eq 18
    for (double l : lambda_grid)
      c.mse_lambda.push_back(dag::mixing_mse(node.mixing, node.mu, l, n_lab));  // eq 17
    c.star_at_n = dag::lambda_star(node.mixing, node.mu, n_lab);
  }
  c.crossover = dag::sg_bp_crossover(node.bp, node.sg);
  c.comparison = dag::compare_dag_node(node);
  c.mse_bp_at_n = node.bp.mse(n_lab);
  c.mse_sg_at_n = node.sg.mse(n_lab);
  const double scale = std::max(c.mse_bp_at_n, c.mse_sg_at_n);
  const double gap = c.mse_bp_at_n - c.mse_sg_at_n;
  c.winner_at_n = std::abs(gap) <= 1e-9 * scale + 1e-300 ? 0 : (gap > 0 ? 1 : -1);
  return c;
}

}  // namespace

int DagLabResult::index_of(int node) const {
  if (!analysis) return -1;
  for (std::size_t i = 0; i < analysis->nodes.size(); ++i)
    if (analysis->nodes[i].node == node) return static_cast<int>(i);
  return -1;
}

void compute_dag_lab(const DagLabRequest& request, std::uint64_t request_version, int threads,
                     const JobContext& context,
                     const std::function<void(std::shared_ptr<const DagLabResult>)>& publish) {
  const auto start = std::chrono::steady_clock::now();
  const auto elapsed = [&] {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
        .count();
  };
  auto result = std::make_shared<DagLabResult>();
  result->request = request;
  result->request_version = request_version;

  // ---- Stage 1: exact mode --------------------------------------------------------
  // Cancellation throws sglab::Cancelled out of the core (not an Error): nothing is published.
  const WorkControl exact_control = context.stage(0.0, request.sample_trials > 0 ? 0.3 : 1.0);
  try {
    result->resolved = dag::resolve_dag_spec(request.spec);
    auto network = std::make_shared<dag::DagNetwork>(dag::build_dag_network(result->resolved));
    dag::DagExactOptions options;
    options.threads = threads;
    options.control = &exact_control;
    auto analysis =
        std::make_shared<dag::DagExactAnalysis>(dag::analyze_dag_exact(*network, options));
    result->conditions = dag::assess_dag_conditions(*network, *analysis, kVerdictNs);
    result->network = std::move(network);
    result->analysis = std::move(analysis);
  } catch (const Error& e) {  // the spec is invalid or too large
    context.throw_if_cancelled();
    result->error = e.what();
    result->complete = true;
    result->elapsed_ms = elapsed();
    publish(result);
    return;
  }

  for (int i = 0; i < kNGridPoints; ++i)
    result->n_grid.push_back(std::pow(10.0, kNGridMaxLog10 * i / (kNGridPoints - 1)));
  for (int i = 0; i < kLambdaGridPoints; ++i)
    result->lambda_grid.push_back(static_cast<double>(i) / (kLambdaGridPoints - 1));
  for (const auto& node : result->analysis->nodes)
    result->curves.push_back(node_curves(node, result->n_grid, result->lambda_grid, request.n));
  result->stages_done = 1;
  result->complete = request.sample_trials <= 0;
  result->exact_ms = elapsed();
  result->elapsed_ms = result->exact_ms;
  context.throw_if_cancelled();
  publish(std::make_shared<const DagLabResult>(*result));
  if (result->complete) return;

  // ---- Stage 2: sample mode at a few n, reusing stage 1's exact analysis ----------
  const std::size_t points = request.sample_ns.size();
  for (std::size_t p = 0; p < points; ++p) {
    const double lo = 0.3 + 0.7 * static_cast<double>(p) / static_cast<double>(points);
    const double hi = 0.3 + 0.7 * static_cast<double>(p + 1) / static_cast<double>(points);
    const WorkControl control = context.stage(lo, hi);
    dag::DagSampleOptions options;
    options.samples_per_trial =
        static_cast<std::uint64_t>(std::max(1.0, std::round(request.sample_ns[p])));
    options.trials = request.sample_trials;
    options.threads = threads;
    options.control = &control;
    options.exact_analysis = result->analysis;
    dag::DagSampleResult sample = dag::run_dag_sample_mode(*result->network, options);
    result->samples.push_back({request.sample_ns[p], std::move(sample.nodes)});
  }
  result->stages_done = 2;
  result->complete = true;
  result->elapsed_ms = elapsed();
  context.throw_if_cancelled();
  publish(result);
}

}  // namespace sglab::jobs
