#include "core/bandit/batch_kernels.hpp"

#include <atomic>

#include "core/bandit/batch_kernels_impl.hpp"

#if defined(SGLAB_BANDIT_AVX2_KERNELS)
namespace sglab::bandit::kernels_avx2 {
void rows_times_weights(double* out, int R, int C, const double* w, std::ptrdiff_t w_rs, std::ptrdiff_t w_cs,
                        const RowSource& in, double scale, const double* bias, bool accumulate);
void accumulate_outer(double* out, std::ptrdiff_t o_rs, std::ptrdiff_t o_cs, int R, int C, const double* a,
                      const RowSource& in, double scale);
void tanh_inplace(double* p, std::size_t count);
void softmax_rows_inplace(double* z, int S, std::size_t B);
void mix_slots(double* out, const double* w, const double* y, int S, int n, std::size_t B);
void slot_terms(const double* g, const double* y, const double* w, int S, int n, std::size_t B, double* t, double* dq);
void adam_update(double* p, double* m, double* v, double* g, std::size_t count, double lr, double c1, double c2,
                 double beta1, double beta2, double epsilon, bool clear_gradient);
}  // namespace sglab::bandit::kernels_avx2
#endif

namespace sglab::bandit {

namespace {

std::atomic<bool> forced_generic{false};

bool use_avx2() {
#if defined(SGLAB_BANDIT_AVX2_KERNELS)
  static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return has && !forced_generic.load(std::memory_order_relaxed);
#else
  return false;
#endif
}

}  // namespace

#if defined(SGLAB_BANDIT_AVX2_KERNELS)
#define SGLAB_BANDIT_DISPATCH(call)                 \
  if (use_avx2()) return kernels_avx2::call;        \
  return impl_##call
#else
#define SGLAB_BANDIT_DISPATCH(call) return impl_##call
#endif

void rows_times_weights(double* out, int R, int C, const double* w, std::ptrdiff_t w_rs, std::ptrdiff_t w_cs,
                        const RowSource& in, double scale, const double* bias, bool accumulate) {
  SGLAB_BANDIT_DISPATCH(rows_times_weights(out, R, C, w, w_rs, w_cs, in, scale, bias, accumulate));
}
void accumulate_outer(double* out, std::ptrdiff_t o_rs, std::ptrdiff_t o_cs, int R, int C, const double* a,
                      const RowSource& in, double scale) {
  SGLAB_BANDIT_DISPATCH(accumulate_outer(out, o_rs, o_cs, R, C, a, in, scale));
}
void tanh_inplace(double* p, std::size_t count) { SGLAB_BANDIT_DISPATCH(tanh_inplace(p, count)); }
void softmax_rows_inplace(double* z, int S, std::size_t B) { SGLAB_BANDIT_DISPATCH(softmax_rows_inplace(z, S, B)); }
void mix_slots(double* out, const double* w, const double* y, int S, int n, std::size_t B) {
  SGLAB_BANDIT_DISPATCH(mix_slots(out, w, y, S, n, B));
}
void slot_terms(const double* g, const double* y, const double* w, int S, int n, std::size_t B, double* t, double* dq) {
  SGLAB_BANDIT_DISPATCH(slot_terms(g, y, w, S, n, B, t, dq));
}
void adam_update(double* p, double* m, double* v, double* g, std::size_t count, double lr, double c1, double c2,
                 double beta1, double beta2, double epsilon, bool clear_gradient) {
  SGLAB_BANDIT_DISPATCH(adam_update(p, m, v, g, count, lr, c1, c2, beta1, beta2, epsilon, clear_gradient));
}
const char* batch_kernels_isa() { return use_avx2() ? "avx2" : "generic"; }
void force_generic_batch_kernels(bool on) { forced_generic.store(on, std::memory_order_relaxed); }

}  // namespace sglab::bandit
