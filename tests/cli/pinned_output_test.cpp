// Pinned outputs (tests/cli/pinned_outputs.hpp): the paper's default sweep,
// the exact DAG analysis of every preset and a 500-step training run hash to
// the pinned values, and give the same bytes for --threads 1 and 2 where the
// command takes --threads.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "tests/cli/cli_test_support.hpp"
#include "tests/cli/pinned_outputs.hpp"

namespace sglab::testing {
namespace {

const std::string kPresets = std::string(SGLAB_SOURCE_DIR) + "/assets/presets/";

// FNV-1a, 64 bits: h ← (h XOR byte) · prime over the bytes, from the offset basis.
std::uint64_t fnv1a64(const std::string& bytes) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const unsigned char byte : bytes) {
    h ^= byte;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string hex(std::uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%016llx", static_cast<unsigned long long>(v));
  return buf;
}

void expect_pinned(const std::string& bytes, std::uint64_t pin, const std::string& what) {
  ASSERT_FALSE(bytes.empty()) << what;
  EXPECT_EQ(hex(fnv1a64(bytes)), hex(pin))
      << what << " changed (" << bytes.size() << " bytes). If the change is intended, update the pin in "
      << "tests/cli/pinned_outputs.hpp in the same commit and say why.";
}

TEST(PinnedOutputs, ExpertSweepPaperDefaults) {
  ScratchDir dir("pinned-expert");
  const auto one = dir.path() / "one", two = dir.path() / "two";
  const CommandResult a = run_cli("expert-sweep --threads 1 --outdir " + one.string());
  ASSERT_EQ(a.exit_code, 0) << a.output;
  const std::string csv = read_file(one / "summary.csv");
  expect_pinned(csv, pins::kExpertSweepDefaultSummaryCsv, "expert-sweep summary.csv (paper defaults)");
  const CommandResult b = run_cli("expert-sweep --threads 2 --outdir " + two.string());
  ASSERT_EQ(b.exit_code, 0) << b.output;
  EXPECT_EQ(read_file(two / "summary.csv"), csv) << "same bytes for --threads 1 and 2";
}

TEST(PinnedOutputs, DagExactJsonOfEveryPreset) {
  const char* names[] = {"T1_dense_deterministic", "T2_noisy_feedback", "T3_stochastic_neurons",
                         "T4_imperfect_predictor", "T5_sparse"};
  ScratchDir dir("pinned-dag");
  for (int i = 0; i < 5; ++i) {
    SCOPED_TRACE(names[i]);
    const std::string scenario = kPresets + names[i] + ".json";
    const auto one = dir.path() / (std::string(names[i]) + "_1.json");
    const auto two = dir.path() / (std::string(names[i]) + "_2.json");
    const CommandResult a = run_cli("dag --scenario " + scenario + " --json --threads 1 --out " + one.string());
    ASSERT_EQ(a.exit_code, 0) << a.output;
    const CommandResult b = run_cli("dag --scenario " + scenario + " --json --threads 2 --out " + two.string());
    ASSERT_EQ(b.exit_code, 0) << b.output;
    const std::string json = read_file(one);
    expect_pinned(json, pins::kDagJson[i], std::string("dag --json of ") + names[i]);
    EXPECT_EQ(read_file(two), json) << "same bytes for --threads 1 and 2";
  }
}

TEST(PinnedOutputs, TrainT2FiveHundredSteps) {
  ScratchDir dir("pinned-train");
  const auto out = dir.path() / "t2.csv";
  const CommandResult a = run_cli("train --scenario " + kPresets + "T2_noisy_feedback.json --steps 500 --quiet --out " +
                                  out.string());
  ASSERT_EQ(a.exit_code, 0) << a.output;
  expect_pinned(read_file(out), pins::kTrainT2Steps500Csv, "train T2, 500 steps, CSV");
}

}  // namespace
}  // namespace sglab::testing
