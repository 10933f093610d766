#include "app/cli/output_files.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/util/error.hpp"

namespace sglab::cli {

namespace fs = std::filesystem;

namespace {

// The nearest folder on the way up from `path` that already exists.
fs::path nearest_existing(fs::path path) {
  std::error_code ec;
  while (!path.empty() && !fs::exists(path, ec)) path = path.parent_path();
  return path.empty() ? fs::path(".") : path;
}

}  // namespace

void check_folder_writable(const std::string& folder, const std::string& flag) {
  const fs::path probe = nearest_existing(folder);
  std::error_code ec;
  if (!fs::is_directory(probe, ec))
    throw Error(flag + ": " + probe.string() + " exists and is not a directory");
  if (::access(probe.c_str(), W_OK | X_OK) != 0)
    throw Error(flag + ": " + probe.string() + " is not writable");
}

void check_file_writable(const std::string& path, const std::string& flag) {
  std::error_code ec;
  if (path.empty()) throw Error(flag + ": needs a file name");
  if (fs::is_directory(path, ec)) throw Error(flag + ": " + path + " is a directory");
  const fs::path parent = fs::path(path).parent_path();
  check_folder_writable(parent.empty() ? "." : parent.string(), flag);
  if (fs::exists(path, ec) && ::access(path.c_str(), W_OK) != 0)
    throw Error(flag + ": " + path + " is not writable");
}

void write_file_atomically(const std::string& path, const std::string& text, const std::string& flag) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(flag + ": cannot write " + path);
    out << text;
    out.flush();
    if (!out) {
      out.close();
      std::remove(tmp.c_str());
      throw Error(flag + ": write failed for " + path);
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw Error(flag + ": cannot create " + path);
  }
}

}  // namespace sglab::cli
