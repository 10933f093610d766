#include "app/gui/asset_dir.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace sglab::gui {

namespace fs = std::filesystem;

std::string resolve_assets_dir(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("SGLAB_ASSETS"); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "assets";  // no /proc: fall back to a folder beside the working directory
  const fs::path installed = (exe.parent_path() / ".." / "share" / "sglab").lexically_normal();
  if (fs::is_directory(installed / "presets", ec)) return installed.string();
  std::ifstream marker(exe.parent_path() / kBuildAssetsMarker);
  std::string build_assets;
  if (marker && std::getline(marker, build_assets) && fs::is_directory(build_assets, ec)) return build_assets;
  return installed.string();
}

std::string assets_warning(const std::string& dir) {
  std::error_code ec;
  if (fs::is_directory(fs::path(dir) / "presets", ec)) return "";
  return "no presets in " + dir + "/presets (give the assets folder with --assets or SGLAB_ASSETS)";
}

}  // namespace sglab::gui
