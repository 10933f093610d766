// sglab-cli: the headless twin of the sglab app; runs the same core in batch.
#include <cstdio>
#include <exception>

#include "app/cli/commands.hpp"
#include "core/util/error.hpp"
#include "core/util/heap_reuse.hpp"
#include "sglab/version.hpp"

int main(int argc, char** argv) {
  sglab::keep_freed_heap_for_reuse();
  CLI::App app{"sglab-cli: when do synthetic gradients beat backpropagation? (headless runner)"};
  app.set_version_flag("--version", std::string("sglab-cli ") + sglab::kVersion);
  sglab::cli::CommandContext context;
  sglab::cli::add_all_commands(app, context);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // One line naming the flag (CLI11's own exit() adds a second, generic line).
    if (e.get_exit_code() == 0) return app.exit(e);
    std::fprintf(stderr, "sglab-cli: error: %s (see --help)\n", e.what());
    return e.get_exit_code();
  } catch (const sglab::Error& e) {
    std::fprintf(stderr, "sglab-cli: error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sglab-cli: internal error: %s\n", e.what());
    return 3;
  }
  return context.exit_code;
}
