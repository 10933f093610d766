#pragma once
// Shared checks of the sharded sweeps' CLI tests (expert-sweep and bandit).

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "tests/cli/cli_test_support.hpp"

namespace sglab::testing {

/// `args --shard SPEC` with each bad SPEC: a non-zero exit, an error naming
/// --shard, and no output folder.
inline void expect_bad_shard_specs_refused(const std::string& args, const std::string& name) {
  ScratchDir dir(name);
  for (const char* spec : {"0/3", "4/3", "3", "a/b", "1/0", "-1/3"}) {
    const CommandResult r = run_cli(args + " --shard " + spec + " --outdir " + dir.str() + "/o");
    EXPECT_NE(r.exit_code, 0) << spec;
    EXPECT_NE(r.output.find("--shard"), std::string::npos) << r.output;
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "o")) << spec;
  }
}

}  // namespace sglab::testing
