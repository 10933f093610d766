// The bandit lab on ImGui's null backend: it draws, play trains (records
// grow), reset replays the same numbers, a knob change restarts, the numbers
// are the core's own and do not depend on the thread count, the read-out
// follows the numbers, and the classroom's λ = 0 claim holds.
#include "ui/bandit/bandit_lab.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <thread>

#include "core/bandit/bandit_session.hpp"
#include "core/bandit/bandit_summary.hpp"
#include "core/util/error.hpp"
#include "null_backend.hpp"
#include "ui/app_shell.hpp"

namespace sglab::ui {
namespace {

using namespace std::chrono_literals;
using bandit::Method;

const std::string kAssets = std::string(SGLAB_SOURCE_DIR) + "/assets";

// A quick configuration: synthetic contexts (no data file needed), a few steps.
bandit::BanditConfig quick_config() {
  bandit::BanditConfig c;
  c.data = bandit::DataSource::kSynthetic;
  c.synthetic_features = 32;
  c.synthetic_actions = 5;
  c.synthetic_train = 512;
  c.synthetic_eval = 256;
  c.eval_contexts = 200;
  c.layers = 2;
  c.width = 8;
  c.batch_size = 16;
  c.steps = 40;
  c.eval_points = 8;
  c.seeds = 2;
  return c;
}

std::shared_ptr<const jobs::BanditLabSnapshot> settled(BanditLab& lab) {
  EXPECT_TRUE(lab.engine().runner().wait_idle(60s));
  return lab.snapshot();
}

void expect_identical(const bandit::BanditSnapshot& a, const bandit::BanditSnapshot& b) {
  ASSERT_EQ(a.runs.size(), b.runs.size());
  for (std::size_t i = 0; i < a.runs.size(); ++i) {
    const auto& x = a.runs[i].evals;
    const auto& y = b.runs[i].evals;
    ASSERT_EQ(x.size(), y.size()) << "run " << i;
    for (std::size_t e = 0; e < x.size(); ++e) {
      EXPECT_EQ(x[e].step, y[e].step);
      EXPECT_EQ(x[e].eval_reward, y[e].eval_reward) << "run " << i << " eval " << e;
      for (std::size_t l = 0; l < x[e].lambda.size(); ++l) {
        EXPECT_TRUE(x[e].lambda[l] == y[e].lambda[l] || (std::isnan(x[e].lambda[l]) && std::isnan(y[e].lambda[l])));
        EXPECT_TRUE(x[e].true_grad_norm[l] == y[e].true_grad_norm[l] ||
                    (std::isnan(x[e].true_grad_norm[l]) && std::isnan(y[e].true_grad_norm[l])));
      }
    }
  }
}

std::int64_t evals_of(const jobs::BanditLabSnapshot& s) {
  std::int64_t n = 0;
  for (const auto& r : s.session->runs) n += static_cast<std::int64_t>(r.evals.size());
  return n;
}

TEST(BanditLabUi, DrawsAndPlayTrainsWhileFramesAreDrawn) {
  test::NullBackend imgui;
  AppShell shell(kAssets, 1);
  ASSERT_TRUE(shell.select_lab("bandit"));
  BanditLab& lab = shell.lab_as<BanditLab>("bandit");
  EXPECT_STREQ(lab.title(), "Bandit (paper §6)");
  lab.set_config(quick_config());
  settled(lab);
  lab.set_steps_per_frame(3);
  lab.set_playing(true);
  std::int64_t evals_seen = -1;
  bool grew = false;
  // The controls column's content height while the read-outs change: it may
  // grow, never shrink (the read-out block keeps its tallest height, so the
  // text below it does not jump at each evaluation).
  float content_h = 0.0f;
  int shrinks = 0;
  for (int frame = 0; frame < 3000; ++frame) {
    imgui.frame([&] { shell.draw(imgui.ui); });
    for (const ImGuiWindow* w : GImGui->Windows)
      if (std::string(w->Name).find("bandit_controls") != std::string::npos) {
        if (w->ContentSize.y < content_h) ++shrinks;
        content_h = w->ContentSize.y;
      }
    const auto s = lab.snapshot();
    if (s && s->session) {
      const std::int64_t n = evals_of(*s);
      grew = grew || (evals_seen > 0 && n > evals_seen);
      evals_seen = n;
      if (s->session->finished) break;
    }
    std::this_thread::sleep_for(1ms);
  }
  EXPECT_TRUE(grew) << "the records grew between frames while playing";
  EXPECT_GT(content_h, 0.0f) << "the controls column was found";
  EXPECT_EQ(shrinks, 0) << "the controls column's content got shorter while the runs played";
  const auto s = settled(lab);
  ASSERT_TRUE(s && s->session);
  EXPECT_TRUE(s->error.empty()) << s->error;
  EXPECT_TRUE(s->session->finished);
  // The lab notices a finished session on its next frame (tick), as the app does.
  imgui.frame([&] { shell.draw(imgui.ui); });
  EXPECT_FALSE(lab.playing()) << "play stops when every run finished";
  for (float scale : {1.0f, kPresenterScale}) {
    imgui.set_scale(scale);
    for (int f = 0; f < 3; ++f) imgui.frame([&] { shell.draw(imgui.ui); });
    EXPECT_GT(imgui.vertices, 3000);
  }
  // Every plot has data once the runs finished (the p_flip panel too).
  const auto specs = build_bandit_plot_specs(s.get(), lab.config(), lab.view());
  for (const auto& p : specs) EXPECT_FALSE(p.series.empty()) << p.id;
  // The curves' x axis is the whole run from the start (issue 12: an evaluation
  // adds points at the curves' ends; the axis does not move under them).
  const double run_samples = static_cast<double>(lab.config().steps) * lab.config().batch_size;
  for (std::size_t p = 0; p < 3; ++p) {
    ASSERT_TRUE(specs[p].x.min && specs[p].x.max) << specs[p].id;
    EXPECT_EQ(*specs[p].x.min, 0.0);
    EXPECT_EQ(*specs[p].x.max, run_samples);
    EXPECT_LE(specs[p].series[0].x.back(), run_samples);
  }
}

TEST(BanditLabUi, ResetReplaysTheCoresNumbersAndAKnobChangeRestarts) {
  BanditLab lab(1);
  lab.set_config(quick_config());
  lab.engine().train(25);
  const auto first = settled(lab);
  ASSERT_TRUE(first && first->session);
  EXPECT_EQ(first->session->steps_done, 25 * static_cast<std::int64_t>(first->session->runs.size()));
  // The engine's numbers are the core's: a session of its own gives them bit for bit.
  bandit::BanditSession session(lab.config(), 1);
  session.advance(25);
  expect_identical(*session.snapshot(), *first->session);

  lab.reset();
  auto s = settled(lab);
  ASSERT_TRUE(s && s->session);
  EXPECT_EQ(s->session->steps_done, 0);
  EXPECT_EQ(evals_of(*s), 0);
  lab.engine().train(25);
  s = settled(lab);
  expect_identical(*s->session, *first->session);

  const std::uint64_t epoch = lab.engine().epoch();
  bandit::BanditConfig c = lab.config();
  c.p_flip = {0.2};
  lab.set_config(c);
  s = settled(lab);
  ASSERT_TRUE(s && s->session);
  EXPECT_GT(lab.engine().epoch(), epoch);
  EXPECT_EQ(s->session->steps_done, 0) << "a knob change starts again from step 0";
  EXPECT_EQ(s->session->runs.front().spec.p_flip, 0.2);
}

TEST(BanditLabUi, ResultsDoNotDependOnTheThreadCount) {
  bandit::BanditConfig single = quick_config();  // one run: its neurons share the threads
  single.seeds = 1;
  single.methods = {Method::kSgAdaptive};
  for (const bandit::BanditConfig& config : {quick_config(), single}) {
    BanditLab one(1), two(2), three(3);
    for (BanditLab* lab : {&one, &two, &three}) {
      lab->set_config(config);
      lab->engine().train(30);
    }
    const auto a = settled(one), b = settled(two), c = settled(three);
    ASSERT_TRUE(a && b && c && a->session && b->session && c->session);
    EXPECT_GT(evals_of(*a), 0);
    expect_identical(*a->session, *b->session);
    expect_identical(*a->session, *c->session);
  }
}

TEST(BanditLabUi, ASweepFinishesPointByPoint) {
  BanditLab lab(2);
  bandit::BanditConfig c = quick_config();
  c.p_flip = {0.0, 0.3};
  lab.set_config(c);
  lab.engine().train(c.steps);  // the first p_flip's runs are stepped together, to the end
  auto s = settled(lab);
  ASSERT_TRUE(s && s->session);
  auto sweep = bandit::final_reward_sweep(*s->session, lab.config());
  ASSERT_EQ(sweep.size(), c.methods.size());
  for (const auto& m : sweep) {
    ASSERT_EQ(m.points.size(), 1u) << "only p_flip 0 has finished";
    EXPECT_EQ(m.points[0].p_flip, 0.0);
    EXPECT_EQ(m.points[0].finished_seeds, c.seeds);
  }
  lab.engine().train(c.steps);
  s = settled(lab);
  sweep = bandit::final_reward_sweep(*s->session, lab.config());
  for (const auto& m : sweep) EXPECT_EQ(m.points.size(), 2u);
  EXPECT_TRUE(s->session->finished);
}

TEST(BanditLabUi, RefusedSettingsShowTheErrorAndDrawing) {
  test::NullBackend imgui;
  BanditLab lab(1);
  bandit::BanditConfig c = quick_config();
  c.num_parents = {c.width + 1};  // more parents than neurons in a layer
  lab.set_config(c);
  const auto s = settled(lab);
  ASSERT_TRUE(s);
  EXPECT_FALSE(s->error.empty());
  EXPECT_EQ(s->session, nullptr);
  imgui.frame([&] { lab.draw(imgui.ui); });
  imgui.frame([&] { lab.draw(imgui.ui); });
}

// The classroom text says: fixed λ = 0 and the SG rate equal to BP's make SG-fixed BP.
TEST(BanditLabUi, FixedLambdaZeroWithBpsRateIsBp) {
  BanditLab lab(1);
  bandit::BanditConfig c = quick_config();
  c.methods = {Method::kBackprop, Method::kSgFixed};
  c.fixed_lambda = 0.0;
  c.policy_lr_sg = c.policy_lr_bp;
  lab.set_config(c);
  lab.engine().train(c.steps);
  const auto s = settled(lab);
  ASSERT_TRUE(s && s->session);
  const auto curves = bandit::method_curves(*s->session, lab.config(), c.p_flip.front());
  ASSERT_EQ(curves.size(), 2u);
  ASSERT_EQ(curves[0].reward_mean.size(), static_cast<std::size_t>(c.eval_points));
  EXPECT_EQ(curves[0].reward_mean, curves[1].reward_mean);
  // And with λ = 0.5 they differ (the test can fail).
  c.fixed_lambda = 0.5;
  lab.set_config(c);
  lab.engine().train(c.steps);
  const auto t = settled(lab);
  const auto mixed = bandit::method_curves(*t->session, lab.config(), c.p_flip.front());
  EXPECT_NE(mixed[0].true_grad_norm[0], mixed[1].true_grad_norm[0]);
}

// A hand-made snapshot: two methods, three seeds, known rewards.
bandit::BanditSnapshot made_snapshot(const bandit::BanditConfig& c, double bp_shift, double sg_shift) {
  bandit::BanditSnapshot s;
  for (Method m : c.methods)
    for (int seed = 0; seed < c.seeds; ++seed) {
      bandit::BanditRunResult r;
      r.spec = {m, static_cast<std::uint64_t>(seed), c.p_flip.front(), c.num_parents.front(), 0.001};
      r.steps_done = c.steps;
      for (int e = 0; e < 2; ++e) {
        bandit::BanditEvalRecord rec;
        rec.step = e + 1;
        rec.samples_seen = (e + 1) * 10;
        rec.eval_reward = (m == Method::kBackprop ? bp_shift : sg_shift) + 0.01 * seed;
        rec.lambda.assign(static_cast<std::size_t>(c.layers), 0.25 + 0.1 * seed);
        rec.true_grad_norm.assign(static_cast<std::size_t>(c.layers), 1.0);
        rec.synthetic_grad_norm.assign(static_cast<std::size_t>(c.layers), std::nan(""));
        r.evals.push_back(rec);
      }
      s.runs.push_back(r);
    }
  return s;
}

TEST(BanditSummary, MeanSeAndTheReadOutFollowTheNumbers) {
  bandit::BanditConfig c = quick_config();
  c.methods = {Method::kBackprop, Method::kSgAdaptive};
  c.seeds = 3;
  // Seeds give shift + {0, 0.01, 0.02}: mean shift + 0.01, SD 0.01, SE 0.01/√3.
  const auto far = made_snapshot(c, 0.30, 0.50);
  const auto curves = bandit::method_curves(far, c, c.p_flip.front());
  ASSERT_EQ(curves.size(), 2u);
  EXPECT_NEAR(curves[1].reward_mean[1], 0.51, 1e-12);
  EXPECT_NEAR(curves[1].reward_se[1], 0.01 / std::sqrt(3.0), 1e-12);
  EXPECT_NEAR(curves[1].lambda[0][1], 0.35, 1e-12);
  EXPECT_TRUE(std::isnan(curves[1].synthetic_grad_norm[0][1]));
  const std::string lead = bandit_readout(curves, 0.4);
  EXPECT_NE(lead.find("SG, adaptive λ leads BP by 0.200"), std::string::npos) << lead;
  EXPECT_NE(lead.find("gap is larger than 2 SE"), std::string::npos) << lead;
  EXPECT_NE(lead.find("At 20 samples"), std::string::npos) << lead;

  const auto near = made_snapshot(c, 0.305, 0.30);  // gap 0.005 < 2·√2·0.01/√3
  const std::string close = bandit_readout(bandit::method_curves(near, c, c.p_flip.front()), 0.4);
  EXPECT_NE(close.find("BP leads SG, adaptive λ by 0.005"), std::string::npos) << close;
  EXPECT_NE(close.find("not larger than 2 SE"), std::string::npos) << close;

  c.seeds = 1;
  const std::string one = bandit_readout(bandit::method_curves(made_snapshot(c, 0.3, 0.5), c, 0.4), 0.4);
  EXPECT_NE(one.find("no standard error"), std::string::npos) << one;

  c.seeds = 3;
  const auto sweep = bandit::final_reward_sweep(far, c);
  ASSERT_EQ(sweep.size(), 2u);
  ASSERT_EQ(sweep[0].points.size(), 1u);
  EXPECT_EQ(sweep[0].points[0].finished_seeds, 3);
  EXPECT_NEAR(sweep[0].points[0].mean, 0.31, 1e-12);
  bandit::BanditSnapshot unfinished = far;
  for (auto& r : unfinished.runs) r.steps_done = c.steps - 1;
  EXPECT_TRUE(bandit::final_reward_sweep(unfinished, c)[0].points.empty()) << "only finished runs have a final reward";
}

TEST(BanditLabUi, ItsPresetsOpenInTheBanditLabAndDraw) {
  test::NullBackend imgui;
  AppShell shell(kAssets, 1);
  int bandit_presets = 0;
  for (const auto& preset : shell.presets()) {
    if (preset.lab != "bandit") continue;
    SCOPED_TRACE(preset.path);
    ++bandit_presets;
    EXPECT_EQ(shell.open_scenario(preset.path), "");
    EXPECT_STREQ(shell.active_lab().id(), "bandit");
    BanditLab& lab = shell.lab_as<BanditLab>("bandit");
    const auto s = settled(lab);
    ASSERT_TRUE(s);
    EXPECT_TRUE(s->error.empty()) << s->error;
    for (int f = 0; f < 3; ++f) imgui.frame([&] { shell.draw(imgui.ui); });
    EXPECT_GT(imgui.vertices, 2000);
  }
  EXPECT_EQ(bandit_presets, 2) << "the live default and the paper's p_flip sweep";
}

TEST(BanditLabUi, LoadRejectsAViewOutsideTheSettings) {
  BanditLab lab(1);
  config::Scenario sc;
  sc.lab = "bandit";
  sc.views["bandit"] = {{"layer", 7}};  // the default net has 3 layers
  try {
    lab.load(sc);
    FAIL() << "a layer beyond the network was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("view.bandit.layer"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace sglab::ui
