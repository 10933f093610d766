#include "core/expert/jacobian_gram.hpp"

#include <algorithm>
#include <cstring>

#include "core/util/simd_clones.hpp"

namespace sglab::expert {

namespace {

using SumOrder = JacobianGram::SumOrder;

// Eigen 3.4's switch from GEMM to the coefficient-based product
// (EIGEN_GEMM_TO_COEFFBASED_THRESHOLD), and the size from which its GEMM
// blocks the operands (evaluateProductBlockingSizesHeuristic).
constexpr int kCoeffBasedThreshold = 20;
constexpr int kBlockingThreshold = 48;

// Four doubles, one per state; element-wise IEEE arithmetic (two SSE2
// registers in the baseline clone, one AVX register in the AVX2 clone, no
// fused multiply-add in either).
typedef double Lanes __attribute__((vector_size(32)));
constexpr int kLanes = JacobianGram::kLanes;
constexpr int kMaxD = 24;
constexpr int kMaxM = JacobianGram::kMaxFastExperts;

// The order Eigen's GEMM micro-kernel (mr = nr = 4, packets of two) gives the
// sum of entry (row, col) of a rows × cols product of `depth` terms.
SumOrder gemm_order(int rows, int cols, int depth, int row, int col) {
  const int two_packet_rows = rows / 4 * 4;
  const int one_packet_rows = two_packet_rows + (rows - two_packet_rows) / 2 * 2;
  const bool one_packet = row >= two_packet_rows && row < one_packet_rows;
  const bool column_panel = col < cols / 4 * 4;
  return one_packet && column_panel && depth >= 8 ? SumOrder::kEvenOddFirst : SumOrder::kInOrder;
}

// out = Σ_k t[k] in Eigen's order for `order` (kPairedPackets: the vectorised
// reduction of a lazy product's coefficient, depth ≥ 2). Lanes travel by
// reference: a by-value vector would change the ABI between the clones.
__attribute__((always_inline)) inline void ordered_sum(SumOrder order, int depth, const Lanes* t, Lanes& out) {
  if (order == SumOrder::kInOrder) {
    Lanes s = {};
    for (int k = 0; k < depth; ++k) s = s + t[k];
    out = s;
    return;
  }
  if (order == SumOrder::kEvenOddFirst) {
    const int peeled = depth / 8 * 8;
    Lanes even = {}, odd = {};
    for (int k = 0; k < peeled; k += 2) {
      even = even + t[k];
      odd = odd + t[k + 1];
    }
    Lanes s = even + odd;
    for (int k = peeled; k < depth; ++k) s = s + t[k];
    out = s;
    return;
  }
  // Packets (t0, t1) and (t2, t3) start two accumulators, which take every
  // further four terms; then they are added, one more packet may follow, the
  // packet's halves are added and the odd tail follows in order.
  const int packets2 = depth / 4 * 4, packets1 = depth / 2 * 2;
  Lanes p0a = t[0], p0b = t[1];
  if (packets1 > 2) {
    Lanes p1a = t[2], p1b = t[3];
    for (int k = 4; k < packets2; k += 4) {
      p0a = p0a + t[k];
      p0b = p0b + t[k + 1];
      p1a = p1a + t[k + 2];
      p1b = p1b + t[k + 3];
    }
    p0a = p0a + p1a;
    p0b = p0b + p1b;
    if (packets1 > packets2) {
      p0a = p0a + t[packets2];
      p0b = p0b + t[packets2 + 1];
    }
  }
  Lanes s = p0a + p0b;
  for (int k = packets1; k < depth; ++k) s = s + t[k];
  out = s;
}

struct FastPlan {
  int d, m, rank;
  const Lanes* l_lanes;  ///< L row by row, each entry broadcast to all lanes
  const SumOrder* b_order;
  const SumOrder* q_order;
  bool b_gemm, q_gemm;
  bool b_in_order, q_in_order;  ///< every entry kInOrder (then the fused loops run)
};

// B = Z Lᵀ (d × m) from the lane-interleaved zl. GEMM stores 0 + sum (which
// turns a −0 into +0); the lazy product does not.
template <int kM>
__attribute__((always_inline)) inline void product_b(const FastPlan& p, const double* zl, Lanes* b) {
  const int d = p.d, m = kM > 0 ? kM : p.m, rank = p.rank;
  if (p.b_in_order) {
    // Row by row, all m sums at once, each term by term in order.
    for (int i = 0; i < d; ++i) {
      Lanes acc[kM > 0 ? kM : kMaxM] = {};
      for (int c = 0; c < rank; ++c) {
        Lanes zc;
        std::memcpy(&zc, zl + static_cast<std::size_t>(i * rank + c) * kLanes, sizeof zc);
        for (int j = 0; j < m; ++j) acc[j] = acc[j] + zc * p.l_lanes[j * rank + c];
      }
      for (int j = 0; j < m; ++j) b[i * m + j] = p.b_gemm ? Lanes{} + acc[j] : acc[j];
    }
    return;
  }
  Lanes t[kMaxD];
  for (int i = 0; i < d; ++i)
    for (int j = 0; j < m; ++j) {
      for (int c = 0; c < rank; ++c) {
        std::memcpy(&t[c], zl + static_cast<std::size_t>(i * rank + c) * kLanes, sizeof t[c]);
        t[c] = t[c] * p.l_lanes[j * rank + c];
      }
      Lanes s;
      ordered_sum(p.b_order[i * m + j], rank, t, s);
      b[i * m + j] = p.b_gemm ? Lanes{} + s : s;
    }
}

// The upper triangle of Q = BᵀB, row by row, into q.
template <int kM>
__attribute__((always_inline)) inline void product_q(const FastPlan& p, const Lanes* b, Lanes* q) {
  const int d = p.d, m = kM > 0 ? kM : p.m;
  int pair = 0;
  if (p.q_in_order) {
    // Row x of Q: its m − x sums at once, each term by term in order.
    for (int x = 0; x < m; ++x) {
      Lanes acc[kM > 0 ? kM : kMaxM] = {};
      for (int k = 0; k < d; ++k) {
        const Lanes bx = b[k * m + x];
        for (int y = x; y < m; ++y) acc[y] = acc[y] + bx * b[k * m + y];
      }
      for (int y = x; y < m; ++y) q[pair++] = p.q_gemm ? Lanes{} + acc[y] : acc[y];
    }
    return;
  }
  Lanes t[kMaxD];
  for (int x = 0; x < m; ++x)
    for (int y = x; y < m; ++y, ++pair) {
      for (int k = 0; k < d; ++k) t[k] = b[k * m + x] * b[k * m + y];
      Lanes s;
      ordered_sum(p.q_order[pair], d, t, s);
      q[pair] = p.q_gemm ? Lanes{} + s : s;
    }
}

template <int kM>
__attribute__((always_inline)) inline void gram_lanes(const FastPlan& p, const double* z, int states,
                                                      double* packed) {
  const int m = kM > 0 ? kM : p.m;
  const std::size_t per_state = static_cast<std::size_t>(p.d) * static_cast<std::size_t>(p.rank);
  const std::size_t pairs = static_cast<std::size_t>(m) * static_cast<std::size_t>(m + 1) / 2;
  // Z of state s in lane s (unused lanes 0).
  alignas(32) double zl[kMaxD * kMaxM * kLanes];
  if (states < kLanes) std::memset(zl, 0, per_state * kLanes * sizeof(double));
  for (int s = 0; s < states; ++s)
    for (std::size_t i = 0; i < per_state; ++i)
      zl[i * kLanes + static_cast<std::size_t>(s)] = z[static_cast<std::size_t>(s) * per_state + i];
  Lanes b[kMaxD * kMaxM], q[kMaxM * (kMaxM + 1) / 2];
  product_b<kM>(p, zl, b);
  product_q<kM>(p, b, q);
  for (int s = 0; s < states; ++s)
    for (std::size_t i = 0; i < pairs; ++i) packed[static_cast<std::size_t>(s) * pairs + i] = q[i][s];
}

#define SGLAB_GRAM_LANES(NAME, M)                                                   \
  SGLAB_SIMD_CLONES void NAME(const FastPlan& p, const double* z, int states, double* packed) { \
    gram_lanes<M>(p, z, states, packed);                                           \
  }
// Instances for the lab's usual expert counts (the m knob; 5 is the paper's).
SGLAB_GRAM_LANES(gram_lanes_m3, 3)
SGLAB_GRAM_LANES(gram_lanes_m4, 4)
SGLAB_GRAM_LANES(gram_lanes_m5, 5)
SGLAB_GRAM_LANES(gram_lanes_m6, 6)
SGLAB_GRAM_LANES(gram_lanes_any, 0)
#undef SGLAB_GRAM_LANES

}  // namespace

JacobianGram::JacobianGram(const Eigen::MatrixXd& L, int d)
    : d_(d), m_(static_cast<int>(L.rows())), rank_(static_cast<int>(L.cols())), L_(L) {
  // Sizes where Eigen takes a path the fast one does not repeat: matrix–vector
  // products (a dimension of 1) and blocked GEMM.
  fast_ = m_ >= 2 && d_ >= 2 && rank_ >= 1 && m_ <= kMaxFastExperts && d_ <= kMaxD &&
          std::max({d_, m_, rank_}) < kBlockingThreshold;
  b_gemm_ = rank_ + d_ + m_ >= kCoeffBasedThreshold;
  q_gemm_ = d_ + m_ + m_ >= kCoeffBasedThreshold;
  l_lanes_.resize(static_cast<std::size_t>(m_) * static_cast<std::size_t>(rank_) * kLanes);
  for (int j = 0; j < m_; ++j)
    for (int c = 0; c < rank_; ++c)
      for (int s = 0; s < kLanes; ++s) l_lanes_[static_cast<std::size_t>((j * rank_ + c) * kLanes + s)] = L(j, c);
  b_order_.resize(static_cast<std::size_t>(d_) * static_cast<std::size_t>(m_));
  for (int i = 0; i < d_; ++i)
    for (int j = 0; j < m_; ++j)
      b_order_[static_cast<std::size_t>(i * m_ + j)] =
          b_gemm_ ? gemm_order(d_, m_, rank_, i, j) : SumOrder::kInOrder;
  for (int x = 0; x < m_; ++x)
    for (int y = x; y < m_; ++y)
      q_order_.push_back(q_gemm_ ? gemm_order(m_, m_, d_, x, y) : SumOrder::kPairedPackets);
  const auto in_order = [](const std::vector<SumOrder>& order) {
    return std::all_of(order.begin(), order.end(), [](SumOrder o) { return o == SumOrder::kInOrder; });
  };
  b_in_order_ = in_order(b_order_);
  q_in_order_ = in_order(q_order_);
}

void JacobianGram::reference(const double* z, double* packed) const {
  Eigen::MatrixXd Z(d_, rank_);
  for (int row = 0; row < d_; ++row)
    for (int c = 0; c < rank_; ++c) Z(row, c) = z[static_cast<std::size_t>(row * rank_ + c)];
  Eigen::MatrixXd B(d_, m_), Q(m_, m_);
  B.noalias() = Z * L_.transpose();
  Q.noalias() = B.transpose() * B;
  for (int x = 0; x < m_; ++x)
    for (int y = x; y < m_; ++y) *packed++ = Q(x, y);
}

void JacobianGram::fast(const double* z, int states, double* packed) const {
  const FastPlan plan{d_,
                      m_,
                      rank_,
                      reinterpret_cast<const Lanes*>(l_lanes_.data()),
                      b_order_.data(),
                      q_order_.data(),
                      b_gemm_,
                      q_gemm_,
                      b_in_order_,
                      q_in_order_};
  switch (m_) {
    case 3: gram_lanes_m3(plan, z, states, packed); return;
    case 4: gram_lanes_m4(plan, z, states, packed); return;
    case 5: gram_lanes_m5(plan, z, states, packed); return;
    case 6: gram_lanes_m6(plan, z, states, packed); return;
    default: gram_lanes_any(plan, z, states, packed); return;
  }
}

}  // namespace sglab::expert
