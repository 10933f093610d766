#include "core/rng/philox_wide.hpp"

#include <algorithm>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

namespace sglab::rng {

namespace {

// Philox4x32 constants (Salmon et al. 2011; Random123's PHILOX_M4x32_* and PHILOX_W32_*).
constexpr std::uint32_t kMul0 = 0xD2511F53u, kMul1 = 0xCD9E8D57u;
constexpr std::uint32_t kWeyl0 = 0x9E3779B9u, kWeyl1 = 0xBB67AE85u;
constexpr std::size_t kLanes = 16;

// Ten rounds on kLanes blocks at once, in place. One round per block:
//   (x0, x1, x2, x3) → (hi(M1·x2) ⊕ x1 ⊕ k0, lo(M1·x2), hi(M0·x0) ⊕ x3 ⊕ k1, lo(M0·x0)),
// with the key bumped by the Weyl constants between rounds. The portable form.
void philox_rounds_portable(std::uint32_t* x0, std::uint32_t* x1, std::uint32_t* x2,
                            std::uint32_t* x3, std::uint32_t k0, std::uint32_t k1) {
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {
      k0 += kWeyl0;
      k1 += kWeyl1;
    }
    for (std::size_t l = 0; l < kLanes; ++l) {
      const std::uint64_t p0 = static_cast<std::uint64_t>(kMul0) * x0[l];
      const std::uint64_t p1 = static_cast<std::uint64_t>(kMul1) * x2[l];
      const std::uint32_t y0 = static_cast<std::uint32_t>(p1 >> 32) ^ x1[l] ^ k0;
      const std::uint32_t y2 = static_cast<std::uint32_t>(p0 >> 32) ^ x3[l] ^ k1;
      x0[l] = y0;
      x1[l] = static_cast<std::uint32_t>(p1);
      x2[l] = y2;
      x3[l] = static_cast<std::uint32_t>(p0);
    }
  }
}

#if defined(__x86_64__) && defined(__GNUC__)
// The same rounds with one block per 64-bit lane, the word in its low half
// (pmuludq multiplies exactly those halves). High halves collect garbage from
// the XORs, but nothing reads them: multiplies ignore them, XOR is bitwise,
// and only low halves are stored. V is __m128i (SSE2, 2 blocks) or __m256i (AVX2, 4).
#define SGLAB_PHILOX_ROUNDS(NAME, ATTR, V, SET1, LOAD, STORE, MUL, SRL, XOR)                 \
  ATTR void NAME(std::uint32_t* x0, std::uint32_t* x1, std::uint32_t* x2, std::uint32_t* x3, \
                 std::uint32_t k0, std::uint32_t k1) {                                       \
    constexpr std::size_t kPer = sizeof(V) / 8, kRegs = 4;                                   \
    for (std::size_t g = 0; g < kLanes; g += kPer * kRegs) {                                 \
      alignas(32) std::uint64_t t[4][kPer * kRegs];                                          \
      for (std::size_t l = 0; l < kPer * kRegs; ++l) {                                       \
        t[0][l] = x0[g + l];                                                                 \
        t[1][l] = x1[g + l];                                                                 \
        t[2][l] = x2[g + l];                                                                 \
        t[3][l] = x3[g + l];                                                                 \
      }                                                                                      \
      V a[kRegs], b[kRegs], c[kRegs], d[kRegs];                                              \
      _Pragma("GCC unroll 4") for (std::size_t i = 0; i < kRegs; ++i) {                      \
        a[i] = LOAD(reinterpret_cast<const V*>(&t[0][i * kPer]));                            \
        b[i] = LOAD(reinterpret_cast<const V*>(&t[1][i * kPer]));                            \
        c[i] = LOAD(reinterpret_cast<const V*>(&t[2][i * kPer]));                            \
        d[i] = LOAD(reinterpret_cast<const V*>(&t[3][i * kPer]));                            \
      }                                                                                      \
      const V m0 = SET1(kMul0), m1 = SET1(kMul1);                                            \
      std::uint32_t key0 = k0, key1 = k1;                                                    \
      _Pragma("GCC unroll 10") for (int round = 0; round < 10; ++round) {                    \
        if (round > 0) {                                                                     \
          key0 += kWeyl0;                                                                    \
          key1 += kWeyl1;                                                                    \
        }                                                                                    \
        const V kk0 = SET1(key0), kk1 = SET1(key1);                                          \
        _Pragma("GCC unroll 4") for (std::size_t i = 0; i < kRegs; ++i) {                    \
          const V p0 = MUL(a[i], m0), p1 = MUL(c[i], m1);                                    \
          a[i] = XOR(XOR(SRL(p1, 32), b[i]), kk0);                                           \
          b[i] = p1;                                                                         \
          c[i] = XOR(XOR(SRL(p0, 32), d[i]), kk1);                                           \
          d[i] = p0;                                                                         \
        }                                                                                    \
      }                                                                                      \
      _Pragma("GCC unroll 4") for (std::size_t i = 0; i < kRegs; ++i) {                      \
        STORE(reinterpret_cast<V*>(&t[0][i * kPer]), a[i]);                                  \
        STORE(reinterpret_cast<V*>(&t[1][i * kPer]), b[i]);                                  \
        STORE(reinterpret_cast<V*>(&t[2][i * kPer]), c[i]);                                  \
        STORE(reinterpret_cast<V*>(&t[3][i * kPer]), d[i]);                                  \
      }                                                                                      \
      for (std::size_t l = 0; l < kPer * kRegs; ++l) {                                       \
        x0[g + l] = static_cast<std::uint32_t>(t[0][l]);                                     \
        x1[g + l] = static_cast<std::uint32_t>(t[1][l]);                                     \
        x2[g + l] = static_cast<std::uint32_t>(t[2][l]);                                     \
        x3[g + l] = static_cast<std::uint32_t>(t[3][l]);                                     \
      }                                                                                      \
    }                                                                                        \
  }

inline __m128i set1_sse2(std::uint32_t v) {
  return _mm_set1_epi64x(static_cast<long long>(v));
}
SGLAB_PHILOX_ROUNDS(philox_rounds_sse2, , __m128i, set1_sse2, _mm_load_si128, _mm_store_si128,
                    _mm_mul_epu32, _mm_srli_epi64, _mm_xor_si128)
__attribute__((target("avx2"))) inline __m256i set1_avx2(std::uint32_t v) {
  return _mm256_set1_epi64x(static_cast<long long>(v));
}
#undef SGLAB_PHILOX_ROUNDS

// AVX2, straight from counters to words: 12 blocks per step, 4 per register,
// one block per 64-bit lane as above. The block counter's 64-bit value is
// itself lane x0 (its high half is x1, and pmuludq reads only the low half).
// Out: words (x0, x1) and (x2, x3) of a block are packed into 64-bit pairs,
// then the pairs of blocks l and l + 1 interleaved in memory order.
// Three registers per word, not four: with four, the 16 state registers plus
// the products left none for temporaries and the compiler spilled to the
// stack inside the rounds.
constexpr int kAvx2Regs = 3;
constexpr std::size_t kAvx2Blocks = 4 * kAvx2Regs;
__attribute__((target("avx2"))) void philox_steps_avx2(std::uint64_t seed, std::uint64_t stream,
                                                       std::uint64_t first_block, std::size_t steps,
                                                       std::uint32_t* out) {
  constexpr int kRegs = kAvx2Regs;
  const __m256i m0 = set1_avx2(kMul0), m1 = set1_avx2(kMul1);
  const __m256i lane = _mm256_set_epi64x(3, 2, 1, 0);
  // Rounds 1 and 2 folded: a block's counter is (index, stream), so round 1's
  // second product M1·stream_lo, its words from the stream and round 2's
  // input b are the same for every block; their XORs with the keys are
  // formed once per call.
  const std::uint32_t seed0 = static_cast<std::uint32_t>(seed), seed1 = static_cast<std::uint32_t>(seed >> 32);
  const std::uint64_t p1_first = static_cast<std::uint64_t>(kMul1) * static_cast<std::uint32_t>(stream);
  const __m256i first_a = set1_avx2(static_cast<std::uint32_t>(p1_first >> 32) ^ seed0);
  const __m256i first_c = set1_avx2(static_cast<std::uint32_t>(stream >> 32) ^ seed1);
  const __m256i second_a = set1_avx2(static_cast<std::uint32_t>(p1_first) ^ (seed0 + kWeyl0));
  const __m256i second_k1 = set1_avx2(seed1 + kWeyl1);
  for (std::size_t step = 0; step < steps; ++step) {
    const std::uint64_t base = first_block + step * kAvx2Blocks;
    __m256i a[kRegs], b[kRegs], c[kRegs], d[kRegs];
#pragma GCC unroll 4
    for (int i = 0; i < kRegs; ++i) {  // round 1 on (index_lo, index_hi, stream_lo, stream_hi)
      const __m256i index = _mm256_add_epi64(
          _mm256_set1_epi64x(static_cast<long long>(base + 4 * static_cast<std::uint64_t>(i))), lane);
      const __m256i p0 = _mm256_mul_epu32(index, m0);
      a[i] = _mm256_xor_si256(_mm256_srli_epi64(index, 32), first_a);
      c[i] = _mm256_xor_si256(_mm256_srli_epi64(p0, 32), first_c);
      d[i] = p0;
    }
#pragma GCC unroll 4
    for (int i = 0; i < kRegs; ++i) {  // round 2: b = lo(M1·stream_lo) for every block
      const __m256i p0 = _mm256_mul_epu32(a[i], m0), p1 = _mm256_mul_epu32(c[i], m1);
      a[i] = _mm256_xor_si256(_mm256_srli_epi64(p1, 32), second_a);
      b[i] = p1;
      c[i] = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p0, 32), d[i]), second_k1);
      d[i] = p0;
    }
    std::uint32_t key0 = seed0 + kWeyl0, key1 = seed1 + kWeyl1;
#pragma GCC unroll 8
    for (int round = 2; round < 10; ++round) {
      key0 += kWeyl0;
      key1 += kWeyl1;
      const __m256i k0 = set1_avx2(key0), k1 = set1_avx2(key1);
#pragma GCC unroll 4
      for (int i = 0; i < kRegs; ++i) {
        const __m256i p0 = _mm256_mul_epu32(a[i], m0), p1 = _mm256_mul_epu32(c[i], m1);
        a[i] = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p1, 32), b[i]), k0);
        b[i] = p1;
        c[i] = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p0, 32), d[i]), k1);
        d[i] = p0;
      }
    }
#pragma GCC unroll 4
    for (int i = 0; i < kRegs; ++i) {
      const __m256i ab =
          _mm256_blend_epi32(a[i], _mm256_slli_epi64(b[i], 32), 0xAA);  // blocks 0..3: (x0, x1)
      const __m256i cd =
          _mm256_blend_epi32(c[i], _mm256_slli_epi64(d[i], 32), 0xAA);  // blocks 0..3: (x2, x3)
      const __m256i even = _mm256_unpacklo_epi64(ab, cd);               // blocks 0, 2
      const __m256i odd = _mm256_unpackhi_epi64(ab, cd);                // blocks 1, 3
      std::uint32_t* o = out + (step * kAvx2Blocks + 4 * static_cast<std::size_t>(i)) * 4;
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(o),
                          _mm256_permute2x128_si256(even, odd, 0x20));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(o + 8),
                          _mm256_permute2x128_si256(even, odd, 0x31));
    }
  }
}

void philox_rounds(std::uint32_t* x0, std::uint32_t* x1, std::uint32_t* x2, std::uint32_t* x3,
                   std::uint32_t k0, std::uint32_t k1, PhiloxKernel kernel) {
  if (kernel == PhiloxKernel::kPortable)
    philox_rounds_portable(x0, x1, x2, x3, k0, k1);
  else
    philox_rounds_sse2(x0, x1, x2, x3, k0, k1);
}
#else
void philox_rounds(std::uint32_t* x0, std::uint32_t* x1, std::uint32_t* x2, std::uint32_t* x3,
                   std::uint32_t k0, std::uint32_t k1, PhiloxKernel) {
  philox_rounds_portable(x0, x1, x2, x3, k0, k1);
}
#endif

}  // namespace

void philox_words(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_block,
                  std::size_t count, std::uint32_t* out, PhiloxKernel kernel) {
#if defined(__x86_64__) && defined(__GNUC__)
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (avx2 && kernel == PhiloxKernel::kBest) {
    const std::size_t steps = count / kAvx2Blocks;
    philox_steps_avx2(seed, stream, first_block, steps, out);
    first_block += steps * kAvx2Blocks;
    out += 4 * steps * kAvx2Blocks;
    count -= steps * kAvx2Blocks;
  }
#endif
  alignas(64) std::uint32_t x0[kLanes], x1[kLanes], x2[kLanes], x3[kLanes];
  const auto k0 = static_cast<std::uint32_t>(seed), k1 = static_cast<std::uint32_t>(seed >> 32);
  for (std::size_t done = 0; done < count; done += kLanes) {
    for (std::size_t l = 0; l < kLanes; ++l) {
      const std::uint64_t block = first_block + done + l;
      x0[l] = static_cast<std::uint32_t>(block);
      x1[l] = static_cast<std::uint32_t>(block >> 32);
      x2[l] = static_cast<std::uint32_t>(stream);
      x3[l] = static_cast<std::uint32_t>(stream >> 32);
    }
    philox_rounds(x0, x1, x2, x3, k0, k1, kernel);
    const std::size_t now = std::min(kLanes, count - done);
    for (std::size_t l = 0; l < now; ++l) {
      std::uint32_t* w = out + 4 * (done + l);
      w[0] = x0[l];
      w[1] = x1[l];
      w[2] = x2[l];
      w[3] = x3[l];
    }
  }
}

}  // namespace sglab::rng
