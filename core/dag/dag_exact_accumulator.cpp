#include "core/dag/dag_exact_accumulator.hpp"

#include <utility>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace sglab::dag::exact_detail {

namespace {

Eigen::VectorXd to_eigen(const std::vector<double>& v) {
  return Eigen::Map<const Eigen::VectorXd>(v.data(), static_cast<Eigen::Index>(v.size()));
}

}  // namespace

double* new_table(std::size_t count) {
  auto* table = new double[count];
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr std::uintptr_t kHuge = std::uintptr_t{1} << 21;
  const auto begin = (reinterpret_cast<std::uintptr_t>(table) + kHuge - 1) & ~(kHuge - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(table + count)) & ~(kHuge - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#endif
  return table;
}

DagNodeExact node_result(const NodeAccumulator& acc, const DagNetwork& net, bool full_moments,
                         std::vector<int> extended_ancestors) {
  const auto i = static_cast<std::size_t>(acc.node);
  DagNodeExact r;
  r.node = acc.node;
  r.layer = net.layer[i];
  r.terminal = net.is_terminal(acc.node);
  r.parent_count = acc.k - 1;
  r.lambda = acc.lambda;
  r.observation_groups = acc.weight.size();
  r.mu = to_eigen(acc.mu);
  // CenteredSums: within part + between part (ECV's within part is the total's).
  const CenteredSums& w = acc.within;
  const CenteredSums& b = acc.between;
  r.bp.ecv = w.total_bp + b.ecv_bp;
  r.bp.vcm = acc.vcm_bp;
  r.bp.total_variance = full_moments ? w.total_bp + b.total_bp : 0.0;
  r.bp.mean = r.mu;
  r.bp.bias2 = 0.0;  // BP is unbiased by definition of μ_i (§2)
  r.sg.ecv = w.total_sg + b.ecv_sg;
  r.sg.vcm = acc.vcm_sg;
  r.sg.total_variance = full_moments ? w.total_sg + b.total_sg : 0.0;
  r.sg.mean = (1.0 - acc.lambda) * to_eigen(acc.mean_a) + acc.lambda * to_eigen(acc.mean_b);
  r.sg.bias2 = (r.sg.mean - r.mu).squaredNorm();  // eq 8
  r.mixing.applicable = !r.terminal;
  r.mixing.tr_cov_a = w.tr_a + b.tr_a;
  r.mixing.tr_cov_b = w.tr_b + b.tr_b;
  r.mixing.tr_cov_ab = w.tr_ab + b.tr_ab;
  r.mixing.tr_cov_a_minus_b = w.tr_amb + b.tr_amb;
  r.mixing.mean_a = to_eigen(acc.mean_a);
  r.mixing.mean_b = to_eigen(acc.mean_b);
  r.sg_bp_distance = acc.distance;
  r.terminal_noise_variance = acc.sign_noise;
  r.extended_ancestors = std::move(extended_ancestors);
  r.bgap_groups = acc.joint_weight.size();
  // Bgap_i = Σ_H P_H (E[g | H] − E[g | o_i(H)])², §3.
  double bgap = 0.0;
  for (std::size_t h = 0; h < acc.joint_weight.size(); ++h) {
    const double w = acc.joint_weight[h];
    if (w <= 0.0) continue;
    const std::uint32_t gi = acc.joint_group[h];
    const double d = acc.joint_sum_g[h] / w - acc.sum_g[gi] / acc.weight[gi];
    bgap += w * d * d;
  }
  r.bgap = bgap;
  r.node_gradient_second_moment = acc.g2;
  r.bgap_relative = acc.g2 > 0.0 ? bgap / acc.g2 : 0.0;
  return r;
}

}  // namespace sglab::dag::exact_detail
