#pragma once
// Keep freed heap memory for reuse (glibc): allocations under 32 MiB come from
// the malloc arenas and stay there when freed, instead of being mapped and
// unmapped (or the heap trimmed) each time. The labs build and drop the same
// tables over and over — an exact λ* probe every 50 training steps, a knob's
// rebuild — and each fresh page costs a fault and its zeroing: 38 % of the
// probe thread's time in the mixing-dynamics lab (issue 12, perf). The price is
// a resident heap that stays at its peak below that size. Larger blocks (the
// expert lab's per-state arrays) are still mapped and returned on free.
// Call once at start, before other threads run. A no-op without glibc.

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace sglab {

inline void keep_freed_heap_for_reuse() {
#if defined(__GLIBC__)
  constexpr int kMapAbove = 32 << 20;  // glibc's own ceiling for its adaptive threshold
  mallopt(M_MMAP_THRESHOLD, kMapAbove);
  mallopt(M_TRIM_THRESHOLD, 16 * kMapAbove);
#endif
}

}  // namespace sglab
