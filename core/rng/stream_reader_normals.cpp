// StreamReader::fill_normals: the next `count` normals of the stream, exactly
// those of `count` next_normal calls (tests/core/expert_normals_test.cpp).
//
// The words are tested in bulk by the ziggurat's accepting fast path
// (ziggurat_block.hpp); ≈2.8% of draws need the rejection part. The AVX2
// kernel keeps the buffer position and the output slot in registers and
// handles a wedge in place: its uniform is the next buffered word, the test
// is ZigguratTables::wedge_accepts (selects, not a branch per line), and on
// rejection the next step simply starts at the word after the uniform, which
// is where the slow path's retry would read. Only the tail (layer 0) and a
// wedge on the buffer's last word go through the scalar slow path. The
// earlier form returned from the accepting-run kernel at each rejection and
// re-entered it through an indirect call (≈5.8 M times in the d = 20 sweep:
// 2.76% of 210 M normals), and finished every run of fewer than eight words
// in a scalar loop; here the last step of a run also tests eight words, its
// lanes past the run discarded.

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "core/rng/counter_rng.hpp"

#if defined(__x86_64__) && defined(__GNUC__)
#include "core/rng/ziggurat_step_avx2.hpp"
#define SGLAB_ZIGGURAT_AVX2 1
#endif

namespace sglab::rng {

struct StreamReaderNormals {
  using Reader = StreamReader;

  // The accepting run up to the first word that needs the rejection part,
  // then that word's slow path; repeated.
  static void portable(Reader& r, double* out, std::size_t count) {
    std::size_t done = 0;
    while (done < count) {
      if (r.used_ == Reader::kBufferWords) r.refill();
      const auto used = static_cast<std::size_t>(r.used_);
      const std::size_t available = std::min(Reader::kBufferWords - used, count - done);
      const std::size_t run = ziggurat_accepting_run(&r.words_[used], available, out + done, *r.ziggurat_,
                                                     ZigguratKernel::kScalar);
      r.used_ += static_cast<int>(run);
      done += run;
      if (run < available) {
        const std::uint32_t word = r.words_[static_cast<std::size_t>(r.used_++)];
        out[done++] = r.slow_normal(word);
      }
    }
  }

#ifdef SGLAB_ZIGGURAT_AVX2
  // Eight words per step straight into out while all accept. A step that
  // meets a rejecting word has stored its products anyway (slots up to
  // `count` are out's), keeps the accepted prefix and handles the word:
  // a wedge in place (below), the tail or a wedge whose uniform lies past
  // the buffer by the slow path. Fewer than eight words or slots left: one
  // step into scratch (the buffer's padding makes eight words readable),
  // its lanes past them discarded.
  __attribute__((target("avx2"))) static void avx2(Reader& r, double* out, std::size_t count) {
    constexpr auto kWords = static_cast<std::size_t>(Reader::kBufferWords);
    const ZigguratTables& t = *r.ziggurat_;
    const std::uint32_t* const words = r.words_.data();
    auto i = static_cast<std::size_t>(r.used_);
    std::size_t done = 0;
    while (done < count) {
      if (i == kWords) {
        r.refill();
        i = 0;
      }
      if (i + 8 <= kWords && done + 8 <= count) {
        const unsigned mask = detail::ziggurat_step8_avx2(words + i, out + done, t);
        if (mask == 0xFFu) {
          i += 8;
          done += 8;
          continue;
        }
        const auto run = static_cast<std::size_t>(__builtin_ctz(~mask));
        i += run;
        done += run;
      } else {
        alignas(32) double tail[8];
        const std::size_t left = std::min(kWords - i, count - done);  // 1..7
        const unsigned mask = detail::ziggurat_step8_avx2(words + i, tail, t) | (0xFFu << left);
        const std::size_t run = std::min(static_cast<std::size_t>(__builtin_ctz(~mask)), left);
        // The run's normals by two masked stores: a copy loop of variable
        // length here became rep movsq, slow to start, at the end of every call.
        const __m256i slots = _mm256_set1_epi64x(static_cast<long long>(run));
        _mm256_maskstore_pd(out + done, _mm256_cmpgt_epi64(slots, _mm256_setr_epi64x(0, 1, 2, 3)),
                            _mm256_load_pd(tail));
        _mm256_maskstore_pd(out + done + 4, _mm256_cmpgt_epi64(slots, _mm256_setr_epi64x(4, 5, 6, 7)),
                            _mm256_load_pd(tail + 4));
        i += run;
        done += run;
        if (run == left) continue;
      }
      // words[i] fails the fast test; done < count.
      const std::uint32_t word = words[i];
      const int layer = static_cast<int>(word & 127u);
      if (layer != 0 && i + 1 < kWords) {
        // ziggurat_slow_path's wedge step: the next word is the uniform; on
        // rejection the word after it starts a fresh draw, which is what the
        // next step tests. The normal is stored either way and kept if accepted.
        const double x = static_cast<double>(static_cast<std::int32_t>(word) >> 7) * t.w[layer];
        const double u = detail::word_to_unit(words[i + 1]);
        const double y = t.f[layer] + u * (t.f[layer - 1] - t.f[layer]);
        out[done] = x;
        done += t.wedge_accepts(layer, x, y) ? 1 : 0;
        i += 2;
      } else {
        r.used_ = static_cast<int>(i) + 1;
        out[done++] = r.slow_normal(word);
        i = static_cast<std::size_t>(r.used_);
      }
    }
    r.used_ = static_cast<int>(i);
  }
#endif
};

void StreamReader::fill_normals(double* out, std::size_t count, ZigguratKernel kernel) {
#ifdef SGLAB_ZIGGURAT_AVX2
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (avx2 && kernel == ZigguratKernel::kBest) {
    StreamReaderNormals::avx2(*this, out, count);
    return;
  }
#endif
  StreamReaderNormals::portable(*this, out, count);
}

}  // namespace sglab::rng
