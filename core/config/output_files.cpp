#include "core/config/output_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <thread>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "core/util/error.hpp"

namespace sglab::config {

namespace fs = std::filesystem;

namespace {

// ---- temps removed on SIGINT / SIGTERM ------------------------------------------------
// The handler may only call async-signal-safe functions: it unlinks names kept
// in fixed buffers, then re-raises the signal with the default action.
constexpr std::size_t kMaxLiveTemps = 32;
struct TempSlot {
  std::atomic<bool> used{false};
  char path[4096] = {};
};
std::array<TempSlot, kMaxLiveTemps> g_temps;
std::atomic<bool> g_handlers_installed{false};

extern "C" void remove_temps_and_reraise(int signal_number) {
  for (auto& slot : g_temps)
    if (slot.used.load()) ::unlink(slot.path);
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);
}

void install_signal_cleanup() {
  if (g_handlers_installed.exchange(true)) return;
  for (int s : {SIGINT, SIGTERM}) {
    struct sigaction previous {};
    sigaction(s, nullptr, &previous);
    if (previous.sa_handler != SIG_DFL) continue;  // the program handles it itself
    struct sigaction action {};
    action.sa_handler = remove_temps_and_reraise;
    sigemptyset(&action.sa_mask);
    sigaction(s, &action, nullptr);
  }
}

// One temp file of the set: registered for the signal handler while it exists.
class TempFile {
 public:
  TempFile(const fs::path& final_path, const std::string& what) : final_(final_path) {
    const fs::path folder = final_path.parent_path().empty() ? fs::path(".") : final_path.parent_path();
    std::string pattern = (folder / ("." + final_path.filename().string() + ".XXXXXX")).string();
    if (pattern.size() >= sizeof(TempSlot::path)) throw Error(what + ": path too long: " + final_path.string());
    for (auto& slot : g_temps) {
      bool expected = false;
      if (slot.used.compare_exchange_strong(expected, true)) {
        slot_ = &slot;
        break;
      }
    }
    if (!slot_) throw Error(what + ": too many files written at once");
    std::memcpy(slot_->path, pattern.c_str(), pattern.size() + 1);
    fd_ = ::mkstemp(slot_->path);  // O_EXCL with a random name: never opens a planted file or link
    if (fd_ < 0) {
      const int err = errno;
      slot_->used.store(false);
      throw Error(what + ": cannot create a file in " + folder.string() + " (" + std::strerror(err) + ")");
    }
    path_ = slot_->path;
  }
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!renamed_) ::unlink(path_.c_str());
    slot_->used.store(false);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  void write_all(const std::string& content, const std::string& what) {
    std::size_t done = 0;
    while (done < content.size()) {
      const ssize_t n = ::write(fd_, content.data() + done, content.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw Error(what + ": write failed for " + final_.string() + " (" + std::strerror(errno) + ")");
      done += static_cast<std::size_t>(n);
    }
    // Readable like a file the user made themselves (mkstemp creates 0600).
    const mode_t mask = ::umask(0);
    ::umask(mask);
    ::fchmod(fd_, 0666 & ~mask);
    if (::fsync(fd_) != 0 || ::close(fd_) != 0) {
      fd_ = -1;
      throw Error(what + ": write failed for " + final_.string() + " (" + std::strerror(errno) + ")");
    }
    fd_ = -1;
  }
  void rename_into_place(const std::string& what) {
    if (std::rename(path_.c_str(), final_.c_str()) != 0)
      throw Error(what + ": cannot create " + final_.string() + " (" + std::strerror(errno) + ")");
    renamed_ = true;
  }

 private:
  fs::path final_;
  TempSlot* slot_ = nullptr;
  std::string path_;
  int fd_ = -1;
  bool renamed_ = false;
};

// The nearest folder on the way up from `path` that already exists.
fs::path nearest_existing(fs::path path) {
  std::error_code ec;
  while (!path.empty() && !fs::exists(path, ec)) path = path.parent_path();
  return path.empty() ? fs::path(".") : path;
}

}  // namespace

void check_folder_writable(const std::string& folder, const std::string& what) {
  if (folder.empty()) throw Error(what + ": needs a folder name");
  const fs::path probe_dir = nearest_existing(folder);
  std::error_code ec;
  if (!fs::is_directory(probe_dir, ec))
    throw Error(what + ": " + probe_dir.string() + " exists and is not a folder");
  // A real probe: permission bits say nothing for root or on /proc.
  std::string probe = (probe_dir / ".sglab-probe.XXXXXX").string();
  const int fd = ::mkstemp(probe.data());
  if (fd < 0)
    throw Error(what + ": cannot create files in " + probe_dir.string() + " (" + std::strerror(errno) + ")");
  ::close(fd);
  ::unlink(probe.c_str());
}

void check_file_writable(const std::string& path, const std::string& what) {
  std::error_code ec;
  if (path.empty()) throw Error(what + ": needs a file name");
  if (fs::is_directory(path, ec)) throw Error(what + ": " + path + " is a folder");
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec))
    throw Error(what + ": folder " + parent.string() + " does not exist");
  check_folder_writable(parent.empty() ? "." : parent.string(), what);
}

// TEST HOOK (kill tests, tests/cli/output_kill_test.cpp): with the environment
// variable SGLAB_TEST_PAUSE_BEFORE_RENAME_MS=<ms>, every write sleeps that long
// after all temps of the set are written and before any is renamed, so a test
// can deliver SIGINT / SIGTERM / SIGKILL inside the write phase. Unset (always,
// outside tests) it costs one getenv per write.
static void pause_before_rename_for_tests() {
  const char* text = std::getenv("SGLAB_TEST_PAUSE_BEFORE_RENAME_MS");
  if (text == nullptr) return;
  const long ms = std::strtol(text, nullptr, 10);
  if (ms > 0 && ms <= 600000) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

void write_files(const std::vector<OutputFile>& files, const std::string& what) {
  install_signal_cleanup();
  std::vector<std::unique_ptr<TempFile>> temps;
  for (const auto& file : files) {
    if (file.path.empty()) throw Error(what + ": needs a file name");
    std::error_code ec;
    if (fs::is_directory(file.path, ec)) throw Error(what + ": " + file.path + " is a folder");
    temps.push_back(std::make_unique<TempFile>(file.path, what));
    temps.back()->write_all(file.content, what);
  }
  pause_before_rename_for_tests();
  for (auto& temp : temps) temp->rename_into_place(what);
}

void write_file(const std::string& path, const std::string& content, const std::string& what) {
  write_files({{path, content}}, what);
}

std::string content_checksum(const std::string& bytes) {
  std::uint64_t h = 14695981039346656037ull;  // FNV-1a 64 offset basis
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;  // FNV-1a 64 prime
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

}  // namespace sglab::config
