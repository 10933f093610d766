#pragma once
// Counter-based random numbers (Random123 Philox4x32-10).
//
// A draw is a pure function of (seed, stream, index): no generator state is
// carried between draws, so results do not depend on thread count, scheduling
// or the order in which work items run (DESIGN.md: determinism). Streams name
// *what* a number is for (a problem instance, one trial's noise, a bootstrap);
// indices name *which* number inside that stream.
//
// The normal, uniform and binomial transforms are our own (std:: distributions
// differ between standard libraries, which would break reproducibility).

#include <Random123/philox.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <initializer_list>

#include "core/rng/philox_wide.hpp"
#include "core/rng/ziggurat_block.hpp"
#include "core/rng/ziggurat_normal.hpp"

namespace sglab::rng {

/// 64-bit finaliser of SplitMix64: a bijective mixer used to derive stream ids.
constexpr std::uint64_t mix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

/// Derives a 64-bit stream id from a purpose tag and the fields that identify a
/// work item, e.g. make_stream(kTrialNoise, {case, d, k, n, trial}).
inline std::uint64_t make_stream(std::uint64_t purpose, std::initializer_list<std::uint64_t> fields) {
  std::uint64_t h = mix64(purpose ^ 0x53676C6162ULL);
  for (std::uint64_t f : fields) h = mix64(h ^ mix64(f + 0x632BE59BD9B4E019ULL));
  return h;
}

/// Four raw 32-bit words for (seed, stream, index).
inline std::array<std::uint32_t, 4> philox_block(std::uint64_t seed, std::uint64_t stream,
                                                std::uint64_t index) {
  using Philox = r123::Philox4x32;
  Philox::ctr_type ctr = {{static_cast<std::uint32_t>(index), static_cast<std::uint32_t>(index >> 32),
                           static_cast<std::uint32_t>(stream), static_cast<std::uint32_t>(stream >> 32)}};
  Philox::key_type key = {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
  Philox philox;
  Philox::ctr_type out = philox(ctr, key);
  return {out[0], out[1], out[2], out[3]};
}

/// Uniform on (0, 1], from 32 bits: never 0, so log(u) is finite.
inline double uniform_open0(std::uint32_t bits) { return (static_cast<double>(bits) + 1.0) * 0x1p-32; }

/// Uniform on [0, 1) with 53 random bits from two 32-bit words.
inline double uniform53(std::uint32_t hi, std::uint32_t lo) {
  const std::uint64_t x = (static_cast<std::uint64_t>(hi) << 21) ^ (lo >> 11);
  return static_cast<double>(x & ((1ULL << 53) - 1)) * 0x1p-53;
}

/// Box–Muller on two 32-bit words: a pair of independent standard normals.
/// 32-bit uniforms bound |z| by sqrt(2 ln 2^32) ≈ 6.66, far past anything a
/// Monte Carlo mean of this project can resolve.
inline void box_muller(std::uint32_t w0, std::uint32_t w1, double& z0, double& z1) {
  constexpr double kTwoPi = 6.283185307179586476925286766559;
  const double radius = std::sqrt(-2.0 * std::log(uniform_open0(w0)));
  const double angle = kTwoPi * (static_cast<double>(w1) * 0x1p-32);
  z0 = radius * std::cos(angle);
  z1 = radius * std::sin(angle);
}

/// Four standard normals from one Philox block: normals (seed, stream, 4*index .. 4*index+3).
inline std::array<double, 4> normal4(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) {
  const auto w = philox_block(seed, stream, index);
  std::array<double, 4> z{};
  box_muller(w[0], w[1], z[0], z[1]);
  box_muller(w[2], w[3], z[2], z[3]);
  return z;
}

/// The standard normal number `i` of a stream (random access; uses block i/4).
inline double normal_at(std::uint64_t seed, std::uint64_t stream, std::uint64_t i) {
  return normal4(seed, stream, i >> 2)[i & 3];
}

/// Threshold t such that (word < t) has probability p quantised to 2^-32.
inline std::uint64_t bernoulli_threshold(double p) {
  if (p <= 0.0) return 0;
  if (p >= 1.0) return 1ULL << 32;
  return static_cast<std::uint64_t>(std::llround(p * 0x1p32));
}

/// Uniform integer in [0, bound) from one 32-bit word, by Lemire's
/// multiply-shift (bias < bound / 2^32).
inline std::uint32_t word_below(std::uint32_t word, std::uint32_t bound) {
  return static_cast<std::uint32_t>((static_cast<std::uint64_t>(word) * bound) >> 32);
}

/// Sequential reader of one stream: successive 32-bit words, normals and
/// Bernoulli trials from (seed, stream, first_block + ...). Cheap to create;
/// use one per independent work item.
class StreamReader {
 public:
  StreamReader(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_block = 0)
      : seed_(seed), stream_(stream), block_(first_block), ziggurat_(&ZigguratTables::instance()) {}

  std::uint32_t next_word() {
    if (used_ == kBufferWords) refill();
    return words_[static_cast<std::size_t>(used_++)];
  }
  /// Copies the next `count` words to out: the words of `count` next_word calls.
  void fill_words(std::uint32_t* out, std::size_t count) {
    while (count > 0) {
      if (used_ == kBufferWords) refill();
      const std::size_t n = std::min(static_cast<std::size_t>(kBufferWords - used_), count);
      std::memcpy(out, &words_[static_cast<std::size_t>(used_)], n * sizeof(std::uint32_t));
      used_ += static_cast<int>(n);
      out += n;
      count -= n;
    }
  }
  /// Uniform on [0, 1) with 32 bits of resolution.
  double next_uniform() { return static_cast<double>(next_word()) * 0x1p-32; }
  /// Standard normal (ziggurat: usually one word per draw).
  double next_normal() {
    auto words = [this] { return next_word(); };
    return ziggurat_normal(words, *ziggurat_);
  }
  /// Fills out[0..count) with the next `count` normals: exactly `count` calls
  /// of next_normal (stream_reader_normals.cpp). kScalar forces the portable
  /// kernel (tests compare both against next_normal).
  void fill_normals(double* out, std::size_t count, ZigguratKernel kernel = ZigguratKernel::kBest);
  /// Uniform integer in [0, bound) by Lemire's multiply-shift (bias < bound / 2^32).
  std::uint32_t next_below(std::uint32_t bound) { return word_below(next_word(), bound); }

 private:
  // Fills the buffer with kBufferBlocks consecutive blocks, all lanes of the
  // wide Philox at once (philox_wide.hpp): the same words as one
  // philox_block call per block, in the same order.
  void refill() {
    philox_words(seed_, stream_, block_, kBufferBlocks, words_.data());
    block_ += kBufferBlocks;
    used_ = 0;
  }
  // The ziggurat's rejection part for a word that failed the fast test
  // (≈2.8% of draws); reads further words through next_word.
  __attribute__((noinline)) double slow_normal(std::uint32_t word) {
    auto words = [this] { return next_word(); };
    return ziggurat_slow_path(word, words, *ziggurat_);
  }
  friend struct StreamReaderNormals;  // fill_normals' kernels (stream_reader_normals.cpp)
  static constexpr int kBufferBlocks = 48;  // four AVX2 steps of philox_words
  static constexpr int kBufferWords = 4 * kBufferBlocks;
  // Words past kBufferWords: zeros that no draw reads. They let an eight-word
  // step start at any word of the buffer; its lanes past the end are discarded.
  static constexpr int kBufferPadding = 8;

  std::uint64_t seed_;
  std::uint64_t stream_;
  std::uint64_t block_;
  const ZigguratTables* ziggurat_;
  std::array<std::uint32_t, kBufferWords + kBufferPadding> words_{};
  int used_ = kBufferWords;
};

}  // namespace sglab::rng
