// The bandit config's strict JSON codec and its validation.
#include <gtest/gtest.h>

#include "core/bandit/bandit_config_json.hpp"
#include "core/config/json_reader.hpp"
#include "core/util/error.hpp"

namespace sglab::bandit {
namespace {

std::string error_of(const nlohmann::json& body) {
  try {
    bandit_config_from_json(body);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(BanditConfig, RoundTripsThroughJson) {
  BanditConfig c;
  c.data = DataSource::kSynthetic;
  c.p_flip = {0.0, 0.2, 0.4};
  c.methods = {Method::kMlp, Method::kSgAdaptive};
  c.policy_lr = {1e-3, 5e-3};
  c.seeds = 6;
  const nlohmann::json j = bandit_config_to_json(c);
  EXPECT_EQ(bandit_config_to_json(bandit_config_from_json(j)), j);
  EXPECT_EQ(bandit_config_to_json(bandit_config_from_json(nlohmann::json::object())), bandit_config_to_json(BanditConfig{}));
}

TEST(BanditConfig, RejectsWithTheKeyNamed) {
  EXPECT_NE(error_of({{"widht", 3}}).find("bandit.widht"), std::string::npos);
  EXPECT_NE(error_of({{"p_flip", {0.1, 1.5}}}).find("bandit.p_flip"), std::string::npos);
  EXPECT_NE(error_of({{"methods", {"bp", "sgd"}}}).find("bandit.methods[1]"), std::string::npos);
  EXPECT_NE(error_of({{"batch_size", 1}}).find("bandit.batch_size"), std::string::npos);
  EXPECT_NE(error_of({{"width", 2}, {"num_parents", {3}}}).find("bandit.num_parents"), std::string::npos);
  EXPECT_NE(error_of({{"n_dim", 30}, {"num_parents", {3}}}).find("pixels"), std::string::npos);
  EXPECT_NE(error_of({{"classes", {1, 1}}}).find("bandit.classes"), std::string::npos);
  EXPECT_NE(error_of({{"steps", "ten"}}).find("bandit.steps"), std::string::npos);
}

TEST(BanditConfig, PaperScaleIsValid) {
  BanditConfig c;
  apply_paper_scale(c);
  EXPECT_NO_THROW(validate(c));
  EXPECT_EQ(c.width, 200);
  EXPECT_EQ(c.n_dim * c.num_parents[0], 50);
}

}  // namespace
}  // namespace sglab::bandit

namespace sglab::bandit {
namespace {

TEST(BanditConfig, PresetsLoad) {
  for (const char* name : {"bandit_1_live_default.json", "bandit_2_paper_pflip_sweep.json"}) {
    const nlohmann::json doc =
        config::read_json_file(std::string(SGLAB_SOURCE_DIR) + "/assets/presets/" + name);
    EXPECT_EQ(doc.at("lab"), "bandit") << name;
    EXPECT_NO_THROW(bandit_config_from_json(doc.at("bandit"))) << name;
  }
  const nlohmann::json live = config::read_json_file(std::string(SGLAB_SOURCE_DIR) + "/assets/presets/bandit_1_live_default.json");
  EXPECT_EQ(bandit_config_to_json(bandit_config_from_json(live.at("bandit"))).dump(),
            bandit_config_to_json(BanditConfig{}).dump());  // the preset is the code's default
}

}  // namespace
}  // namespace sglab::bandit
