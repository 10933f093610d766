#pragma once
// CPU time of the GL driver's own threads (Mesa llvmpipe rasterises on threads
// named "llvmpipe-N"): what a frame costs the software renderer, summed over
// the run, so --frame-log can report it per frame without the machine's load in it.

namespace sglab::gui {

/// User + system CPU milliseconds of this process's threads whose name starts
/// with "llvmpipe" (0 without such threads, e.g. on a hardware driver).
double driver_threads_cpu_ms();

}  // namespace sglab::gui
