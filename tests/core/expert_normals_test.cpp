// The block normals the expert engine draws (problem build and trial noise)
// equal the scalar ziggurat bit for bit (issue 12): the AVX2 accepting run
// stops at the same word and gives the same doubles as the scalar run.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include "core/rng/binomial_sampler.hpp"
#include "core/rng/counter_rng.hpp"
#include "core/rng/ziggurat_block.hpp"

namespace sglab::rng {
namespace {

TEST(ExpertNormals, AcceptingRunKernelsAgree) {
  const ZigguratTables& tables = ZigguratTables::instance();
  std::vector<std::uint32_t> words(4096);
  philox_words(2026, make_stream(5, {1}), 0, words.size() / 4, words.data());
  int rejects = 0;
  for (std::size_t start = 0; start < 2000; start += 1 + start % 7)
    for (const std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{3}, std::size_t{4},
                                std::size_t{5}, std::size_t{8}, std::size_t{9}, std::size_t{63},
                                std::size_t{200}}) {
      std::vector<double> best(n + 1, -1.0), scalar(n + 1, -1.0);
      const std::size_t a = ziggurat_accepting_run(&words[start], n, best.data(), tables);
      const std::size_t b =
          ziggurat_accepting_run(&words[start], n, scalar.data(), tables, ZigguratKernel::kScalar);
      ASSERT_EQ(a, b) << "start " << start << " n " << n;
      rejects += a < n;
      // The run's normals agree; slots past the run are scratch, past n untouched.
      ASSERT_EQ(std::memcmp(best.data(), scalar.data(), a * sizeof(double)), 0)
          << "start " << start << " n " << n;
      ASSERT_EQ(best[n], -1.0) << "start " << start << " n " << n;
    }
  EXPECT_GT(rejects, 10);  // runs did stop at words that need the rejection part
}

// fill_normals (bulk runs) == next_normal one at a time, over many refills.
TEST(ExpertNormals, FillNormalsEqualsNextNormal) {
  for (const std::size_t count : {std::size_t{70}, std::size_t{120}, std::size_t{5}, std::size_t{1280}}) {
    StreamReader block(1, make_stream(3, {count}), 17), one(1, make_stream(3, {count}), 17);
    std::vector<double> out(count);
    for (int rep = 0; rep < 50; ++rep) {
      block.fill_normals(out.data(), count);
      for (std::size_t i = 0; i < count; ++i) {
        const double z = one.next_normal();
        ASSERT_EQ(std::memcmp(&out[i], &z, sizeof z), 0) << "count " << count << " rep " << rep << " i " << i;
      }
    }
    EXPECT_EQ(block.next_word(), one.next_word());
  }
}

// Both fill_normals kernels (AVX2: rejections handled in place, eight-word
// tail steps) == next_normal, for every count 1..40 and counts around the
// 192-word buffer, so runs end at every offset of a step and of the buffer
// and wedges fall on its last word. Same words read: the next word agrees.
TEST(ExpertNormals, FillNormalsKernelsEqualNextNormalAtEveryCount) {
  std::vector<std::size_t> counts;
  for (std::size_t c = 1; c <= 40; ++c) counts.push_back(c);
  for (const std::size_t c : {63, 64, 65, 190, 191, 192, 193, 255, 256, 383, 384, 385, 1000}) counts.push_back(c);
  long tails = 0;
  for (const ZigguratKernel kernel : {ZigguratKernel::kBest, ZigguratKernel::kScalar})
    for (const std::size_t count : counts) {
      StreamReader block(5, make_stream(8, {count}), 3), one(5, make_stream(8, {count}), 3);
      std::vector<double> out(count + 1);
      for (int rep = 0; rep < 40; ++rep) {
        out[count] = -7.0;
        block.fill_normals(out.data(), count, kernel);
        ASSERT_EQ(out[count], -7.0) << "wrote past count " << count;
        for (std::size_t i = 0; i < count; ++i) {
          const double z = one.next_normal();
          tails += std::fabs(z) > ZigguratTables::instance().r;
          ASSERT_EQ(std::memcmp(&out[i], &z, sizeof z), 0)
              << "kernel " << static_cast<int>(kernel) << " count " << count << " rep " << rep << " i " << i;
        }
      }
      ASSERT_EQ(block.next_word(), one.next_word()) << "count " << count;
    }
  // 2 × 190 000 draws, ≈2.8% through the rejection part (≈5 000 wedges) and
  // P(|z| > r) ≈ 5.8e-4: about 220 tail draws expected.
  EXPECT_GT(tails, 100);
}

// ZigguratTables::wedge_accepts (selects) == wedge_verdict, then exp where it
// cannot decide, on uniform points of every layer's wedge box and on points
// near the density.
TEST(ExpertNormals, WedgeAcceptsEqualsVerdictThenExp) {
  const ZigguratTables& t = ZigguratTables::instance();
  StreamReader draw(21, make_stream(14, {2}));
  for (int layer = 1; layer < ZigguratTables::kLayers; ++layer) {
    const double in = static_cast<double>(t.k[layer]) * t.w[layer], out = 16777216.0 * t.w[layer];
    for (int s = 0; s < 3000; ++s) {
      const double ax = in + (out - in) * draw.next_uniform();
      const double x = s % 2 == 0 ? ax : -ax;
      const double density = std::exp(-0.5 * x * x);
      double y = t.f[layer] + draw.next_uniform() * (t.f[layer - 1] - t.f[layer]);
      if (s % 3 == 0) y = density * (1 + (draw.next_uniform() - 0.5) * 1e-9);
      const int verdict = t.wedge_verdict(layer, ax, y);
      const bool expected = verdict != 0 ? verdict > 0 : y < density;
      ASSERT_EQ(t.wedge_accepts(layer, x, y), expected) << "layer " << layer << " x " << x << " y " << y;
    }
  }
}

// Bulk words (the activation case's draws) == next_word one at a time.
TEST(ExpertNormals, FillWordsEqualsNextWord) {
  StreamReader bulk(3, 9), one(3, 9);
  std::vector<std::uint32_t> out(300);
  for (const std::size_t count : {std::size_t{1}, std::size_t{63}, std::size_t{64}, std::size_t{300}, std::size_t{5}}) {
    bulk.fill_words(out.data(), count);
    for (std::size_t i = 0; i < count; ++i) ASSERT_EQ(out[i], one.next_word()) << "count " << count << " i " << i;
    ASSERT_EQ(bulk.next_normal(), one.next_normal());
  }
}

// The activation case's Binomial draws: the branch-free count equals the
// smallest k with u < cdf[k], rebuilt here from the realised pmf.
TEST(ExpertNormals, BinomialCountEqualsSearch) {
  for (std::uint32_t n = 1; n <= 16; ++n)
    for (const double p : {0.0, 0.01, 0.3, 0.5, 0.97, 1.0}) {
      const BinomialSampler sampler(n, p);
      std::vector<std::uint64_t> cdf;
      std::uint64_t sum = 0;
      for (std::uint32_t k = 0; k <= n; ++k) {
        sum += static_cast<std::uint64_t>(sampler.realised_pmf(k) * 0x1p32);
        cdf.push_back(sum);
      }
      StreamReader draws(5, make_stream(8, {n})), words(5, make_stream(8, {n})), bulk(5, make_stream(8, {n}));
      std::vector<std::uint32_t> block(2000), outcomes(2000);
      bulk.fill_words(block.data(), block.size());
      sampler.outcomes(block.data(), block.size(), outcomes.data());  // the block form
      for (std::size_t i = 0; i < block.size(); ++i) {
        const std::uint64_t u = words.next_word();
        std::uint32_t k = 0;
        while (u >= cdf[k]) ++k;
        ASSERT_EQ(sampler.draw(draws), k) << "n " << n << " p " << p << " u " << u;
        ASSERT_EQ(outcomes[i], k) << "n " << n << " p " << p << " u " << u;
      }
    }
}

// The SIMD threshold count (binomial_block.hpp) equals outcome() word for
// word: every n up to and past the counted limit (64; bisection beyond), p
// whose cdf reaches 2^32 before n, words on and next to every threshold, and
// lengths that leave a scalar tail.
TEST(ExpertNormals, BinomialOutcomesAsDoubleEqualOutcome) {
  for (const std::uint32_t n : {1u, 2u, 3u, 4u, 7u, 16u, 17u, 40u, 64u, 65u, 200u})
    for (const double p : {0.0, 1e-6, 0.01, 0.3, 0.5, 0.999999, 1.0}) {
      const BinomialSampler sampler(n, p);
      StreamReader bulk(9, make_stream(10, {n}));
      std::vector<std::uint32_t> words(1003);
      bulk.fill_words(words.data(), words.size());
      std::uint64_t cdf = 0;
      for (std::uint32_t k = 0; k <= n; ++k) {
        cdf += static_cast<std::uint64_t>(sampler.realised_pmf(k) * 0x1p32);
        for (const std::uint64_t u : {cdf - 1, cdf, cdf + 1})
          if (u < (std::uint64_t{1} << 32)) words.push_back(static_cast<std::uint32_t>(u));
      }
      words.push_back(0);
      words.push_back(0xFFFFFFFFu);
      std::vector<double> got(words.size());
      sampler.outcomes_as_double(words.data(), words.size(), got.data());
      for (std::size_t i = 0; i < words.size(); ++i)
        ASSERT_EQ(got[i], static_cast<double>(sampler.outcome(words[i])))
            << "n " << n << " p " << p << " word " << words[i];
    }
}

// The wedge test's bounding lines (ZigguratTables::wedge_verdict) never
// contradict exp: every layer, |x| across its wedge, y on and within 1e-15 …
// 1e-3 of the density and uniform over the wedge's box. And they decide most
// box points, so exp is rarely called.
TEST(ExpertNormals, WedgeLinesNeverContradictExp) {
  const ZigguratTables& t = ZigguratTables::instance();
  StreamReader draw(13, make_stream(14, {1}));
  long decided = 0, boxed = 0;
  for (int layer = 1; layer < ZigguratTables::kLayers; ++layer) {
    const double in = static_cast<double>(t.k[layer]) * t.w[layer], out = 16777216.0 * t.w[layer];
    for (int s = 0; s <= 400; ++s) {
      const double ax = s == 400 ? out : in + (out - in) * s / 400.0;
      const double density = std::exp(-0.5 * ax * ax);
      for (const double rel : {0.0, 1e-15, 1e-13, 1e-11, 1e-9, 1e-6, 1e-3})
        for (const double y : {density * (1 + rel), density * (1 - rel), density + rel, density - rel}) {
          const int verdict = t.wedge_verdict(layer, ax, y);
          if (verdict != 0) {
            ASSERT_EQ(verdict, y < density ? 1 : -1) << "layer " << layer << " |x| " << ax << " y " << y;
          }
        }
    }
    for (int s = 0; s < 2000; ++s) {
      const double ax = in + (out - in) * draw.next_uniform();
      const double y = t.f[layer] + draw.next_uniform() * (t.f[layer - 1] - t.f[layer]);
      const int verdict = t.wedge_verdict(layer, ax, y);
      const double density = std::exp(-0.5 * ax * ax);
      if (verdict != 0) {
        ASSERT_EQ(verdict, y < density ? 1 : -1) << "layer " << layer << " |x| " << ax << " y " << y;
      }
      decided += verdict != 0;
      ++boxed;
    }
  }
  std::printf("wedge points decided without exp: %ld of %ld\n", decided, boxed);
  EXPECT_GT(decided, boxed * 9 / 10);
}

// The rejection part as first written (exp for every wedge test), to pin the
// squeezed one against: the same normals from the same words, and the same
// number of words read, over 4 million draws (≈ 48 000 rejection calls).
template <typename WordSource>
double plain_slow_path(std::uint32_t word, WordSource& next, const ZigguratTables& t) {
  for (;;) {
    const int layer = static_cast<int>(word & 127u);
    const std::int32_t value = static_cast<std::int32_t>(word) >> 7;
    const std::uint32_t magnitude =
        static_cast<std::uint32_t>(value < 0 ? -static_cast<std::int64_t>(value) : value);
    const double x = static_cast<double>(value) * t.w[layer];
    if (magnitude < t.k[layer]) return x;
    if (layer == 0) {
      double xt = 0, yt = 0;
      do {
        xt = -std::log((static_cast<double>(next()) + 0.5) * 0x1p-32) / t.r;
        yt = -std::log((static_cast<double>(next()) + 0.5) * 0x1p-32);
      } while (yt + yt < xt * xt);
      return value < 0 ? -(t.r + xt) : t.r + xt;
    }
    const double u = (static_cast<double>(next()) + 0.5) * 0x1p-32;
    if (t.f[layer] + u * (t.f[layer - 1] - t.f[layer]) < std::exp(-0.5 * x * x)) return x;
    word = next();
  }
}

TEST(ExpertNormals, SqueezedSlowPathEqualsPlainExpTest) {
  const ZigguratTables& t = ZigguratTables::instance();
  StreamReader a(21, make_stream(22, {1})), b(21, make_stream(22, {1}));
  std::uint64_t read_a = 0, read_b = 0;
  auto words_a = [&] { ++read_a; return a.next_word(); };
  auto words_b = [&] { ++read_b; return b.next_word(); };
  int slow = 0;
  for (int i = 0; i < 4000000; ++i) {
    const std::uint32_t word_a = words_a(), word_b = words_b();
    const int layer = static_cast<int>(word_a & 127u);
    const std::int32_t value = static_cast<std::int32_t>(word_a) >> 7;
    if (static_cast<std::uint32_t>(value < 0 ? -static_cast<std::int64_t>(value) : value) < t.k[layer]) continue;
    ++slow;
    const double got = ziggurat_slow_path(word_a, words_a, t);
    const double expected = plain_slow_path(word_b, words_b, t);
    ASSERT_EQ(std::memcmp(&got, &expected, sizeof got), 0) << "draw " << i << ": " << got << " vs " << expected;
    ASSERT_EQ(read_a, read_b) << "draw " << i;
  }
  EXPECT_GT(slow, 40000);
}

}  // namespace
}  // namespace sglab::rng
