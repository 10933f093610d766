// The lab contract (issue 8): every lab's whole state saves, loads and shares.
// Non-default state in every lab → save → a fresh shell opens it → every field
// is back; the same file opens in `sglab-cli dag` and `sglab-cli train`.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "core/config/scenario.hpp"
#include "core/dag/dag_spec_json.hpp"
#include "core/labs/scenario_files.hpp"
#include "tests/cli/cli_test_support.hpp"
#include "tests/ui/null_backend.hpp"
#include "ui/app_shell.hpp"
#include "ui/bandit/bandit_lab.hpp"
#include "ui/dag/dag_lab.hpp"
#include "ui/dynamics/dynamics_lab.hpp"
#include "ui/expert/expert_lab.hpp"
#include "ui/lab_registry.hpp"

namespace sglab::ui {
namespace {

namespace fs = std::filesystem;
const std::string kAssets = std::string(SGLAB_SOURCE_DIR) + "/assets";

// Every lab's stored body and view: the whole state as the file holds it.
config::Scenario stored(const AppShell& shell) { return shell.current_scenario(); }

void set_non_default_state(AppShell& shell) {
  auto& expert = shell.lab_as<ExpertLab>("expert");
  expert::ExpertScenario e;
  e.noise_case = expert::NoiseCase::kPartial;
  e.d = 6;
  e.k = 2;
  e.m = 3;
  e.n = 2;
  e.noise.tau = 0.3;
  e.trials = 10;
  e.seed = 123;
  e.lambda = 0.4;
  e.leak = 0.1;
  expert.set_scenario(e);

  auto& dag = shell.lab_as<DagLab>("dag");
  dag.set_sample_trials(0);
  ASSERT_TRUE(dag.open_preset(2));  // T3
  dag.set_n(16);
  dag.select(4);

  auto& dynamics = shell.lab_as<DynamicsLab>("dynamics");
  ASSERT_TRUE(dynamics.choose_network("sparse40"));
  dynamics::TrainConfig c = dynamics.config();
  c.steps = 777;
  c.batch_size = 16;
  c.learning_rate = 0.02;
  c.momentum = 0.8;
  c.fixed_lambda = 0.3;
  c.seed = 99;
  dynamics.set_config(c);
  dynamics.select_node(7);
  dynamics.set_steps_per_frame(11);

  auto& bandit_lab = shell.lab_as<BanditLab>("bandit");
  bandit::BanditConfig b = bandit_lab.config();
  b.data = bandit::DataSource::kSynthetic;
  b.difficulty = 1.5;
  b.p_flip = {0.0, 0.2, 0.3};
  b.layers = 4;
  b.width = 12;
  b.num_parents = {2};
  b.steps = 321;
  b.fixed_lambda = 0.25;
  b.momentum = 0.75;
  b.policy_lr_sg = 0.002;
  b.methods = {bandit::Method::kSgAdaptive, bandit::Method::kMlp};
  b.seeds = 3;
  b.first_seed = 17;
  bandit_lab.set_config(b);
  bandit_lab.set_view({2, 3, 9});
  shell.select_lab("dynamics");
}

TEST(LabContract, EveryLabIsRegisteredOnceByItsId) {
  AppShell shell(kAssets, 1);
  ASSERT_EQ(shell.labs().size(), lab_registry().size());
  for (std::size_t i = 0; i < shell.labs().size(); ++i) {
    EXPECT_STREQ(shell.labs()[i]->id(), lab_registry()[i].id);
    EXPECT_EQ(shell.lab(lab_registry()[i].id), shell.labs()[i].get());
  }
  EXPECT_EQ(shell.lab("chem"), nullptr);
  EXPECT_FALSE(shell.select_lab("chem"));
}

TEST(LabContract, WholeStateSavesAndOpensInAFreshShell) {
  test::NullBackend imgui;
  AppShell shell(kAssets, 1);
  set_non_default_state(shell);
  const config::Scenario before = stored(shell);
  EXPECT_EQ(before.lab, "dynamics");
  const fs::path file = fs::temp_directory_path() / "sglab_lab_contract_test.json";
  ASSERT_EQ(shell.save_scenario(file.string()), "");

  AppShell fresh(kAssets, 1);
  fresh.lab_as<DagLab>("dag").set_sample_trials(0);
  ASSERT_EQ(fresh.open_scenario(file.string()), "") << fresh.error_banner();
  EXPECT_EQ(stored(fresh), before);  // every body and view, field for field
  EXPECT_STREQ(fresh.active_lab().id(), "dynamics");

  const auto& expert = fresh.lab_as<ExpertLab>("expert").scenario();
  EXPECT_EQ(expert.noise_case, expert::NoiseCase::kPartial);
  EXPECT_EQ(expert.d, 6);
  EXPECT_EQ(expert.seed, 123u);
  EXPECT_DOUBLE_EQ(expert.leak, 0.1);
  const auto& dag = fresh.lab_as<DagLab>("dag");
  EXPECT_EQ(dag.preset_index(), 2);
  EXPECT_DOUBLE_EQ(dag.n(), 16.0);
  EXPECT_EQ(dag.selected(), 4);
  const auto& dynamics = fresh.lab_as<DynamicsLab>("dynamics");
  EXPECT_EQ(dynamics.choices()[static_cast<std::size_t>(dynamics.network())].id, "sparse40");
  EXPECT_EQ(dynamics.config().steps, 777);
  EXPECT_EQ(dynamics.config().batch_size, 16);
  EXPECT_DOUBLE_EQ(dynamics.config().momentum, 0.8);
  EXPECT_EQ(*dynamics.config().fixed_lambda, 0.3);
  EXPECT_EQ(dynamics.config().seed, 99u);
  EXPECT_EQ(dynamics.selected_node(), 7);
  EXPECT_EQ(dynamics.steps_per_frame(), 11);
  const auto& bandit_lab = fresh.lab_as<BanditLab>("bandit");
  EXPECT_EQ(bandit_lab.config().data, bandit::DataSource::kSynthetic);
  EXPECT_DOUBLE_EQ(bandit_lab.config().difficulty, 1.5);
  EXPECT_EQ(bandit_lab.config().p_flip, (std::vector<double>{0.0, 0.2, 0.3}));
  EXPECT_EQ(bandit_lab.config().layers, 4);
  EXPECT_EQ(bandit_lab.config().width, 12);
  EXPECT_EQ(bandit_lab.config().num_parents, std::vector<int>{2});
  EXPECT_EQ(bandit_lab.config().steps, 321);
  EXPECT_DOUBLE_EQ(bandit_lab.config().fixed_lambda, 0.25);
  EXPECT_DOUBLE_EQ(bandit_lab.config().momentum, 0.75);
  EXPECT_DOUBLE_EQ(bandit_lab.config().policy_lr_sg, 0.002);
  EXPECT_EQ(bandit_lab.config().methods, (std::vector<bandit::Method>{bandit::Method::kSgAdaptive, bandit::Method::kMlp}));
  EXPECT_EQ(bandit_lab.config().seeds, 3);
  EXPECT_EQ(bandit_lab.config().first_seed, 17);
  EXPECT_EQ(bandit_lab.view(), (BanditView{2, 3, 9}));
  imgui.frame([&] { fresh.draw(imgui.ui); });
  imgui.frame([&] { fresh.draw(imgui.ui); });
  EXPECT_STREQ(fresh.active_lab().id(), "dynamics");

  // A file the app writes, every command reads.
  const testing::ScratchDir out("lab-contract");
  const auto dag_run = testing::run_cli("dag --scenario " + file.string() + " --n 1,4");
  EXPECT_EQ(dag_run.exit_code, 0) << dag_run.output;
  const auto train_run = testing::run_cli("train --quiet --steps 20 --scenario " + file.string() + " --out " +
                                          (out.path() / "run.csv").string());
  EXPECT_EQ(train_run.exit_code, 0) << train_run.output;
  EXPECT_TRUE(fs::exists(out.path() / "run.csv"));
  const auto bandit_run = testing::run_cli("bandit --quiet --steps 2 --p-flip 0.1 --seeds 1 --eval-contexts 10 --scenario " +
                                           file.string() + " --outdir " + (out.path() / "bandit").string());
  EXPECT_EQ(bandit_run.exit_code, 0) << bandit_run.output;
  EXPECT_TRUE(fs::exists(out.path() / "bandit" / "summary.csv"));
  fs::remove(file);
}

TEST(LabContract, DynamicsNetworksRoundTripByName) {
  for (const std::string network : {"T2", "dag", "sparse40"}) {
    SCOPED_TRACE(network);
    AppShell shell(kAssets, 1);
    ASSERT_TRUE(shell.lab_as<DynamicsLab>("dynamics").choose_network(network));
    const std::string text = config::scenario_to_text(shell.current_scenario());
    AppShell fresh(kAssets, 1);
    ASSERT_EQ(fresh.open_scenario_text(text, "clipboard"), "") << fresh.error_banner();
    const auto& d = fresh.lab_as<DynamicsLab>("dynamics");
    EXPECT_EQ(d.choices()[static_cast<std::size_t>(d.network())].id, network);
    EXPECT_EQ(stored(fresh), stored(shell));
  }
}

TEST(LabContract, PastedTextIsCheckedLikeAFile) {
  AppShell shell(kAssets, 1);
  EXPECT_NE(shell.open_scenario_text("{\"schema\": 3}", "clipboard").find("clipboard: schema"), std::string::npos);
  EXPECT_NE(shell.error_banner().find("pasted scenario"), std::string::npos);
  EXPECT_NE(shell.open_scenario_text("", "clipboard").find("clipboard"), std::string::npos);
  const std::string bad_view =
      R"({"schema":"sglab-scenario","version":1,"lab":"dag","view":{"dag":{"selected":99}}})";
  EXPECT_NE(shell.open_scenario_text(bad_view, "clipboard").find("view.dag.selected"), std::string::npos);
}

}  // namespace
}  // namespace sglab::ui

namespace sglab::ui {
namespace {

// Issue 11: saving after a change must not keep the opened preset's name and
// description (they described another state, e.g. case 1's text after case 3).
TEST(LabContract, SaveProposesANameThatSaysTheStateWasModified) {
  test::NullBackend imgui;
  AppShell shell(kAssets, 1);
  ASSERT_EQ(shell.open_scenario(kAssets + "/presets/expert_1_default.json"), "");
  const config::Scenario opened = shell.current_scenario();
  EXPECT_FALSE(shell.modified_since_opened());
  EXPECT_EQ(shell.save_text().name, opened.name);
  EXPECT_EQ(shell.save_text().description, opened.description);

  config::Scenario changed = opened;
  changed.bodies["expert"]["case"] = "partial";
  shell.lab("expert")->load(changed);
  EXPECT_TRUE(shell.modified_since_opened());
  const AppShell::SaveText text = shell.save_text();
  EXPECT_EQ(text.name, opened.name + " (modified)");
  EXPECT_EQ(text.description.find(opened.description), std::string::npos) << text.description;
  EXPECT_NE(text.description.find(opened.name), std::string::npos) << text.description;

  // What the dialog saves is what the file holds.
  const fs::path file = fs::temp_directory_path() / ("sglab_save_text_" + std::to_string(::getpid()) + ".json");
  shell.set_scenario_text(text.name, "Case 3 instead.");
  ASSERT_EQ(shell.save_scenario(file.string()), "");
  const config::Scenario saved = labs::read_scenario(file.string());
  EXPECT_EQ(saved.name, text.name);
  EXPECT_EQ(saved.description, "Case 3 instead.");
  EXPECT_EQ(saved.bodies.at("expert")["case"], "partial");
  fs::remove(file);
}

}  // namespace
}  // namespace sglab::ui
