// The "train" object of a scenario (train_config.hpp): strict reading, errors
// naming the key, round trip, and the training-scenario loader.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/dynamics/train_config.hpp"
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
  const TrainScenario plain = load_train_scenario(preset);
  EXPECT_EQ(plain.config.steps, TrainConfig{}.steps);
  TrainScenario with = plain;
  with.config.steps = 123;
  with.config.fixed_lambda = 0.4;
  const auto path = std::filesystem::temp_directory_path() / "sglab-dynamics-config-test.json";
  {
    std::ofstream f(path);
    f << train_scenario_to_json(with).dump(2);
  }
  const TrainScenario back = load_train_scenario(path.string());
  EXPECT_EQ(back.config.steps, 123);
  EXPECT_EQ(*back.config.fixed_lambda, 0.4);
  EXPECT_EQ(train_scenario_to_json(back), train_scenario_to_json(with));
  // A bad key inside "train" is named with the file.
  Json doc = train_scenario_to_json(with);
  doc["train"]["momentum"] = 3;
  {
    std::ofstream f(path);
    f << doc.dump();
  }
  try {
    load_train_scenario(path.string());
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("train.momentum"), std::string::npos) << e.what();
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace sglab::dynamics
