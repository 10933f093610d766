// The batch kernels of SparseNet (core/bandit/batch_kernels*) against a
// straightforward reference: per sample, per neuron, plain loops over the
// parameter layout documented in sparse_net.hpp, std::tanh and std::exp.
// Shapes are chosen to hit every tile remainder (batch 11 → stride 12, row
// counts not multiples of 4). Tolerance 1e-12 (relative to 1 + |value|): the two
// differ only in summation order and in the polynomial tanh / exp (< 1e-15).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/bandit/sg_predictors.hpp"
#include "core/bandit/sparse_net.hpp"
#include "core/bandit/sparse_net_backward.hpp"
#include "core/rng/counter_rng.hpp"

namespace sglab::bandit {
namespace {

constexpr double kTolerance = 1e-12;

SparseNetShape odd_shape(bool residual) {
  SparseNetShape s;
  s.input_dim = 20;
  s.n_dim = 3;
  s.layers = 3;
  s.width = 5;
  s.slots = 3;
  s.parents = 3;
  s.actions = 5;
  s.residual = residual;
  return s;
}

RowMatrix random_matrix(int rows, int cols, std::uint64_t seed) {
  RowMatrix x(rows, cols);
  rng::StreamReader r(seed, 91);
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = r.next_normal();
  return x;
}

// One sample through the net, every intermediate kept (index [layer][neuron]).
struct SampleTrace {
  std::vector<std::vector<std::vector<double>>> u, w, y, mt, h;
  std::vector<double> logits;
};

SampleTrace reference_forward(const SparseNet& net, const double* x) {
  const auto& s = net.shape();
  const int n = s.n_dim, S = s.slots, sn = S * n, nd = s.nd(), W = s.width;
  const double* p = net.params().data();
  SampleTrace tr;
  for (auto* v : {&tr.u, &tr.w, &tr.y, &tr.mt, &tr.h}) v->assign(static_cast<std::size_t>(s.layers), std::vector<std::vector<double>>(static_cast<std::size_t>(W)));
  for (int l = 0; l < s.layers; ++l)
    for (int j = 0; j < W; ++j) {
      const auto L = static_cast<std::size_t>(l), J = static_cast<std::size_t>(j);
      const auto& in = net.inputs(l, j);
      std::vector<double>& u = tr.u[L][J];
      for (int c = 0; c < nd; ++c)
        u.push_back(l == 0 ? x[in[static_cast<std::size_t>(c)]]
                           : tr.h[L - 1][static_cast<std::size_t>(in[static_cast<std::size_t>(c / n)])][static_cast<std::size_t>(c % n)]);
      const double* A = p + s.neuron_offset(l, j);
      const double* b = A + sn * nd;
      const double* K = b + sn;
      std::vector<double> z(static_cast<std::size_t>(S));
      for (int k = 0; k < S; ++k) {
        double acc = 0;
        for (int c = 0; c < nd; ++c) acc += K[k + c * S] * u[static_cast<std::size_t>(c)];
        z[static_cast<std::size_t>(k)] = acc * s.hidden_scale();
      }
      const double top = *std::max_element(z.begin(), z.end());
      double total = 0;
      for (double& v : z) total += (v = std::exp(v - top));
      for (double& v : z) v /= total;
      tr.w[L][J] = z;
      std::vector<double>& y = tr.y[L][J];
      for (int r = 0; r < sn; ++r) {
        double acc = b[r];
        for (int c = 0; c < nd; ++c) acc += A[r + c * sn] * u[static_cast<std::size_t>(c)];
        y.push_back(std::tanh(acc));
      }
      std::vector<double> mix(static_cast<std::size_t>(n), 0.0);
      for (int k = 0; k < S; ++k)
        for (int c = 0; c < n; ++c) mix[static_cast<std::size_t>(c)] += z[static_cast<std::size_t>(k)] * y[static_cast<std::size_t>(k * n + c)];
      tr.h[L][J] = mix;
      if (s.residual && l > 0)
        for (int c = 0; c < n; ++c) {
          tr.mt[L][J].push_back(std::tanh(mix[static_cast<std::size_t>(c)]));
          tr.h[L][J][static_cast<std::size_t>(c)] = tr.mt[L][J].back() + tr.h[L - 1][J][static_cast<std::size_t>(c)];
        }
    }
  const double* Kact = p + s.action_offset();
  for (int a = 0; a < s.actions; ++a) {
    double acc = 0;
    for (int j = 0; j < W; ++j)
      for (int c = 0; c < n; ++c) acc += Kact[a + (j * n + c) * s.actions] * tr.h[static_cast<std::size_t>(s.layers - 1)][static_cast<std::size_t>(j)][static_cast<std::size_t>(c)];
    tr.logits.push_back(acc * s.action_scale());
  }
  return tr;
}

// Gradient of Σ_a c_a ℓ_a for one sample, by the chain rule written out, added into grad.
void reference_backward(const SparseNet& net, const SampleTrace& tr, const double* c, std::vector<double>& grad) {
  const auto& s = net.shape();
  const int n = s.n_dim, S = s.slots, sn = S * n, nd = s.nd(), W = s.width;
  const double* p = net.params().data();
  std::vector<std::vector<double>> gh(static_cast<std::size_t>(W), std::vector<double>(static_cast<std::size_t>(n), 0.0));
  for (int a = 0; a < s.actions; ++a)
    for (int j = 0; j < W; ++j)
      for (int k = 0; k < n; ++k) {
        const std::size_t at = s.action_offset() + static_cast<std::size_t>(a + (j * n + k) * s.actions);
        grad[at] += c[a] * s.action_scale() * tr.h[static_cast<std::size_t>(s.layers - 1)][static_cast<std::size_t>(j)][static_cast<std::size_t>(k)];
        gh[static_cast<std::size_t>(j)][static_cast<std::size_t>(k)] += c[a] * s.action_scale() * p[at];
      }
  for (int l = s.layers - 1; l >= 0; --l) {
    const auto L = static_cast<std::size_t>(l);
    std::vector<std::vector<double>> below(static_cast<std::size_t>(W), std::vector<double>(static_cast<std::size_t>(n), 0.0));
    for (int j = 0; j < W; ++j) {
      const auto J = static_cast<std::size_t>(j);
      std::vector<double> g = gh[J];
      if (s.residual && l > 0)
        for (int k = 0; k < n; ++k) {
          below[J][static_cast<std::size_t>(k)] += g[static_cast<std::size_t>(k)];
          g[static_cast<std::size_t>(k)] *= 1 - tr.mt[L][J][static_cast<std::size_t>(k)] * tr.mt[L][J][static_cast<std::size_t>(k)];
        }
      const auto& u = tr.u[L][J];
      const auto& w = tr.w[L][J];
      const auto& y = tr.y[L][J];
      const double* A = p + s.neuron_offset(l, j);
      const double* K = A + sn * nd + sn;
      const std::size_t off = s.neuron_offset(l, j);
      std::vector<double> gu(static_cast<std::size_t>(nd), 0.0), v(static_cast<std::size_t>(S), 0.0);
      double mean_v = 0;
      for (int k = 0; k < S; ++k) {
        for (int m = 0; m < n; ++m) v[static_cast<std::size_t>(k)] += g[static_cast<std::size_t>(m)] * y[static_cast<std::size_t>(k * n + m)];
        mean_v += w[static_cast<std::size_t>(k)] * v[static_cast<std::size_t>(k)];
      }
      for (int k = 0; k < S; ++k) {
        const double dq = w[static_cast<std::size_t>(k)] * (v[static_cast<std::size_t>(k)] - mean_v);
        for (int m = 0; m < n; ++m) {
          const int r = k * n + m;
          const double t = w[static_cast<std::size_t>(k)] * g[static_cast<std::size_t>(m)] * (1 - y[static_cast<std::size_t>(r)] * y[static_cast<std::size_t>(r)]);
          grad[off + static_cast<std::size_t>(sn * nd + r)] += t;
          for (int q = 0; q < nd; ++q) {
            grad[off + static_cast<std::size_t>(r + q * sn)] += t * u[static_cast<std::size_t>(q)];
            gu[static_cast<std::size_t>(q)] += t * A[r + q * sn];
          }
        }
        for (int q = 0; q < nd; ++q) {
          grad[off + static_cast<std::size_t>(sn * nd + sn + k + q * S)] += s.hidden_scale() * dq * u[static_cast<std::size_t>(q)];
          gu[static_cast<std::size_t>(q)] += s.hidden_scale() * dq * K[k + q * S];
        }
      }
      if (l > 0)
        for (int q = 0; q < nd; ++q)
          below[static_cast<std::size_t>(net.inputs(l, j)[static_cast<std::size_t>(q / n)])][static_cast<std::size_t>(q % n)] += gu[static_cast<std::size_t>(q)];
    }
    gh = below;
  }
}

void expect_close(double fast, double reference, const char* what, std::size_t index) {
  EXPECT_NEAR(fast, reference, kTolerance * (1.0 + std::abs(reference))) << what << " " << index;
}

void check_net(bool residual, int batch) {
  SparseNet net(odd_shape(residual), 17);
  const auto& s = net.shape();
  const RowMatrix x = random_matrix(batch, s.input_dim, 5);
  const Eigen::MatrixXd c = random_matrix(batch, s.actions, 6);
  for (int threads : {1, 2}) {
    SparseForward f;
    net.forward(x, f, threads);
    Eigen::VectorXd grad = Eigen::VectorXd::Zero(net.params().size());
    LayerGrad g;
    backward_action_layer(net, f, c, &grad, g);
    for (int l = s.layers - 1; l >= 0; --l) {
      LayerGrad below;
      backward_hidden_layer(net, f, l, g, &grad, l > 0 ? &below : nullptr, threads);
      g = std::move(below);
    }
    std::vector<double> ref_grad(static_cast<std::size_t>(net.params().size()), 0.0);
    for (int b = 0; b < batch; ++b) {
      const SampleTrace tr = reference_forward(net, x.row(b).data());
      for (int a = 0; a < s.actions; ++a) expect_close(f.logits(b, a), tr.logits[static_cast<std::size_t>(a)], "logit", static_cast<std::size_t>(a));
      for (int l = 0; l < s.layers; ++l)
        for (int j = 0; j < s.width; ++j)
          for (int k = 0; k < s.n_dim; ++k)
            expect_close(f.output(l, j, k, b, s.n_dim), tr.h[static_cast<std::size_t>(l)][static_cast<std::size_t>(j)][static_cast<std::size_t>(k)], "hidden", static_cast<std::size_t>(k));
      const Eigen::RowVectorXd cb = c.row(b);
      reference_backward(net, tr, cb.data(), ref_grad);
    }
    for (std::size_t i = 0; i < ref_grad.size(); ++i) expect_close(grad[static_cast<Eigen::Index>(i)], ref_grad[i], "gradient", i);
  }
}

TEST(BanditKernel, SparseNetForwardAndBackwardMatchAPlainReference) {
  check_net(true, 11);
  check_net(false, 11);
  check_net(true, 8);
}

TEST(BanditKernel, PredictorMatchesAPlainReference) {
  SparseNet net(odd_shape(true), 21);
  SgPredictors pred(net.shape(), 21);
  const auto& s = net.shape();
  const int batch = 11, n = s.n_dim, S = s.slots, sn = S * n, nd = s.nd();
  const RowMatrix x = random_matrix(batch, s.input_dim, 8);
  SparseForward f;
  net.forward(x, f, 1);
  std::vector<double> out(static_cast<std::size_t>(n * f.stride));
  for (int l = 0; l < s.layers; ++l)
    for (int j = 0; j < s.width; ++j) {
      pred.predict(net, f, l, j, out.data());
      const std::size_t base = static_cast<std::size_t>(l * s.width + j) * static_cast<std::size_t>(sn * (nd + 1));
      const double* C = pred.params().data() + base;
      for (int b = 0; b < batch; ++b) {
        const SampleTrace tr = reference_forward(net, x.row(b).data());
        const auto& u = tr.u[static_cast<std::size_t>(l)][static_cast<std::size_t>(j)];
        const auto& w = tr.w[static_cast<std::size_t>(l)][static_cast<std::size_t>(j)];
        for (int k = 0; k < n; ++k) {
          double ref = 0;
          for (int r = 0; r < S; ++r) {
            double slot = C[sn * nd + r * n + k];
            for (int q = 0; q < nd; ++q) slot += C[r * n + k + q * sn] * u[static_cast<std::size_t>(q)];
            ref += w[static_cast<std::size_t>(r)] * slot;
          }
          expect_close(out[static_cast<std::size_t>(k * f.stride + b)], ref, "prediction", static_cast<std::size_t>(k));
        }
      }
      for (int k = 0; k < n; ++k)
        for (int b = batch; b < f.stride; ++b) EXPECT_EQ(out[static_cast<std::size_t>(k * f.stride + b)], 0.0);  // zero pads
    }
}

// accumulate_outer's documented order, exactly (not to a tolerance): each
// output adds scale · ((s0 + s1) + (s2 + s3)) where lane l sums a[b]·x[b] over
// b ≡ l (mod 4) in increasing b with one rounding per multiply-add. The
// vector epilogue (four rows at once, unit row stride) and the scalar one
// (any stride, remainder rows) must both give these bytes; 14 × 11 hits both.
TEST(BanditKernel, OuterProductSumsInTheDocumentedOrderBitForBit) {
  const int R = 14, C = 11, stride = 12;
  const RowMatrix a = random_matrix(R, stride, 31), x = random_matrix(C + 3, stride, 32), start = random_matrix(R, C, 33);
  const std::vector<int> rows = {5, 0, 13, 2, 7, 7, 1, 12, 3, 9, 4};
  RowSource in;
  in.base = x.data();
  in.rows = rows.data();
  in.stride = stride;
  for (const std::ptrdiff_t o_rs : {std::ptrdiff_t{1}, std::ptrdiff_t{C}}) {
    const std::ptrdiff_t o_cs = o_rs == 1 ? R : 1;
    std::vector<double> out(static_cast<std::size_t>(R * C));
    for (int r = 0; r < R; ++r)
      for (int c = 0; c < C; ++c) out[static_cast<std::size_t>(r * o_rs + c * o_cs)] = start(r, c);
    accumulate_outer(out.data(), o_rs, o_cs, R, C, a.data(), in, 0.7);
    for (int r = 0; r < R; ++r)
      for (int c = 0; c < C; ++c) {
        double lane[4] = {0, 0, 0, 0};
        for (int b = 0; b < stride; ++b)
          lane[b % 4] = std::fma(a(r, b), x(rows[static_cast<std::size_t>(c)], b), lane[b % 4]);
        const double expected = start(r, c) + 0.7 * ((lane[0] + lane[1]) + (lane[2] + lane[3]));
        EXPECT_EQ(out[static_cast<std::size_t>(r * o_rs + c * o_cs)], expected) << "row " << r << " col " << c << " o_rs " << o_rs;
      }
  }
}

// tanh_inplace runs several vectors in lock step and the tail one by one: the
// same input gives the same bytes in either position.
TEST(BanditKernel, TanhIsTheSameInLockStepAndInTheTail) {
  const std::size_t head = 64, count = head + 12;
  std::vector<double> v(count);
  rng::StreamReader r(77, 5);
  for (std::size_t i = 0; i < 12; ++i) v[i] = v[head + i] = 3.0 * r.next_normal();
  for (std::size_t i = 12; i < head; ++i) v[i] = 25.0 * r.next_normal();  // saturated and small values too
  const std::vector<double> input = v;
  tanh_inplace(v.data(), count);
  for (std::size_t i = 0; i < 12; ++i) EXPECT_EQ(v[i], v[head + i]) << i;
  for (std::size_t i = 0; i < count; ++i) EXPECT_NEAR(v[i], std::tanh(input[i]), 1e-15) << input[i];
}

// An evaluation forward (routes, slot outputs and tanh(mix) in scratch) gives
// the same outputs and logits, bit for bit, as the training forward.
TEST(BanditKernel, EvaluationForwardGivesTheTrainingForwardsOutputs) {
  for (const bool residual : {true, false}) {
    SparseNet net(odd_shape(residual), 23);
    const RowMatrix x = random_matrix(11, net.shape().input_dim, 9);
    SparseForward kept, bare;
    net.forward(x, kept, 2);
    net.forward(x, bare, 2, /*keep_for_backward=*/false);
    for (int l = 0; l < net.shape().layers; ++l)
      EXPECT_EQ(kept.h[static_cast<std::size_t>(l)], bare.h[static_cast<std::size_t>(l)]) << "layer " << l;
    EXPECT_EQ(kept.logits, bare.logits);
  }
}

}  // namespace
}  // namespace sglab::bandit
