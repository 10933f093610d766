#include "core/config/input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/util/error.hpp"

namespace sglab::config {

namespace {

const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a pipe (FIFO)";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// Closes the descriptor on every path out.
struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

std::string read_regular_file(const std::string& path, std::size_t max_bytes) {
  if (path.empty()) throw Error("no file name given");
  // O_NONBLOCK: opening a FIFO with no writer must not hang before fstat can refuse it.
  Fd file{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)};
  if (file.fd < 0) throw Error(path + ": cannot open (" + std::strerror(errno) + ")");
  struct stat st {};
  if (::fstat(file.fd, &st) != 0) throw Error(path + ": cannot read (" + std::strerror(errno) + ")");
  if (!S_ISREG(st.st_mode)) throw Error(path + ": is " + std::string(kind_of(st.st_mode)) + ", not a file");
  const std::string too_large =
      path + ": file larger than " + std::to_string(max_bytes >> 20) + " MiB (" + std::to_string(max_bytes) + " bytes)";
  if (static_cast<unsigned long long>(st.st_size) > max_bytes) throw Error(too_large);
  // Read at most max_bytes + 1 whatever st_size said: the file may grow while we read.
  std::string bytes;
  char buffer[1 << 16];
  while (bytes.size() <= max_bytes) {
    const ssize_t got = ::read(file.fd, buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw Error(path + ": cannot read (" + std::strerror(errno) + ")");
    }
    if (got == 0) break;
    bytes.append(buffer, static_cast<std::size_t>(got));
  }
  if (bytes.size() > max_bytes) throw Error(too_large);
  return bytes;
}

}  // namespace sglab::config
