// The "train" object of a scenario (train_config.hpp): strict reading, errors
// naming the key, round trip, and the training-scenario loader.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/dynamics/reference_networks.hpp"
#include "core/dynamics/train_config.hpp"
#include "core/labs/scenario_files.hpp"
#include "core/dag/dag_spec_json.hpp"
#include "core/util/error.hpp"

namespace sglab::dynamics {
namespace {

using Json = nlohmann::json;

std::string error_of(const Json& j) {
  try {
    train_config_from_json(j);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(DynamicsTrainConfig, DefaultsAndRoundTrip) {
  const TrainConfig d = train_config_from_json(Json::object());
  EXPECT_EQ(d.batch_size, 64);
  EXPECT_EQ(d.momentum, 0.9);
  EXPECT_FALSE(d.unit_normalise);
  EXPECT_FALSE(d.fixed_lambda.has_value());
  const Json j = {{"steps", 77},        {"batch_size", 16},    {"learning_rate", 0.3}, {"fixed_lambda", 0.25},
                  {"initial_lambda", 1}, {"momentum", 0.5},   {"unit_normalise", true}, {"seed", 9},
                  {"record_every", 7},  {"exact_every", 14},  {"exact_predictor", "oracle"}};
  const TrainConfig c = train_config_from_json(j);
  EXPECT_EQ(c.steps, 77);
  EXPECT_EQ(*c.fixed_lambda, 0.25);
  EXPECT_EQ(c.exact_predictor, dag::PredictorKind::oracle);
  EXPECT_EQ(train_config_to_json(train_config_from_json(train_config_to_json(c))), train_config_to_json(c));
}

TEST(DynamicsTrainConfig, ErrorsNameTheKey) {
  EXPECT_NE(error_of({{"momentum", 1.5}}).find("train.momentum"), std::string::npos);
  EXPECT_NE(error_of({{"batch_size", 1}}).find("train.batch_size"), std::string::npos);
  EXPECT_NE(error_of({{"fixed_lambda", -0.1}}).find("train.fixed_lambda"), std::string::npos);
  EXPECT_NE(error_of({{"stepz", 10}}).find("stepz"), std::string::npos);
  EXPECT_NE(error_of({{"steps", "many"}}).find("train.steps"), std::string::npos);
  EXPECT_NE(error_of({{"exact_predictor", "table"}}).find("train.exact_predictor"), std::string::npos);
  // exact_every must be a multiple of record_every.
  EXPECT_NE(error_of({{"record_every", 3}, {"exact_every", 10}}).find("train.exact_every"), std::string::npos);
}

TEST(DynamicsTrainConfig, MemoryCapNamesRecordEvery) {
  TrainConfig c;
  c.steps = 100000000;
  try {
    validate_train_config(c, 40);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("record_every"), std::string::npos) << e.what();
  }
}

TEST(DynamicsTrainScenario, LoadsPresetWithoutTrainAndWithTrain) {
  const std::string preset = std::string(SGLAB_SOURCE_DIR) + "/assets/presets/T2_noisy_feedback.json";
  config::Scenario with = labs::read_scenario(preset);
  EXPECT_EQ(train_config_of(with).steps, TrainConfig{}.steps);
  TrainConfig c;
  c.steps = 123;
  c.fixed_lambda = 0.4;
  c.seed = ~std::uint64_t{0};  // seeds span the whole unsigned range
  with.bodies["train"] = train_config_to_json(c);
  const auto path = std::filesystem::temp_directory_path() / "sglab-dynamics-config-test.json";
  labs::write_scenario(path.string(), with);
  const config::Scenario back = labs::read_scenario(path.string());
  EXPECT_EQ(train_config_of(back).steps, 123);
  EXPECT_EQ(*train_config_of(back).fixed_lambda, 0.4);
  EXPECT_EQ(train_config_of(back).seed, ~std::uint64_t{0});
  EXPECT_EQ(back, with);
  EXPECT_EQ(dag::dag_spec_to_json(training_network(back, train_config_of(back))), *with.body("dag"));
  // A bad key inside "train" is named with the file.
  Json doc = config::scenario_to_json(with);
  doc["train"]["momentum"] = 3;
  {
    std::ofstream f(path);
    f << doc.dump();
  }
  try {
    labs::read_scenario(path.string());
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("train.momentum"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
  }
  std::filesystem::remove(path);
}

TEST(DynamicsTrainScenario, NetworkChoiceRoundTrips) {
  TrainConfig sparse;
  sparse.network.kind = TrainNetwork::Kind::kSparse40;
  EXPECT_EQ(train_config_from_json(train_config_to_json(sparse)).network, sparse.network);
  config::Scenario s;  // no "dag" body: only an explicit network trains
  EXPECT_EQ(training_network(s, sparse).layers.size(), sparse40_spec().layers.size());
  TrainConfig own;
  own.network.kind = TrainNetwork::Kind::kOwnSpec;
  own.network.name = "T3 copy";
  own.network.spec = sparse40_spec();
  const TrainConfig back = train_config_from_json(train_config_to_json(own));
  EXPECT_EQ(back.network, own.network);
  EXPECT_EQ(back.network.name, "T3 copy");
  EXPECT_THROW(training_network(s, TrainConfig{}), Error);  // names the missing "dag" body
}

}  // namespace
}  // namespace sglab::dynamics
