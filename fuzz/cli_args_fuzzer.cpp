// libFuzzer harness: sglab-cli's argument parser. The input is split at NUL
// bytes into argv (at most kMaxArgs words); the real CLI11 app of sglab-cli is
// built (add_all_commands) and parsed with CommandContext::parse_only set (every
// callback returns at once), so flags, validators (integer_in, ranges, IsMember) and CLI11's
// own parsing run while no computation or file output happens. CLI11 parse
// errors are the expected refusals; any other exception, crash or UB is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "app/cli/commands.hpp"

namespace {
constexpr std::size_t kMaxArgs = 64;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> words(1, "sglab-cli");
  std::string current;
  for (std::size_t i = 0; i < size && words.size() < kMaxArgs; ++i) {
    if (data[i] == 0) {
      words.push_back(current);
      current.clear();
    } else {
      current.push_back(static_cast<char>(data[i]));
    }
  }
  if (!current.empty() && words.size() < kMaxArgs) words.push_back(current);
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());

  CLI::App app{"sglab-cli"};
  sglab::cli::CommandContext context;
  context.parse_only = true;
  sglab::cli::add_all_commands(app, context);
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::Error&) {
    // refused (or --help): the expected outcome for most inputs
  }
  return 0;
}
