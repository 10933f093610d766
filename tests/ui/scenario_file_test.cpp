// core/scenario: one versioned schema, strict reading, load → save → load identical.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/scenario/json_reader.hpp"
#include "core/scenario/scenario_file.hpp"
#include "core/util/error.hpp"

namespace sglab::scenario {
namespace {

namespace fs = std::filesystem;

std::string error_of(const std::string& text) {
  try {
    scenario_from_json(parse_json_text(text, "test.json"), "test.json");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

std::string expert_doc(const std::string& body) {
  return R"({"schema":"sglab-scenario","version":1,"lab":"expert","name":"t","expert":)" + body + "}";
}

TEST(ScenarioFile, DefaultIsCaseOneD8K3) {
  const Scenario s = default_scenario();
  ASSERT_TRUE(s.expert.has_value());
  EXPECT_EQ(s.expert->noise_case, expert::NoiseCase::kNoisy);
  EXPECT_EQ(s.expert->d, 8);
  EXPECT_EQ(s.expert->k, 3);
}

TEST(ScenarioFile, RoundTripIsIdentical) {
  Scenario s = default_scenario();
  s.expert->noise_case = expert::NoiseCase::kPartial;
  s.expert->noise.tau = 0.123456789012345;
  s.expert->seed = 9007199254740991ULL;
  s.expert->lambda = 0.3;
  s.expert->leak = 0.07;
  s.expert->sampling = expert::Sampling::kRandom;
  s.dag = nlohmann::json{{"anything", {1, 2, 3}}};
  set_dag_body_codec(nullptr);  // keep the "dag" body verbatim: this test is about the envelope
  const fs::path dir = fs::temp_directory_path() / "sglab_scenario_test";
  fs::create_directories(dir);
  const std::string a = (dir / "a.json").string(), b = (dir / "b.json").string();
  save_scenario(a, s);
  const Scenario loaded = load_scenario(a);
  EXPECT_EQ(*loaded.expert, *s.expert);
  EXPECT_EQ(loaded.dag, s.dag);
  save_scenario(b, loaded);
  std::ifstream fa(a), fb(b);
  const std::string ta((std::istreambuf_iterator<char>(fa)), {}), tb((std::istreambuf_iterator<char>(fb)), {});
  EXPECT_EQ(ta, tb);
  EXPECT_EQ(scenario_to_json(load_scenario(b)), scenario_to_json(s));
  reset_dag_body_codec();
}

TEST(ScenarioFile, TheDefaultCodecResolvesAndChecksADagBody) {
  const auto doc = parse_json_text(
      R"({"schema":"sglab-scenario","version":1,"lab":"dag","dag":{"inputs":2,"layers":[{"width":1,"activation":"identity"}]}})",
      "t");
  const Scenario s = scenario_from_json(doc);
  ASSERT_TRUE(s.dag.is_object());
  EXPECT_TRUE(s.dag.contains("seed")) << "the resolved form pins every draw";
  EXPECT_EQ(s.dag.at("layers").at(0).at("nodes").size(), 1u);
  EXPECT_NE(error_of(R"({"schema":"sglab-scenario","version":1,"lab":"dag","dag":{"inputs":2,"layerz":[]}})")
                .find("dag.layer"),
            std::string::npos);
}

TEST(ScenarioFile, EveryExpertPresetLoadsAndRoundTrips) {
  int count = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(SGLAB_SOURCE_DIR) / "assets" / "presets")) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("expert_", 0) != 0) continue;
    SCOPED_TRACE(name);
    const Scenario s = load_scenario(entry.path().string());
    EXPECT_EQ(s.lab, Lab::kExpert);
    ASSERT_TRUE(s.expert.has_value());
    EXPECT_FALSE(s.name.empty());
    EXPECT_FALSE(s.description.empty());
    const nlohmann::json once = scenario_to_json(s);
    EXPECT_EQ(scenario_to_json(scenario_from_json(once)), once);
    ++count;
  }
  EXPECT_GE(count, 5);
}

// A DAG scenario may carry the mixing-dynamics settings: read strictly,
// written back canonically.
TEST(ScenarioFile, CarriesTheTrainObject) {
  const std::string doc =
      R"({"schema":"sglab-scenario","version":1,"lab":"dag","train":{"steps":500,"batch_size":32}})";
  const Scenario s = scenario_from_json(nlohmann::json::parse(doc), "t.json");
  ASSERT_TRUE(s.train.is_object());
  EXPECT_EQ(s.train.at("steps"), 500);
  EXPECT_EQ(s.train.at("batch_size"), 32);
  const Scenario again = scenario_from_json(scenario_to_json(s), "again.json");
  EXPECT_EQ(scenario_to_json(again), scenario_to_json(s));
  EXPECT_NE(error_of(R"({"schema":"sglab-scenario","version":1,"lab":"dag","train":{"stepz":5}})")
                .find("train.stepz"),
            std::string::npos);
}

TEST(ScenarioFile, RejectsUnknownKeysNamingThem) {
  EXPECT_NE(error_of(expert_doc(R"({"d":8,"dd":3})")).find("expert.dd"), std::string::npos);
  EXPECT_NE(error_of(R"({"schema":"sglab-scenario","version":1,"lab":"expert","colour":1})").find("colour"),
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
}

TEST(ScenarioFile, ChecksTheEnvelope) {
  EXPECT_NE(error_of(R"({"version":1})").find("schema"), std::string::npos);
  EXPECT_NE(error_of(R"({"schema":"other","version":1})").find("schema"), std::string::npos);
  EXPECT_NE(error_of(R"({"schema":"sglab-scenario"})").find("version"), std::string::npos);
  EXPECT_NE(error_of(R"({"schema":"sglab-scenario","version":2})").find("version: 2"), std::string::npos);
  EXPECT_NE(error_of(R"({"schema":"sglab-scenario","version":1,"lab":"chem"})").find("lab"), std::string::npos);
  EXPECT_NE(error_of(R"([1,2])").find("expected an object"), std::string::npos);
  EXPECT_NE(error_of(R"({"schema":"sglab-scenario","version":1,"dag":3})").find("dag"), std::string::npos);
}

TEST(ScenarioFile, RefusesDeepNestingAndMalformedText) {
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "[";
  EXPECT_THROW(parse_json_text(deep, "deep.json"), Error);
  EXPECT_THROW(parse_json_text("{\"schema\": ", "bad.json"), Error);
  try {
    load_scenario("/nonexistent/sglab.json");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/sglab.json"), std::string::npos);
  }
}

TEST(ScenarioFile, DagCodecHookNormalisesTheBody) {
  set_dag_body_codec([](const nlohmann::json& body, const std::string& path) {
    if (!body.contains("layers")) throw Error(path + ".layers: missing");
    return nlohmann::json{{"layers", body.at("layers")}};
  });
  const auto doc = parse_json_text(R"({"schema":"sglab-scenario","version":1,"lab":"dag","dag":{"layers":[3,1]}})", "t");
  EXPECT_EQ(scenario_from_json(doc).dag, (nlohmann::json{{"layers", {3, 1}}}));
  EXPECT_NE(error_of(R"({"schema":"sglab-scenario","version":1,"lab":"dag","dag":{}})").find("dag.layers"),
            std::string::npos);
  reset_dag_body_codec();
}

}  // namespace
}  // namespace sglab::scenario
