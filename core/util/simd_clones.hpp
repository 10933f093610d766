#pragma once
// SGLAB_SIMD_CLONES: compile a hot kernel twice, for baseline x86-64 (SSE2)
// and for AVX2, and pick one at load time by the CPU (GCC function
// multi-versioning). Only for kernels whose bytes cannot depend on the clone:
// integer arithmetic, or floating point without fused multiply-add (the AVX2
// clone has no FMA, and the core is built with -ffp-contract=off for these
// files), where each lane performs the scalar operations in the scalar order.

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && \
    !defined(SGLAB_NO_SIMD_CLONES)
#define SGLAB_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define SGLAB_SIMD_CLONES
#endif
