#pragma once
// Output files of sglab-cli commands: checked before a run starts, written
// whole at the end (temp file + rename), so a failed run leaves no partial file.

#include <string>

namespace sglab::cli {

/// Throws sglab::Error naming `flag` unless a file could be created at
/// `path` (its nearest existing folder is writable and it is not a folder).
void check_file_writable(const std::string& path, const std::string& flag);

/// Throws sglab::Error naming `flag` unless `folder` exists as a writable
/// folder or could be created.
void check_folder_writable(const std::string& folder, const std::string& flag);

/// Writes `text` to `path` through a temp file renamed into place.
void write_file_atomically(const std::string& path, const std::string& text, const std::string& flag);

}  // namespace sglab::cli
