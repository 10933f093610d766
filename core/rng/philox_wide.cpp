#include "core/rng/philox_wide.hpp"

#include <algorithm>

#include "core/util/simd_clones.hpp"

namespace sglab::rng {

namespace {

// Philox4x32 constants (Salmon et al. 2011; Random123's PHILOX_M4x32_* and PHILOX_W32_*).
constexpr std::uint32_t kMul0 = 0xD2511F53u, kMul1 = 0xCD9E8D57u;
constexpr std::uint32_t kWeyl0 = 0x9E3779B9u, kWeyl1 = 0xBB67AE85u;
constexpr std::size_t kLanes = 16;

// Ten rounds on kLanes blocks at once, in place. One round per block:
//   (x0, x1, x2, x3) → (hi(M1·x2) ⊕ x1 ⊕ k0, lo(M1·x2), hi(M0·x0) ⊕ x3 ⊕ k1, lo(M0·x0)),
// with the key bumped by the Weyl constants between rounds.
SGLAB_SIMD_CLONES void philox_rounds(std::uint32_t* __restrict x0, std::uint32_t* __restrict x1,
                                     std::uint32_t* __restrict x2, std::uint32_t* __restrict x3,
                                     std::uint32_t k0, std::uint32_t k1) {
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

}  // namespace

void philox_words(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_block, std::size_t count,
                  std::uint32_t* out) {
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
    philox_rounds(x0, x1, x2, x3, k0, k1);
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
