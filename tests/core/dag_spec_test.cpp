// DagSpec: generation from the seed, JSON round trip, validation messages.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "core/labs/scenario_files.hpp"
#include "core/dag/dag_exact_analysis.hpp"
#include "core/dag/dag_network.hpp"
#include "core/dag/dag_spec_json.hpp"
#include "core/config/json_reader.hpp"
#include "core/util/error.hpp"
#include "tests/core/dag_test_support.hpp"

namespace sglab::dag {
namespace {

using nlohmann::json;

json minimal_dag() {
  return json::parse(R"({"inputs": 3, "seed": 4, "sigma": 0.5,
    "layers": [{"width": 3, "activation": "tanh", "fan_in": 2},
               {"width": 1, "activation": "identity"}]})");
}

// Expects dag_spec_from_json to throw an Error whose message contains `needle`.
void expect_rejected(const json& dag, const std::string& needle) {
  try {
    dag_spec_from_json(dag, "dag");
    FAIL() << "accepted a bad spec; expected a message with: " << needle;
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << "message: " << e.what();
  }
}

TEST(DagSpec, GenerationIsDeterministicAndFollowsTheFanIn) {
  const DagSpec a = dag_spec_from_json(minimal_dag());
  const DagSpec b = dag_spec_from_json(minimal_dag());
  EXPECT_EQ(dag_spec_to_json(a), dag_spec_to_json(b));
  for (const auto& node : a.layers[0].nodes) {
    ASSERT_EQ(node.parents.size(), 2u);
    EXPECT_LT(node.parents[0], node.parents[1]);
    EXPECT_LT(node.parents[1], 3);
  }
  EXPECT_EQ(a.layers[1].nodes[0].parents, (std::vector<int>{3, 4, 5}));
  // The teacher reads the terminal's parents by default (keeps B at the terminal).
  EXPECT_EQ(a.terminals[0].teacher.reads, a.layers[1].nodes[0].parents);
  EXPECT_EQ(*a.terminals[0].sigma, 0.5);
  json other = minimal_dag();
  other["seed"] = 5;
  EXPECT_NE(dag_spec_to_json(dag_spec_from_json(other)), dag_spec_to_json(a));
}

// Seeds cover the whole uint64 range, as in every other lab; one past it is refused.
TEST(DagSpec, SeedTakesTheFullUnsignedRange) {
  json dag = minimal_dag();
  dag["seed"] = json::parse("18446744073709551615");
  const DagSpec spec = dag_spec_from_json(dag);
  EXPECT_EQ(spec.seed, 18446744073709551615ull);
  EXPECT_EQ(dag_spec_to_json(spec)["seed"].get<std::uint64_t>(), 18446744073709551615ull);
  dag["seed"] = json::parse("18446744073709551616");
  expect_rejected(dag, "dag.seed");
  dag["seed"] = -1;
  expect_rejected(dag, "dag.seed");
}

TEST(DagSpec, SaveLoadSaveIsExact) {
  const DagSpec spec = testing::mixed_feature_spec();
  const std::string file = ::testing::TempDir() + "dag_roundtrip.json";
  config::Scenario scenario;
  scenario.lab = "dag";
  scenario.name = "mixed";
  scenario.description = "every feature";
  scenario.bodies["dag"] = dag_spec_to_json(spec);
  labs::write_scenario(file, scenario);
  const config::Scenario loaded = labs::read_scenario(file);
  EXPECT_EQ(loaded.name, "mixed");
  EXPECT_EQ(dag_spec_to_json(dag_spec_of(loaded)), dag_spec_to_json(spec));
  const std::string again = ::testing::TempDir() + "dag_roundtrip2.json";
  labs::write_scenario(again, loaded);
  std::ifstream f1(file), f2(again);
  const std::string t1((std::istreambuf_iterator<char>(f1)), {}), t2((std::istreambuf_iterator<char>(f2)), {});
  EXPECT_EQ(t1, t2);
  // A pinned file fixes the network whatever the seed says.
  json doc = config::scenario_to_json(scenario);
  doc["dag"]["seed"] = 999;
  const DagSpec reseeded = dag_spec_from_json(doc["dag"]);
  EXPECT_EQ(reseeded.layers[0].nodes[2].weights, spec.layers[0].nodes[2].weights);
  std::remove(file.c_str());
  std::remove(again.c_str());
}

TEST(DagSpec, PresetsLoadAndRoundTrip) {
  for (const char* name : {"T1_dense_deterministic", "T2_noisy_feedback", "T3_stochastic_neurons",
                           "T4_imperfect_predictor", "T5_sparse"}) {
    const config::Scenario s = labs::read_scenario(testing::preset_path(name));
    EXPECT_EQ(config::scenario_to_json(s), sglab::config::read_json_file(testing::preset_path(name))) << name;
  }
}

TEST(DagSpec, BadSpecsAreRejectedWithTheirField) {
  json j = minimal_dag();
  j["layers"][0]["fan_in"] = 4;
  expect_rejected(j, "dag.layers[0].fan_in: 4 is larger than the previous layer's width 3");

  j = minimal_dag();
  j["layers"][0]["q"] = 0.0;
  expect_rejected(j, "dag.layers[0].q: keep probability q = 0 is not in (0, 1]");

  j = minimal_dag();
  j["layers"][0]["q"] = 1.5;
  expect_rejected(j, "dag.layers[0].q");

  j = minimal_dag();
  j["sigma"] = -0.1;
  expect_rejected(j, "dag.sigma");

  j = minimal_dag();
  j["layers"][1]["nodes"] = json::parse(R"([{"parents": [3, 7]}])");
  expect_rejected(j, "dag.layers[1].nodes[0].parents[1]: node 7 does not exist");

  j = minimal_dag();
  j["layers"][0]["nodes"] = json::parse(R"([{"parents": [0]}, {"parents": [1]}, {"parents": [3]}])");
  expect_rejected(j, "dag.layers[0].nodes[2].parents[0]: node 3 is in layer 1, not in a layer before 1");

  j = minimal_dag();
  j["layers"][1]["nodes"] = json::parse(R"([{"parents": [3, 4], "weights": [1.0]}])");
  expect_rejected(j, "dag.layers[1].nodes[0].weights: 1 weights for 2 parents");

  j = minimal_dag();
  j["terminals"] = json::parse(R"([{"teacher": {"reads": [42]}}])");
  expect_rejected(j, "dag.terminals[0].teacher.reads[0]: node 42 does not exist");

  j = minimal_dag();
  j["terminals"] = json::parse(R"([{"teacher": {"reads": [6]}}])");
  expect_rejected(j, "dag.terminals[0].teacher.reads[0]: node 6 is a terminal");

  j = minimal_dag();
  j["terminals"] = json::parse(R"([{}, {}])");
  expect_rejected(j, "dag.terminals: lists 2 terminals but the last layer has width 1");

  j = minimal_dag();
  j["layers"][0]["nodes"] = json::parse(R"([{"lambda": 2}, {}, {}])");
  expect_rejected(j, "dag.layers[0].nodes[0].lambda");

  j = minimal_dag();
  j["layers"][0]["widht"] = 3;
  expect_rejected(j, "dag.layers[0].widht: unknown key");

  j = minimal_dag();
  j["layers"][0]["activation"] = "relu";
  expect_rejected(j, "dag.layers[0].activation");

  j = minimal_dag();
  j["inputs"] = "three";
  expect_rejected(j, "dag.inputs: expected an integer");

  j = minimal_dag();
  j.erase("layers");
  expect_rejected(j, "dag.layers: missing");
}

TEST(DagSpec, EnvelopeIsChecked) {
  const std::string file = ::testing::TempDir() + "dag_envelope.json";
  auto write = [&](const json& doc) { std::ofstream(file) << doc.dump(); };
  // Any lab's file with a "dag" body gives its network (a file any lab writes, every command reads).
  json doc = {{"schema", "sglab-scenario"}, {"version", 1}, {"lab", "expert"}, {"dag", minimal_dag()}};
  write(doc);
  EXPECT_NO_THROW(labs::load_dag_spec(file));
  doc.erase("dag");
  write(doc);
  EXPECT_THROW(
      {
        try {
          labs::load_dag_spec(file);
        } catch (const Error& e) {
          EXPECT_NE(std::string(e.what()).find("has no \"dag\" body"), std::string::npos) << e.what();
          throw;
        }
      },
      Error);
  doc["dag"] = minimal_dag();
  doc["lab"] = "dag";
  doc["version"] = 2;
  write(doc);
  EXPECT_THROW(labs::load_dag_spec(file), Error);
  doc["version"] = 1;
  doc["extra"] = true;
  write(doc);
  EXPECT_THROW(labs::load_dag_spec(file), Error);
  doc.erase("extra");
  write(doc);
  EXPECT_NO_THROW(labs::load_dag_spec(file));
  std::remove(file.c_str());
}

TEST(DagSpec, TooLargeOutcomeSpaceSuggestsSampleMode) {
  json j = minimal_dag();
  j["inputs"] = 20;
  j["layers"][0]["q"] = 0.5;  // 3 dropout bits + 1 sign bit: 2^24 outcomes
  const DagNetwork net = build_dag_network(dag_spec_from_json(j));
  try {
    analyze_dag_exact(net);
    FAIL() << "exact mode accepted 2^24 outcomes";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("2^24 = 16777216 outcomes"), std::string::npos) << msg;
    EXPECT_NE(msg.find("sample mode"), std::string::npos) << msg;
  }
}

}  // namespace
}  // namespace sglab::dag
