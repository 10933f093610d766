// The batch kernels compiled for AVX2 (core/CMakeLists.txt adds -mavx2 to this
// file alone, on x86-64); batch_kernels.cpp picks them when the CPU has AVX2.
#include "core/bandit/batch_kernels_impl.hpp"

namespace sglab::bandit::kernels_avx2 {

void rows_times_weights(double* out, int R, int C, const double* w, std::ptrdiff_t w_rs, std::ptrdiff_t w_cs,
                        const RowSource& in, double scale, const double* bias, bool accumulate) {
  impl_rows_times_weights(out, R, C, w, w_rs, w_cs, in, scale, bias, accumulate);
}
void accumulate_outer(double* out, std::ptrdiff_t o_rs, std::ptrdiff_t o_cs, int R, int C, const double* a,
                      const RowSource& in, double scale) {
  impl_accumulate_outer(out, o_rs, o_cs, R, C, a, in, scale);
}
void tanh_inplace(double* p, std::size_t count) { impl_tanh_inplace(p, count); }
void softmax_rows_inplace(double* z, int S, std::size_t B) { impl_softmax_rows_inplace(z, S, B); }
void mix_slots(double* out, const double* w, const double* y, int S, int n, std::size_t B) {
  impl_mix_slots(out, w, y, S, n, B);
}
void slot_terms(const double* g, const double* y, const double* w, int S, int n, std::size_t B, double* t, double* dq) {
  impl_slot_terms(g, y, w, S, n, B, t, dq);
}

void adam_update(double* p, double* m, double* v, double* g, std::size_t count, double lr, double c1, double c2,
                 double beta1, double beta2, double epsilon, bool clear_gradient) {
  impl_adam_update(p, m, v, g, count, lr, c1, c2, beta1, beta2, epsilon, clear_gradient);
}

}  // namespace sglab::bandit::kernels_avx2
