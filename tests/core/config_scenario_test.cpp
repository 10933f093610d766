// The scenario envelope (core/config/scenario) and sglab's table of lab bodies
// (core/labs/scenario_files): one versioned schema, strict reading, load → save
// → load identical, and every file the project ever wrote keeps loading.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/config/json_reader.hpp"
#include "core/config/scenario.hpp"
#include "core/dag/dag_spec_json.hpp"
#include "core/dynamics/train_config.hpp"
#include "core/labs/scenario_files.hpp"
#include "core/expert/expert_scenario.hpp"
#include "core/util/error.hpp"

namespace sglab::config {
namespace {

namespace fs = std::filesystem;

std::string error_of(const std::string& text) {
  try {
    labs::parse_scenario(text, "test.json");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

std::string expert_doc(const std::string& body) {
  return R"({"schema":"sglab-scenario","version":1,"lab":"expert","name":"t","expert":)" + body + "}";
}

std::string read_text(const std::string& path) {
  std::ifstream f(path);
  return std::string((std::istreambuf_iterator<char>(f)), {});
}

TEST(ScenarioFile, DefaultIsCaseOneD8K3) {
  const Scenario s = labs::default_scenario();
  EXPECT_EQ(s.lab, "expert");
  const auto e = expert::expert_scenario_of(s);
  EXPECT_EQ(e.noise_case, expert::NoiseCase::kNoisy);
  EXPECT_EQ(e.d, 8);
  EXPECT_EQ(e.k, 3);
}

TEST(ScenarioFile, RoundTripIsIdentical) {
  Scenario s = labs::default_scenario();
  expert::ExpertScenario e;
  e.noise_case = expert::NoiseCase::kPartial;
  e.noise.tau = 0.123456789012345;
  e.seed = 9007199254740991ULL;
  e.lambda = 0.3;
  e.leak = 0.07;
  e.sampling = expert::Sampling::kRandom;
  s.bodies["expert"] = expert::expert_scenario_to_json(e);
  s.views["dag"] = nlohmann::json{{"anything", {1, 2, 3}}};  // views are the app's to check
  const fs::path dir = fs::temp_directory_path() / "sglab_scenario_test";
  fs::create_directories(dir);
  const std::string a = (dir / "a.json").string(), b = (dir / "b.json").string();
  labs::write_scenario(a, s);
  const Scenario loaded = labs::read_scenario(a);
  EXPECT_EQ(expert::expert_scenario_of(loaded), e);
  EXPECT_EQ(loaded, s);
  labs::write_scenario(b, loaded);
  EXPECT_EQ(read_text(a), read_text(b));
  fs::remove_all(dir);
}

TEST(ScenarioFile, EveryBodyIsResolvedAndChecked) {
  const Scenario s = labs::parse_scenario(
      R"({"schema":"sglab-scenario","version":1,"lab":"dag","dag":{"inputs":2,"layers":[{"width":1,"activation":"identity"}]}})",
      "t");
  ASSERT_NE(s.body("dag"), nullptr);
  EXPECT_TRUE(s.body("dag")->contains("seed")) << "the resolved form pins every draw";
  EXPECT_EQ(s.body("dag")->at("layers").at(0).at("nodes").size(), 1u);
  EXPECT_NE(error_of(R"({"schema":"sglab-scenario","version":1,"lab":"dag","dag":{"inputs":2,"layerz":[]}})")
                .find("dag.layer"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"schema":"sglab-scenario","version":1,"lab":"dynamics","train":{"stepz":5}})")
                .find("train.stepz"),
            std::string::npos);
}

// Every preset and every version-1 file the project wrote before this layer
// (tests/data/scenarios_v1: the app's save, `dag --write-scenario`, a training
// scenario) loads, and load → save → load is exact.
TEST(ScenarioFile, EveryPresetAndEveryOldFileLoadsAndRoundTrips) {
  int count = 0;
  for (const fs::path& dir : {fs::path(SGLAB_SOURCE_DIR) / "assets" / "presets",
                             fs::path(SGLAB_SOURCE_DIR) / "tests" / "data" / "scenarios_v1"}) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().extension() != ".json") continue;
      SCOPED_TRACE(entry.path().string());
      const Scenario s = labs::read_scenario(entry.path().string());
      EXPECT_FALSE(s.name.empty());
      EXPECT_FALSE(s.bodies.empty());
      const nlohmann::json once = scenario_to_json(s);
      EXPECT_EQ(scenario_to_json(scenario_from_json(once, labs::lab_bodies(), "again")), once);
      if (s.body("dag")) {
        EXPECT_NO_THROW(dag::dag_spec_of(s));
      }
      if (s.body("train")) {
        EXPECT_NO_THROW(dynamics::training_network(s, dynamics::train_config_of(s)));
      }
      ++count;
    }
  }
  EXPECT_GE(count, 15);
}

TEST(ScenarioFile, RejectsUnknownKeysNamingThem) {
  EXPECT_NE(error_of(expert_doc(R"({"d":8,"dd":3})")).find("expert.dd"), std::string::npos);
  EXPECT_NE(error_of(R"({"schema":"sglab-scenario","version":1,"lab":"expert","colour":1})").find("colour"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"schema":"sglab-scenario","version":1,"view":{"chem":{}}})").find("view.chem"),
            std::string::npos);
}

TEST(ScenarioFile, RejectsWrongTypesAndRanges) {
  EXPECT_NE(error_of(expert_doc(R"({"d":"eight"})")).find("expert.d: expected an integer"), std::string::npos);
  EXPECT_NE(error_of(expert_doc(R"({"d":40})")).find("expert.d: 40 is out of range"), std::string::npos);
  EXPECT_NE(error_of(expert_doc(R"({"d":6,"k":7})")).find("expert.k"), std::string::npos);
  EXPECT_NE(error_of(expert_doc(R"({"p":0})")).find("expert.p"), std::string::npos);
  EXPECT_NE(error_of(expert_doc(R"({"lambda":1.5})")).find("expert.lambda"), std::string::npos);
  EXPECT_NE(error_of(expert_doc(R"({"case":"loud"})")).find("expert.case"), std::string::npos);
  EXPECT_NE(error_of(expert_doc(R"({"d":4,"k":4,"leak":0.1})")).find("expert.leak"), std::string::npos);
  EXPECT_NE(error_of(expert_doc(R"({"seed":-1})")).find("expert.seed"), std::string::npos);
  EXPECT_NE(error_of(expert_doc(R"({"d":8,"d":9})")).find("expert.d: duplicate key"), std::string::npos);
}

TEST(ScenarioFile, ChecksTheEnvelope) {
  EXPECT_NE(error_of(R"({"version":1})").find("schema"), std::string::npos);
  EXPECT_NE(error_of(R"({"schema":"other","version":1})").find("schema"), std::string::npos);
  EXPECT_NE(error_of(R"({"schema":"sglab-scenario"})").find("version"), std::string::npos);
  EXPECT_NE(error_of(R"({"schema":"sglab-scenario","version":2})").find("version: 2"), std::string::npos);
  EXPECT_NE(error_of(R"({"schema":"sglab-scenario","version":1,"lab":"chem"})").find("lab"), std::string::npos);
  EXPECT_NE(error_of(R"([1,2])").find("test.json: expected an object"), std::string::npos);
  EXPECT_NE(error_of(R"({"schema":"sglab-scenario","version":1,"dag":3})").find("dag"), std::string::npos);
  EXPECT_NE(error_of(R"({"schema":"sglab-scenario","version":1,"lab":"expert","lab":"dag"})").find("duplicate key"),
            std::string::npos);
}

TEST(ScenarioFile, RefusesDeepNestingMalformedTextAndDevices) {
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "[";
  EXPECT_THROW(parse_json_text(deep, "deep.json"), Error);
  EXPECT_THROW(parse_json_text("{\"schema\": ", "bad.json"), Error);
  for (const char* path : {"/nonexistent/sglab.json", "/dev/zero", "/tmp"}) {
    try {
      labs::read_scenario(path);
      FAIL() << path;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace sglab::config
