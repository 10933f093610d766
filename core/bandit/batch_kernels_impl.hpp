#pragma once
// Bodies of the batch kernels (batch_kernels.hpp), included by
// batch_kernels.cpp (baseline x86-64 / any CPU) and batch_kernels_avx2.cpp
// (compiled with -mavx2 -mfma). Everything here has internal linkage, so the two
// builds never mix at link time. GCC vector extensions: a 4-double vector
// becomes two SSE2 registers or one AVX register; element-wise arithmetic is
// the same IEEE operation either way. Multiply-adds are fused only where the
// code says fmadd (one rounding of a·b + c, IEEE 754 fusedMultiplyAdd): the
// AVX2 build emits vfmadd, the baseline build std::fma per lane (exact by
// definition, so the same bytes; slower, but it runs only on CPUs without
// AVX2 + FMA). The compiler never contracts on its own (-ffp-contract=off on
// both files; -Wno-psabi there too: the vectors pass between internal inline
// functions only, so ABI notes do not apply), so both builds give the same bytes.

#include <cstddef>

#include "core/bandit/batch_kernels.hpp"

namespace {

typedef double v4d __attribute__((vector_size(32)));
typedef double v4d_mem __attribute__((vector_size(32), aligned(8), may_alias));
typedef unsigned long long v4u __attribute__((vector_size(32)));

inline v4d load4(const double* p) { return *reinterpret_cast<const v4d_mem*>(p); }
inline void store4(double* p, v4d v) { *reinterpret_cast<v4d_mem*>(p) = v; }
inline v4d splat(double s) { return v4d{s, s, s, s}; }
/// a·b + c with one rounding per lane.
inline v4d fmadd(v4d a, v4d b, v4d c) {
#if defined(__FMA__)
  return __builtin_ia32_vfmaddpd256(a, b, c);
#else
  return v4d{__builtin_fma(a[0], b[0], c[0]), __builtin_fma(a[1], b[1], c[1]), __builtin_fma(a[2], b[2], c[2]),
             __builtin_fma(a[3], b[3], c[3])};
#endif
}
inline const double* source_row(const sglab::bandit::RowSource& in, int c) {
  return in.base + static_cast<std::size_t>(in.rows != nullptr ? in.rows[c] : c) * in.stride;
}

// R output rows × T vectors of samples held in registers while c runs over the
// weight row. The output mode is a template argument so that the tile's
// epilogue has no branches and the sums never leave the registers.
enum class Store { kOverwrite, kAccumulate, kBias };

template <int R, int T, Store mode>
inline void weights_tile(double* __restrict out, std::size_t stride, int r0, int b0, int C, const double* w,
                         std::ptrdiff_t w_rs, std::ptrdiff_t w_cs, const double* base, const int* rows, double scale,
                         const double* bias) {
  v4d sum[R][T];
  for (int r = 0; r < R; ++r)
    for (int t = 0; t < T; ++t) sum[r][t] = splat(0.0);
  const double* wr = w + r0 * w_rs;
  for (int c = 0; c < C; ++c) {
    const double* x = base + static_cast<std::size_t>(rows != nullptr ? rows[c] : c) * stride + b0;
    v4d xv[T];
    for (int t = 0; t < T; ++t) xv[t] = load4(x + 4 * t);
    const double* wc = wr + c * w_cs;
    for (int r = 0; r < R; ++r) {
      const v4d wv = splat(wc[r * w_rs]);
      for (int t = 0; t < T; ++t) sum[r][t] = fmadd(wv, xv[t], sum[r][t]);
    }
  }
  const v4d k = splat(scale);
  for (int r = 0; r < R; ++r) {
    double* o = out + static_cast<std::size_t>(r0 + r) * stride + b0;
    for (int t = 0; t < T; ++t) {
      v4d v = k * sum[r][t];
      if constexpr (mode == Store::kAccumulate) v = load4(o + 4 * t) + v;
      if constexpr (mode == Store::kBias) v += splat(bias[r0 + r]);
      store4(o + 4 * t, v);
    }
  }
}

template <int R, Store mode>
inline void weights_rows(double* out, int r0, int C, const double* w, std::ptrdiff_t w_rs, std::ptrdiff_t w_cs,
                         const sglab::bandit::RowSource& in, double scale, const double* bias) {
  const std::size_t B = in.stride;
  std::size_t b0 = 0;
  for (; b0 + 8 <= B; b0 += 8)
    weights_tile<R, 2, mode>(out, B, r0, static_cast<int>(b0), C, w, w_rs, w_cs, in.base, in.rows, scale, bias);
  for (; b0 < B; b0 += 4)
    weights_tile<R, 1, mode>(out, B, r0, static_cast<int>(b0), C, w, w_rs, w_cs, in.base, in.rows, scale, bias);
}

template <Store mode>
inline void weights_all_rows(double* out, int R, int C, const double* w, std::ptrdiff_t w_rs, std::ptrdiff_t w_cs,
                             const sglab::bandit::RowSource& in, double scale, const double* bias) {
  // Five rows per tile (10 accumulators, 2 input vectors, 1 weight: 13 of 16
  // registers): a paper-scale neuron's 50 slot rows, 5 routing rows and 50
  // input rows are multiples of 5, and each input load serves 5 rows, not 4.
  int r0 = 0;
  for (; r0 + 5 <= R; r0 += 5) weights_rows<5, mode>(out, r0, C, w, w_rs, w_cs, in, scale, bias);
  for (; r0 + 4 <= R; r0 += 4) weights_rows<4, mode>(out, r0, C, w, w_rs, w_cs, in, scale, bias);
  for (; r0 + 2 <= R; r0 += 2) weights_rows<2, mode>(out, r0, C, w, w_rs, w_cs, in, scale, bias);
  for (; r0 < R; ++r0) weights_rows<1, mode>(out, r0, C, w, w_rs, w_cs, in, scale, bias);
}

inline void impl_rows_times_weights(double* out, int R, int C, const double* w, std::ptrdiff_t w_rs,
                                    std::ptrdiff_t w_cs, const sglab::bandit::RowSource& in, double scale,
                                    const double* bias, bool accumulate) {
  // Accumulate with a bias is not needed by any caller: the bias joins on overwrite only.
  if (accumulate) weights_all_rows<Store::kAccumulate>(out, R, C, w, w_rs, w_cs, in, scale, nullptr);
  else if (bias != nullptr) weights_all_rows<Store::kBias>(out, R, C, w, w_rs, w_cs, in, scale, bias);
  else weights_all_rows<Store::kOverwrite>(out, R, C, w, w_rs, w_cs, in, scale, nullptr);
}

inline double lane_sum(v4d v) { return (v[0] + v[1]) + (v[2] + v[3]); }

// The four lane sums of s0..s3, (v0 + v1) + (v2 + v3) each as lane_sum, in one vector.
// __builtin_shufflevector (GCC >= 12 and clang; GCC's __builtin_shuffle is not in clang,
// which builds the sanitizer presets): indices into the two operands' concatenation.
inline v4d lane_sums4(v4d s0, v4d s1, v4d s2, v4d s3) {
  const v4d h01 = __builtin_shufflevector(s0, s1, 0, 4, 2, 6) + __builtin_shufflevector(s0, s1, 1, 5, 3, 7);
  const v4d h23 = __builtin_shufflevector(s2, s3, 0, 4, 2, 6) + __builtin_shufflevector(s2, s3, 1, 5, 3, 7);
  return __builtin_shufflevector(h01, h23, 0, 1, 4, 5) + __builtin_shufflevector(h01, h23, 2, 3, 6, 7);
}

// R rows of `a` × Q input rows: R·Q dot products over the batch, in 4 fixed lanes.
// With R = 4 and unit row stride (every caller's layout) the four rows' sums
// of an input row are reduced and added as one vector (lane_sums4): the same
// sums, without spilling the accumulators to scalars.
template <int R, int Q>
inline void outer_tile(double* out, std::ptrdiff_t o_rs, std::ptrdiff_t o_cs, int r0, int c0, const double* a,
                       const sglab::bandit::RowSource& in, double scale) {
  const std::size_t B = in.stride;
  const double* ar[R];
  const double* xr[Q];
  for (int r = 0; r < R; ++r) ar[r] = a + static_cast<std::size_t>(r0 + r) * B;
  for (int q = 0; q < Q; ++q) xr[q] = source_row(in, c0 + q);
  v4d sum[R][Q];
  for (int r = 0; r < R; ++r)
    for (int q = 0; q < Q; ++q) sum[r][q] = splat(0.0);
  for (std::size_t b = 0; b < B; b += 4) {
    v4d xv[Q];
    for (int q = 0; q < Q; ++q) xv[q] = load4(xr[q] + b);
    for (int r = 0; r < R; ++r) {
      const v4d av = load4(ar[r] + b);
      for (int q = 0; q < Q; ++q) sum[r][q] = fmadd(av, xv[q], sum[r][q]);
    }
  }
  if constexpr (R == 4) {
    if (o_rs == 1) {
      const v4d k = splat(scale);
      for (int q = 0; q < Q; ++q) {
        double* o = out + r0 + (c0 + q) * o_cs;
        store4(o, load4(o) + k * lane_sums4(sum[0][q], sum[1][q], sum[2][q], sum[3][q]));
      }
      return;
    }
  }
  for (int r = 0; r < R; ++r)
    for (int q = 0; q < Q; ++q) out[(r0 + r) * o_rs + (c0 + q) * o_cs] += scale * lane_sum(sum[r][q]);
}

template <int R>
inline void outer_rows(double* out, std::ptrdiff_t o_rs, std::ptrdiff_t o_cs, int r0, int C, const double* a,
                       const sglab::bandit::RowSource& in, double scale) {
  int c0 = 0;
  for (; c0 + 3 <= C; c0 += 3) outer_tile<R, 3>(out, o_rs, o_cs, r0, c0, a, in, scale);
  for (; c0 < C; ++c0) outer_tile<R, 1>(out, o_rs, o_cs, r0, c0, a, in, scale);
}

inline void impl_accumulate_outer(double* out, std::ptrdiff_t o_rs, std::ptrdiff_t o_cs, int R, int C,
                                  const double* a, const sglab::bandit::RowSource& in, double scale) {
  int r0 = 0;
  for (; r0 + 4 <= R; r0 += 4) outer_rows<4>(out, o_rs, o_cs, r0, C, a, in, scale);
  for (; r0 < R; ++r0) outer_rows<1>(out, o_rs, o_cs, r0, C, a, in, scale);
}

// e^x for x ≤ 0 (clamped at −708, where e^x is still a normal number): x = k ln2 + r,
// |r| ≤ ln2/2, e^r by its Taylor series to degree 13 (truncation < 2e-17 relative),
// 2^k assembled in the exponent bits. N vectors in lock step: each step of the
// chain (13 dependent multiply-adds, then a division in tanh) is issued for all
// N before the next, so the core overlaps them instead of waiting on one
// chain's latency; every lane's arithmetic is the same whatever N (same bytes).
template <int N>
inline void exp_nonpositive_n(v4d* x) {
  const v4d lo = splat(-708.0);
  const v4d shifter = splat(6755399441055744.0);  // 1.5·2^52: adding it rounds to an integer in the low bits
  const double inv_fact[13] = {1.0 / 479001600.0, 1.0 / 39916800.0, 1.0 / 3628800.0, 1.0 / 362880.0,
                               1.0 / 40320.0,     1.0 / 5040.0,     1.0 / 720.0,     1.0 / 120.0,
                               1.0 / 24.0,        1.0 / 6.0,        0.5,             1.0,
                               1.0};
  v4d kd[N], r[N], p[N];
  for (int i = 0; i < N; ++i) {
    x[i] = x[i] < lo ? lo : x[i];
    kd[i] = fmadd(x[i], splat(1.4426950408889634), shifter);
    const v4d k = kd[i] - shifter;
    r[i] = fmadd(-k, splat(1.90821492927058770002e-10), fmadd(-k, splat(6.93147180369123816490e-01), x[i]));
    p[i] = splat(1.0 / 6227020800.0);  // 1/13!
  }
  for (double c : inv_fact)
    for (int i = 0; i < N; ++i) p[i] = fmadd(p[i], r[i], splat(c));
  for (int i = 0; i < N; ++i) {
    const v4u bits = ((v4u)kd[i] + 1023ULL) << 52;
    x[i] = p[i] * (v4d)bits;
  }
}

inline v4d exp_nonpositive(v4d x) {
  exp_nonpositive_n<1>(&x);
  return x;
}

// tanh|x| = (1 − e)/(1 + e) with e = e^{−2|x|}; beyond |x| = 20 that rounds to 1.
template <int N>
inline void tanh_n(v4d* v) {
  const v4d zero = splat(0.0), one = splat(1.0), floor = splat(-40.0);
  v4d e[N];
  for (int i = 0; i < N; ++i) {
    const v4d ax = v[i] < zero ? -v[i] : v[i];
    const v4d m = splat(-2.0) * ax;
    e[i] = m < floor ? floor : m;
  }
  exp_nonpositive_n<N>(e);
  for (int i = 0; i < N; ++i) {
    const v4d t = (one - e[i]) / (one + e[i]);
    v[i] = v[i] < zero ? -t : t;
  }
}

inline void impl_tanh_inplace(double* p, std::size_t count) {
  constexpr int kLockStep = 4;  // vectors per step (a paper-scale neuron: ~25 % faster than 1; 8 gains nothing)
  std::size_t i = 0;
  for (; i + 4 * kLockStep <= count; i += 4 * kLockStep) {
    v4d v[kLockStep];
    for (int k = 0; k < kLockStep; ++k) v[k] = load4(p + i + 4 * k);
    tanh_n<kLockStep>(v);
    for (int k = 0; k < kLockStep; ++k) store4(p + i + 4 * k, v[k]);
  }
  for (; i < count; i += 4) {
    v4d v = load4(p + i);
    tanh_n<1>(&v);
    store4(p + i, v);
  }
}

// Softmax over S rows, sample by sample: w_s = e^{z_s − max z} / Σ_r e^{z_r − max z}.
inline void impl_softmax_rows_inplace(double* z, int S, std::size_t B) {
  for (std::size_t b = 0; b < B; b += 4) {
    v4d top = load4(z + b);
    for (int s = 1; s < S; ++s) {
      const v4d v = load4(z + s * B + b);
      top = v > top ? v : top;
    }
    v4d total = splat(0.0);
    for (int s = 0; s < S; ++s) {
      const v4d e = exp_nonpositive(load4(z + s * B + b) - top);
      store4(z + s * B + b, e);
      total += e;
    }
    const v4d inv = splat(1.0) / total;
    for (int s = 0; s < S; ++s) store4(z + s * B + b, load4(z + s * B + b) * inv);
  }
}

// out_k = Σ_s w_s ⊙ y_{s·n+k}, k < n.
inline void impl_mix_slots(double* out, const double* w, const double* y, int S, int n, std::size_t B) {
  for (int k = 0; k < n; ++k)
    for (std::size_t b = 0; b < B; b += 4) {
      v4d sum = splat(0.0);
      for (int s = 0; s < S; ++s) sum = fmadd(load4(w + s * B + b), load4(y + (s * n + k) * B + b), sum);
      store4(out + k * B + b, sum);
    }
}

// t_{s·n+k} = w_s ⊙ g_k ⊙ (1 − y²), v_s = Σ_k g_k y_{s·n+k}, dq_s = w_s (v_s − Σ_r w_r v_r).
inline void impl_slot_terms(const double* g, const double* y, const double* w, int S, int n, std::size_t B, double* t,
                            double* dq) {
  const v4d one = splat(1.0);
  for (std::size_t b = 0; b < B; b += 4) {
    v4d mean = splat(0.0);
    for (int s = 0; s < S; ++s) {
      const v4d ws = load4(w + s * B + b);
      v4d v = splat(0.0);
      for (int k = 0; k < n; ++k) {
        const v4d gk = load4(g + k * B + b);
        const v4d ysk = load4(y + (s * n + k) * B + b);
        store4(t + (s * n + k) * B + b, ws * (gk * fmadd(-ysk, ysk, one)));
        v = fmadd(gk, ysk, v);
      }
      store4(dq + s * B + b, v);
      mean = fmadd(ws, v, mean);
    }
    for (int s = 0; s < S; ++s) {
      const v4d ws = load4(w + s * B + b);
      store4(dq + s * B + b, ws * (load4(dq + s * B + b) - mean));
    }
  }
}

// Adam's element-wise update (adam.hpp), a plain loop that the compiler
// vectorises (no reduction, so every build gives the same bytes; sqrt needs
// -fno-math-errno to vectorise, set on these files: v ≥ 0 always).
inline void impl_adam_update(double* __restrict p, double* __restrict m, double* __restrict v, double* __restrict g,
                             std::size_t count, double lr, double c1, double c2, double beta1, double beta2,
                             double epsilon, bool clear_gradient) {
  for (std::size_t i = 0; i < count; ++i) {
    m[i] = beta1 * m[i] + (1.0 - beta1) * g[i];
    v[i] = beta2 * v[i] + (1.0 - beta2) * (g[i] * g[i]);
    p[i] -= lr * (m[i] / c1) / (__builtin_sqrt(v[i] / c2) + epsilon);
    if (clear_gradient) g[i] = 0.0;
  }
}

}  // namespace
