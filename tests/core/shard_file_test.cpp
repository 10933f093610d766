// Shard envelope and the deterministic split (core/shard/shard_file.hpp).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/shard/shard_file.hpp"
#include "core/util/error.hpp"

namespace sglab::shard {
namespace {

TEST(ShardSpec, ParsesIOverNAndRefusesTheRest) {
  const ShardSpec s = parse_shard_spec("2/5");
  EXPECT_EQ(s.index, 2);
  EXPECT_EQ(s.count, 5);
  for (const char* bad : {"0/5", "6/5", "5", "/5", "2/", "a/5", "2/5/1", "-1/5", "1/1000001", "1.5/3"})
    EXPECT_THROW(parse_shard_spec(bad), Error) << bad;
  EXPECT_EQ(shard_file_name({3, 7}), "shard-3-of-7.json");
}

TEST(WeightedPart, PartsAreContiguousCoverEveryItemOnceAndBalanceWeight) {
  // Costs like the expert sweep's: 2^d for d = 4..12, 24 units each.
  std::vector<double> w;
  for (int d = 4; d <= 12; ++d)
    for (int u = 0; u < 24; ++u) w.push_back(std::ldexp(1.0, d));
  double total = 0;
  for (double x : w) total += x;
  for (int n : {1, 2, 3, 7, 50, 500}) {
    std::size_t next = 0;
    for (int i = 1; i <= n; ++i) {
      const auto [b, e] = weighted_part(w, {i, n});
      ASSERT_EQ(b, next) << "part " << i << "/" << n;
      ASSERT_LE(b, e);
      double part = 0;
      for (std::size_t j = b; j < e; ++j) part += w[j];
      // A part overshoots its share by less than one item (the largest is 2^12).
      EXPECT_LE(part, total / n + 4096.0) << i << "/" << n;
      next = e;
    }
    EXPECT_EQ(next, w.size()) << n;
  }
}

TEST(ShardEnvelope, RoundTripsAndRefusesOtherFiles) {
  ShardFile f;
  f.kind = "expert-sweep";
  f.spec = {2, 3};
  f.settings = {{"seed", 1}};
  f.payload = {{"x", exact_number(0.1 + 0.2)}, {"inf", exact_number(std::numeric_limits<double>::infinity())}};
  const ShardFile back = shard_from_json(nlohmann::json::parse(to_json(f).dump()), "mem");
  EXPECT_EQ(back.kind, "expert-sweep");
  EXPECT_EQ(back.spec.index, 2);
  EXPECT_EQ(back.spec.count, 3);
  // Bit-exact doubles through the text, infinities as strings.
  EXPECT_EQ(exact_number_from_json(back.payload.at("x"), "x"), 0.1 + 0.2);
  EXPECT_TRUE(std::isinf(exact_number_from_json(back.payload.at("inf"), "inf")));
  nlohmann::json j = to_json(f);
  j["format"] = "other";
  EXPECT_THROW(shard_from_json(j, "mem"), Error);
  j = to_json(f);
  j["shard"]["index"] = 4;
  EXPECT_THROW(shard_from_json(j, "mem"), Error);
  j = to_json(f);
  j.erase("kind");
  EXPECT_THROW(shard_from_json(j, "mem"), Error);
}

TEST(ShardSet, NeutralKeysMayDifferOthersMayNot) {
  auto make = [](int i, int threads, int seed) {
    ShardFile f;
    f.kind = "k";
    f.spec = {i, 2};
    f.settings = {{"threads", threads}, {"seed", seed}};
    f.payload = nlohmann::json::object();
    f.source = "s" + std::to_string(i);
    return f;
  };
  const auto ok = check_complete_set({make(2, 4, 1), make(1, 1, 1)}, {"threads"});
  ASSERT_EQ(ok.size(), 2u);
  EXPECT_EQ(ok[0].spec.index, 1);  // ordered by index
  try {
    check_complete_set({make(1, 1, 1), make(2, 1, 9)}, {"threads"});
    FAIL() << "different seeds merged";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("\"seed\" differs"), std::string::npos) << e.what();
  }
  EXPECT_THROW(check_complete_set({make(1, 1, 1)}, {"threads"}), Error);  // 2/2 missing
  EXPECT_THROW(check_complete_set({}, {"threads"}), Error);
}

}  // namespace
}  // namespace sglab::shard
