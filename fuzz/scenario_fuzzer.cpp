// libFuzzer harness: the one scenario reader (labs::parse_scenario) on arbitrary
// text. Any input must either load or be refused with sglab::Error; every other
// exception, crash, leak or UB report is a finding. A loaded scenario is written
// back to text and read again: the round trip must succeed.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/config/scenario.hpp"
#include "core/labs/scenario_files.hpp"
#include "core/util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  sglab::config::Scenario scenario;
  try {
    scenario = sglab::labs::parse_scenario(text, "fuzz");
  } catch (const sglab::Error&) {
    return 0;  // refused with a message: the expected outcome for most inputs
  }
  const std::string again = sglab::config::scenario_to_text(scenario);
  (void)sglab::labs::parse_scenario(again, "fuzz round trip");  // must not throw
  return 0;
}
