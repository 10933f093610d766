#include "app/gui/driver_threads.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace sglab::gui {

double driver_threads_cpu_ms() {
  namespace fs = std::filesystem;
  std::error_code ec;
  const double ms_per_tick = 1000.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
  double total = 0.0;
  for (const auto& task : fs::directory_iterator("/proc/self/task", ec)) {
    std::string name;
    std::getline(std::ifstream(task.path() / "comm"), name);
    if (name.rfind("llvmpipe", 0) != 0) continue;
    std::string stat;
    std::getline(std::ifstream(task.path() / "stat"), stat);
    // Fields after the ") " that closes the name: state is field 3, utime 14, stime 15.
    const auto close = stat.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream fields(stat.substr(close + 2));
    std::string skip;
    for (int f = 3; f < 14; ++f) fields >> skip;
    double utime = 0.0, stime = 0.0;
    fields >> utime >> stime;
    total += (utime + stime) * ms_per_tick;
  }
  return total;
}

}  // namespace sglab::gui
