#pragma once
// Reading an input file whole, safely: only a regular file (a device such as
// /dev/zero, a FIFO or a folder is refused by what it is), and never more than
// a cap, whatever size the file system reports (issue 10: a device reports 0).

#include <cstddef>
#include <string>

namespace sglab::config {

/// Scenario, lesson and other config files sglab reads.
constexpr std::size_t kMaxConfigFileBytes = std::size_t{16} << 20;

/// The file's bytes. Throws sglab::Error naming `path` when it cannot be opened,
/// is not a regular file (says what it is instead) or holds more than `max_bytes`.
std::string read_regular_file(const std::string& path, std::size_t max_bytes);

}  // namespace sglab::config
