#include "app/cli/commands.hpp"

namespace sglab::cli {

void add_all_commands(CLI::App& app, CommandContext& context) {
  app.require_subcommand(1);
  add_expert_sweep_command(app, context);
  add_dag_command(app, context);
  add_train_command(app, context);
  add_bandit_command(app, context);
  add_merge_command(app, context);
  add_lesson_command(app, context);
}

}  // namespace sglab::cli
