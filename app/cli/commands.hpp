#pragma once
// sglab-cli subcommands: each file adds one subcommand to the app. A command's
// callback stores its exit status in the context; errors propagate as
// sglab::Error and main() prints them as one line.

#include <CLI/CLI.hpp>

namespace sglab::cli {

struct CommandContext {
  int exit_code = 0;
  bool parse_only = false;  ///< callbacks return at once (the argument fuzzer)
};

void add_expert_sweep_command(CLI::App& app, CommandContext& context);
void add_dag_command(CLI::App& app, CommandContext& context);
void add_train_command(CLI::App& app, CommandContext& context);
void add_bandit_command(CLI::App& app, CommandContext& context);
void add_merge_command(CLI::App& app, CommandContext& context);  // sharded sweeps (issue 13)
void add_lesson_command(CLI::App& app, CommandContext& context);  // lesson files (issue 11)

/// The whole sglab-cli app: every subcommand (main() and the argument fuzzer).
void add_all_commands(CLI::App& app, CommandContext& context);

}  // namespace sglab::cli
