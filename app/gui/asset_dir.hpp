#pragma once
// Where the desktop app finds its assets (presets/), in this order:
//   1. the --assets flag,
//   2. the SGLAB_ASSETS environment variable,
//   3. <folder of the executable>/../share/sglab when it holds presets/
//      (an installed sglab: /usr/bin/sglab -> /usr/share/sglab),
//   4. the folder named in sglab-build-assets.txt next to the executable,
//      which the build writes and `cmake --install` does not copy, so a run
//      from the build tree finds the source tree's assets while no path of
//      the build machine is compiled into any binary.
// If none exists, (3) is returned and the app says it found no presets there.

#include <string>

namespace sglab::gui {

/// `flag` is the --assets value ("" when not given).
std::string resolve_assets_dir(const std::string& flag);

/// One line for stderr when `dir` holds no presets/ folder, else "".
std::string assets_warning(const std::string& dir);

/// The file name of the build tree's marker (see above).
inline constexpr const char* kBuildAssetsMarker = "sglab-build-assets.txt";

}  // namespace sglab::gui
