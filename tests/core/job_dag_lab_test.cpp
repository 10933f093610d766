// core/jobs, the DAG lab's job (THEORY.md §7), driven through the JobRunner as
// the lab drives it: every preset publishes the exact stage, then the sample
// stage; the numbers are the core's own (exact analysis, sample mode) whatever
// the thread count; a burst of edits ends with the newest; a bad spec becomes
// an error snapshot; cancelling publishes nothing more. Pure core.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <vector>

#include "core/labs/scenario_files.hpp"
#include "core/dag/dag_exact_analysis.hpp"
#include "core/dag/dag_generation.hpp"
#include "core/dag/dag_network.hpp"
#include "core/dag/dag_sample_mode.hpp"
#include "core/dag/dag_spec_json.hpp"
#include "core/jobs/dag_lab_job.hpp"
#include "core/jobs/job_runner.hpp"
#include "core/util/cancelled.hpp"

namespace sglab::jobs {
namespace {

using namespace std::chrono_literals;

const char* const kPresets[] = {"T1_dense_deterministic", "T2_noisy_feedback", "T3_stochastic_neurons",
                                "T4_imperfect_predictor", "T5_sparse"};

dag::DagSpec preset(const std::string& name) {
  return labs::load_dag_spec(std::string(SGLAB_SOURCE_DIR) + "/assets/presets/" + name + ".json");
}

// Posts one request on `runner`; every snapshot the job publishes lands in `out`.
std::uint64_t post(JobRunner& runner, const DagLabRequest& request, std::uint64_t version, int threads,
                   LatestSnapshot<DagLabResult>& latest, std::atomic<int>* publishes = nullptr) {
  return runner.post("dag", [request, version, threads, &latest, publishes](const JobContext& context) {
    compute_dag_lab(request, version, threads, context, [&](std::shared_ptr<const DagLabResult> r) {
      if (publishes != nullptr) publishes->fetch_add(1);
      latest.publish(std::move(r));
    });
  });
}

TEST(DagLabJob, EveryPresetPublishesTheCoresNumbers) {
  for (const char* name : kPresets) {
    SCOPED_TRACE(name);
    DagLabRequest request;
    request.spec = preset(name);
    request.n = 4.0;
    request.sample_trials = 30;
    request.sample_ns = {1, 8};
    LatestSnapshot<DagLabResult> latest;
    JobRunner runner;  // last: joins its worker before the snapshot goes
    std::atomic<int> publishes{0};
    const auto id = post(runner, request, 7, 2, latest, &publishes);
    ASSERT_TRUE(runner.wait_idle(120s));
    EXPECT_EQ(runner.last_finished_id(), id);
    EXPECT_EQ(publishes.load(), 2) << "one snapshot per stage";
    const auto r = latest.get();
    ASSERT_TRUE(r && r->analysis && r->network) << (r ? r->error : "no snapshot");
    EXPECT_TRUE(r->complete);
    EXPECT_EQ(r->stages_done, 2);
    EXPECT_EQ(r->request_version, 7u);

    // Stage 1 is Lemma 1 of the core's exact analysis, on one thread.
    const dag::DagNetwork net = dag::build_dag_network(dag::resolve_dag_spec(request.spec));
    dag::DagExactOptions exact;
    exact.threads = 1;
    const dag::DagExactAnalysis analysis = dag::analyze_dag_exact(net, exact);
    ASSERT_EQ(r->curves.size(), analysis.nodes.size());
    for (std::size_t i = 0; i < analysis.nodes.size(); ++i) {
      EXPECT_EQ(r->curves[i].node, analysis.nodes[i].node);
      EXPECT_EQ(r->curves[i].mse_bp_at_n, analysis.nodes[i].bp.mse(4.0));
      EXPECT_EQ(r->curves[i].mse_sg_at_n, analysis.nodes[i].sg.mse(4.0));
    }

    // Stage 2 is the core's sample mode, on one thread: the same bits.
    ASSERT_EQ(r->samples.size(), 2u);
    for (std::size_t p = 0; p < 2; ++p) {
      dag::DagSampleOptions options;
      options.samples_per_trial = static_cast<std::uint64_t>(request.sample_ns[p]);
      options.trials = request.sample_trials;
      options.threads = 1;
      const dag::DagSampleResult direct = dag::run_dag_sample_mode(net, options);
      ASSERT_EQ(r->samples[p].nodes.size(), direct.nodes.size());
      for (std::size_t k = 0; k < direct.nodes.size(); ++k) {
        EXPECT_EQ(r->samples[p].nodes[k].bp.mse, direct.nodes[k].bp.mse);
        EXPECT_EQ(r->samples[p].nodes[k].sg_learned.mse, direct.nodes[k].sg_learned.mse);
        EXPECT_EQ(r->samples[p].nodes[k].sg_exact.se, direct.nodes[k].sg_exact.se);
      }
    }
  }
}

TEST(DagLabJob, TheNewestEditWins) {
  LatestSnapshot<DagLabResult> latest;
  JobRunner runner;  // last: joins its worker before the snapshot goes
  DagLabRequest request;
  request.spec = preset("T4_imperfect_predictor");
  request.sample_trials = 20;
  std::uint64_t last = 0;
  for (int version = 1; version <= 25; ++version) {
    request.n = version;
    last = post(runner, request, static_cast<std::uint64_t>(version), 2, latest);
  }
  ASSERT_TRUE(runner.wait_idle(120s));
  EXPECT_EQ(runner.last_finished_id(), last);
  const auto r = latest.get();
  ASSERT_TRUE(r && r->complete);
  EXPECT_EQ(r->request_version, 25u);
  EXPECT_DOUBLE_EQ(r->request.n, 25.0);
}

TEST(DagLabJob, ABadSpecBecomesAnErrorSnapshot) {
  LatestSnapshot<DagLabResult> latest;
  JobRunner runner;  // last: joins its worker before the snapshot goes
  DagLabRequest request;
  request.spec = preset("T2_noisy_feedback");
  request.spec.layers[0].nodes[0].parents = {0, 99};  // no node 99
  request.spec.layers[0].nodes[0].weights = {1.0, 1.0};
  post(runner, request, 1, 1, latest);
  ASSERT_TRUE(runner.wait_idle(60s));
  const auto r = latest.get();
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->error.empty());
  EXPECT_TRUE(r->complete);
  EXPECT_FALSE(r->analysis);
}

TEST(DagLabJob, ACancelledJobPublishesNothing) {
  auto cancel = std::make_shared<std::atomic<bool>>(true);
  std::atomic<double> progress{0.0};
  JobContext context(1, cancel, &progress);
  DagLabRequest request;
  request.spec = preset("T3_stochastic_neurons");
  int published = 0;
  EXPECT_THROW(compute_dag_lab(request, 1, 2, context, [&](std::shared_ptr<const DagLabResult>) { ++published; }),
               Cancelled);
  EXPECT_EQ(published, 0);
}

TEST(DagLabJob, CancelMidwayStopsAndPublishesNothingStale) {
  DagLabRequest request;
  request.spec = labs::load_dag_spec(std::string(SGLAB_SOURCE_DIR) + "/assets/presets/T2_noisy_feedback.json");
  request.sample_trials = 50;
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  std::atomic<double> progress{0.0};
  JobContext c(1, cancel, &progress);
  std::vector<int> stages;
  EXPECT_THROW(compute_dag_lab(request, 1, 1, c,
                               [&](std::shared_ptr<const DagLabResult> r) {
                                 stages.push_back(r->stages_done);
                                 cancel->store(true);  // before sample mode starts
                               }),
               Cancelled);
  EXPECT_EQ(stages, std::vector<int>{1}) << "the exact stage only: sample mode stopped at once";
  EXPECT_LE(progress.load(), 0.3 + 1e-12) << "no sample-mode point ran";

  auto precancelled = std::make_shared<std::atomic<bool>>(true);
  JobContext pre(2, precancelled, &progress);
  int published = 0;
  EXPECT_THROW(compute_dag_lab(request, 1, 1, pre, [&](std::shared_ptr<const DagLabResult>) { ++published; }),
               Cancelled);
  EXPECT_EQ(published, 0);
}

}  // namespace
}  // namespace sglab::jobs
