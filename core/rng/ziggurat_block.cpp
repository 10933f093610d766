#include "core/rng/ziggurat_block.hpp"

#if defined(__x86_64__) && defined(__GNUC__)
#include "core/rng/ziggurat_step_avx2.hpp"
#endif

namespace sglab::rng {

namespace {

std::size_t accepting_run_scalar(const std::uint32_t* words, std::size_t n, double* out,
                                 const ZigguratTables& t) {
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t word = words[i];
    const int layer = static_cast<int>(word & 127u);
    const std::int32_t value = static_cast<std::int32_t>(word) >> 7;
    const std::uint32_t magnitude =
        static_cast<std::uint32_t>(value < 0 ? -static_cast<std::int64_t>(value) : value);
    if (magnitude >= t.k[layer]) return i;
    out[i] = static_cast<double>(value) * t.w[layer];
  }
  return n;
}

#if defined(__x86_64__) && defined(__GNUC__)
// Eight words per step (ziggurat_step_avx2.hpp). A step whose words do not
// all accept still stores its eight products (the slots past the run are the
// caller's to overwrite) and returns the run up to the first rejecting word,
// so the rejection never sends accepted words back through the scalar loop.
__attribute__((target("avx2"))) std::size_t accepting_run_avx2(const std::uint32_t* words, std::size_t n,
                                                               double* out, const ZigguratTables& t) {
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const unsigned mask = detail::ziggurat_step8_avx2(words + i, out + i, t);
    if (mask != 0xFFu) return i + static_cast<std::size_t>(__builtin_ctz(~mask));
  }
  return i + accepting_run_scalar(words + i, n - i, out + i, t);
}
#endif

}  // namespace

AcceptingRunKernel best_accepting_run_kernel() {
#if defined(__x86_64__) && defined(__GNUC__)
  if (__builtin_cpu_supports("avx2")) return accepting_run_avx2;
#endif
  return accepting_run_scalar;
}

std::size_t ziggurat_accepting_run(const std::uint32_t* words, std::size_t n, double* out,
                                   const ZigguratTables& tables, ZigguratKernel kernel) {
  if (kernel == ZigguratKernel::kBest) return best_accepting_run_kernel()(words, n, out, tables);
  return accepting_run_scalar(words, n, out, tables);
}

}  // namespace sglab::rng
