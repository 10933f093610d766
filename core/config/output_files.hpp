#pragma once
// The one writer of every file sglab writes (CLI outputs, scenarios, settings,
// exports). A file appears whole under its final name or not at all:
//  - each file is written to an exclusive temp with an unpredictable name in
//    its own folder (mkstemp: O_EXCL, never follows a planted link), fsync'ed,
//    and only when every file of the set is written are they renamed into
//    place, in the order given (put the file that describes the set last);
//  - on an error every temp is removed, and SIGINT / SIGTERM during the write
//    remove them too before the process ends.
// Folders are probed for writability (a real temp file) before a command
// computes, so a run never fails only at the end.

#include <string>
#include <vector>

namespace sglab::config {

struct OutputFile {
  std::string path;
  std::string content;
};

/// Throws sglab::Error naming `what` (a flag, e.g. "--outdir") unless `folder`
/// exists as a folder where a file can be created, or could be created.
void check_folder_writable(const std::string& folder, const std::string& what);
/// Throws unless a file could be created or replaced at `path` (its folder must exist).
void check_file_writable(const std::string& path, const std::string& what);

/// Writes the set into existing folders; throws sglab::Error naming `what`.
void write_files(const std::vector<OutputFile>& files, const std::string& what);
void write_file(const std::string& path, const std::string& content, const std::string& what);

/// FNV-1a 64 of `bytes` as 16 hex digits: recorded by a set's describing file
/// (config.json) so that a reader can tell a mismatched set.
std::string content_checksum(const std::string& bytes);

}  // namespace sglab::config
