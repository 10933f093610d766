#include "core/expert/expert_problem.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <deque>
#include <numeric>
#include <string>

#include "core/expert/expert_config.hpp"
#include "core/expert/bartlett_gram.hpp"
#include "core/expert/ordered_drain.hpp"
#include "core/rng/counter_rng.hpp"
#include "core/util/error.hpp"

namespace sglab::expert {

namespace {

// Stream purposes of the problem instance (THEORY.md §6, "Problem instance").
// (3 was the Jacobian stream of Z_r's d·rank normals, before the build drew
// Z_rᵀZ_r by Bartlett's decomposition.)
enum : std::uint64_t {
  kCoordinateStream = 1,
  kExpertStream = 2,
  kLeakStream = 4,
  kWishartStream = 5,
  kWishartOverflowStream = 6
};

constexpr std::size_t kStatesPerChunk = 4096;
// Above this many W entries the per-key sums cost more than they save.
constexpr double kMaxPooledEntries = 1 << 22;
// Clean-feedback tables up to this k (2^k entries per expert).
constexpr int kMaxTabulatedK = 12;

// Expert j's key at state r (bit i ⇔ coordinate C_j[i] of z_r is +1) and its
// clean feedback δ_rj = y_j − t_j = (b_j − γ_j) + Σ_i (a_ji − β_ji)·z_r[C_j[i]],
// by table look-up: a key is the OR of one entry per byte of r (d ≤ 24), and
// δ depends on the key only, so it is computed once per key, in the order of
// operations of the per-state formula (the leak term follows per state).
// J_r enters only through B_r = J_rᵀ M with M = [P_1ᵀa_1 … P_mᵀa_m] (d × m).
// With J_r's entries i.i.d. N(0, 1/d), the d rows of B_r are i.i.d.
// N(0, MᵀM/d): B_r = Z_r Lᵀ with Z_r standard normal (d × rank) and
// L Lᵀ = MᵀM/d, exactly THEORY.md's distribution, and Q_r = L (Z_rᵀZ_r) Lᵀ,
// which the build draws by the Bartlett decomposition of the Wishart matrix
// Z_rᵀZ_r (bartlett_gram.hpp). Returns L (m × rank), rank ≤ min(d, m).
Eigen::MatrixXd jacobian_row_factor(const std::vector<std::vector<int>>& coords,
                                    const std::vector<std::vector<double>>& a, int d) {
  const int m = static_cast<int>(coords.size());
  Eigen::MatrixXd M = Eigen::MatrixXd::Zero(d, m);
  for (std::size_t j = 0; j < coords.size(); ++j)
    for (std::size_t i = 0; i < coords[j].size(); ++i) M(coords[j][i], static_cast<Eigen::Index>(j)) = a[j][i];
  const Eigen::MatrixXd row_cov = (M.transpose() * M) / static_cast<double>(d);
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(row_cov);
  const double max_eig = std::max(eig.eigenvalues().maxCoeff(), 0.0);
  std::vector<int> kept;
  for (int i = 0; i < m; ++i)
    if (eig.eigenvalues()(i) > 1e-13 * std::max(max_eig, 1e-300)) kept.push_back(i);
  const int rank = static_cast<int>(kept.size());
  Eigen::MatrixXd L(m, rank);
  for (int c = 0; c < rank; ++c)
    L.col(c) = eig.eigenvectors().col(kept[static_cast<std::size_t>(c)]) *
               std::sqrt(eig.eigenvalues()(kept[static_cast<std::size_t>(c)]));
  return L;
}

}  // namespace

class StateTables {
 public:
  StateTables(const std::vector<std::vector<int>>& coords, const std::vector<std::vector<double>>& a,
              const std::vector<std::vector<double>>& beta, const std::vector<double>& b,
              const std::vector<double>& gamma)
      : m_(coords.size()), k_(coords.empty() ? 0 : coords[0].size()), a_(a), beta_(beta), b_(b), gamma_(gamma) {
    key_bits_.assign(m_ * kBytes * 256, 0);
    for (std::size_t j = 0; j < m_; ++j)
      for (std::size_t i = 0; i < k_; ++i) {
        const int coord = coords[j][i];
        std::uint32_t* table = &key_bits_[(j * kBytes + static_cast<std::size_t>(coord / 8)) * 256];
        for (std::uint32_t byte = 0; byte < 256; ++byte)
          if ((byte >> (coord % 8)) & 1u) table[byte] |= 1u << i;
      }
    if (k_ <= static_cast<std::size_t>(kMaxTabulatedK)) {
      const std::size_t K = std::size_t{1} << k_;
      response_.resize(m_ * K);
      for (std::size_t j = 0; j < m_; ++j)
        for (std::uint32_t key = 0; key < K; ++key) response_[j * K + key] = compute_response(j, key);
    }
  }
  std::uint32_t key(std::size_t j, std::size_t r) const {
    const std::uint32_t* t = &key_bits_[j * kBytes * 256];
    return t[r & 255u] | t[256 + ((r >> 8) & 255u)] | t[512 + ((r >> 16) & 255u)];
  }
  double response(std::size_t j, std::uint32_t key) const {
    return response_.empty() ? compute_response(j, key) : response_[(j << k_) + key];
  }

 private:
  static constexpr std::size_t kBytes = 3;  // d ≤ 24
  double compute_response(std::size_t j, std::uint32_t key) const {
    double response = b_[j] - gamma_[j];
    for (std::size_t i = 0; i < k_; ++i) {
      const double z = ((key >> i) & 1u) ? 1.0 : -1.0;
      response += (a_[j][i] - beta_[j][i]) * z;
    }
    return response;
  }
  std::size_t m_, k_;
  const std::vector<std::vector<double>>& a_;
  const std::vector<std::vector<double>>& beta_;
  const std::vector<double>& b_;
  const std::vector<double>& gamma_;
  std::vector<std::uint32_t> key_bits_;
  std::vector<double> response_;
};
static_assert(ExpertLimits::kMaxDim <= 24, "StateTables reads three bytes of r");

void ExpertProblem::set_keys_and_feedback(std::size_t begin, std::size_t end, const StateTables& t) {
  const auto ms = static_cast<std::size_t>(spec_.m);
  const bool leak = spec_.leak > 0;
  for (std::size_t r = begin; r < end; ++r)
    for (std::size_t j = 0; j < ms; ++j) {
      const std::uint32_t key = t.key(j, r);
      double response = t.response(j, key);
      if (leak && leak_coord_[j] >= 0) {
        // t_j gains ε·z_r[c_j], so δ = y − t loses it.
        response -= spec_.leak * (((r >> leak_coord_[j]) & 1u) ? 1.0 : -1.0);
      }
      key_[r * ms + j] = key;
      delta_[r * ms + j] = response;
    }
}

double ExpertProblem::memory_bytes(const ProblemSpec& spec) {
  const double states = std::ldexp(1.0, spec.d);
  const double m = spec.m;
  const double keys = std::ldexp(1.0, spec.k);
  const double pooled = m * (m + 1) / 2 * keys * keys;
  return states * (m * (m + 1) / 2 * 8.0 + m * 8.0 + m * 4.0) +
         (pooled <= kMaxPooledEntries ? pooled * 8.0 : 0.0);
}

// See pooled_gram.hpp. Pays off while a trial's dᵀWd (pairs·K² terms) is
// cheaper than a pass over the states (pairs·R terms).
bool ExpertProblem::pooled_pays_off() const {
  const std::size_t K = keys_per_expert(), R = states();
  return static_cast<double>(packed_size()) * static_cast<double>(K) * static_cast<double>(K) <=
             kMaxPooledEntries &&
         K * K <= 4 * R;
}

void ExpertProblem::start_pooled_gram() {
  const std::size_t K = keys_per_expert();
  pooled_.class_mean.assign(static_cast<std::size_t>(spec_.m) * K, 0.0);
  pooled_.w.assign(packed_size() * K * K, 0.0);
}

// The per-key sums in parts of about equal work (the class means count as
// one pair per expert), each summed over the states in order by its own
// drain: every sum keeps the bits of one serial pass, but up to three
// workers pool at once. At d = 20 a single drain was a ~20 ms chain that 16
// cores could not shorten (bench/expert_perf_notes.md, items for many threads).
std::vector<ExpertProblem::PooledPart> ExpertProblem::pooled_parts() const {
  constexpr std::size_t kParts = 3;
  const std::size_t pairs = packed_size(), m = static_cast<std::size_t>(spec_.m);
  const std::size_t parts = std::min(kParts, pairs);
  const std::size_t work = m + pairs;  // the class means' m, then one per pair
  std::vector<PooledPart> out(parts);
  std::size_t first = 0;
  for (std::size_t i = 0; i < parts; ++i) {
    // Part i ends where the work done reaches (i + 1) / parts of the total,
    // holding at least one pair and leaving one for each later part.
    const std::size_t end_work = (i + 1 == parts) ? work : (work * (i + 1)) / parts;
    const std::size_t end = std::clamp(end_work > m ? end_work - m : 0, first + 1, pairs - (parts - 1 - i));
    out[i].class_means = i == 0;
    out[i].first_pair = first;
    first = end;
  }
  // Each pair's experts, in packed order (pooled_gram.hpp), into its part.
  std::size_t part = 0, p = 0;
  for (int a = 0; a < spec_.m; ++a)
    for (int b = a; b < spec_.m; ++b, ++p) {
      if (part + 1 < parts && p == out[part + 1].first_pair) ++part;
      out[part].row.push_back(a);
      out[part].column.push_back(b);
    }
  return out;
}

// Part `part` of the class means and W over states [begin, end). Called for
// consecutive ranges in state order, so every sum has the bits of one pass over r.
void ExpertProblem::pool_states(std::size_t begin, std::size_t end, const PooledPart& part) {
  const int m = spec_.m;
  const std::size_t K = keys_per_expert();
  PooledGram& g = pooled_;
  const double G = static_cast<double>(class_size());
  const std::size_t pairs = part.row.size();
  const int* row = part.row.data();
  const int* column = part.column.data();
  for (std::size_t r = begin; r < end; ++r) {
    const std::uint32_t* key = key_row(r);
    if (part.class_means) {
      const double* delta = clean_feedback_row(r);
      for (int j = 0; j < m; ++j) g.class_mean[static_cast<std::size_t>(j) * K + key[j]] += delta[j] / G;
    }
    const double* q = gram_packed(r);
    for (std::size_t i = 0; i < pairs; ++i) {
      const std::size_t p = part.first_pair + i;
      g.w[(p * K + key[row[i]]) * K + key[column[i]]] += q[p];
    }
  }
}

// The leak's terms (they need the finished class means), one serial pass.
void ExpertProblem::finish_pooled_gram() {
  const int m = spec_.m;
  const auto ms = static_cast<std::size_t>(m);
  const std::size_t K = keys_per_expert(), R = states();
  PooledGram& g = pooled_;
  g.has_leak_bias = spec_.leak > 0;
  if (g.has_leak_bias) {
    g.v.assign(ms * K, 0.0);
    std::vector<double> beta(ms);
    for (std::size_t r = 0; r < R; ++r) {
      for (int j = 0; j < m; ++j)
        beta[static_cast<std::size_t>(j)] =
            g.class_mean[static_cast<std::size_t>(j) * K + key(r, j)] - clean_feedback(r, j);
      for (int a = 0; a < m; ++a) {
        double sum = 0;
        for (int b = 0; b < m; ++b) sum += gram_entry(r, a, b) * beta[static_cast<std::size_t>(b)];
        g.v[static_cast<std::size_t>(a) * K + key(r, a)] += sum;
      }
      g.bias_total += quadratic_form(r, beta.data());
    }
  }
  g.available = true;
}

double ExpertProblem::gram_entry(std::size_t r, int a, int b) const {
  if (a > b) std::swap(a, b);
  const int m = spec_.m;
  return gram_packed(r)[a * m - a * (a - 1) / 2 + (b - a)];
}

ExpertProblem ExpertProblem::build(const ProblemSpec& spec, int threads, const WorkControl* control) {
  if (spec.d < 1 || spec.d > ExpertLimits::kMaxDim || spec.k < 1 || spec.k > spec.d || spec.m < 1)
    throw Error("expert problem: need 1 <= k <= d <= " + std::to_string(ExpertLimits::kMaxDim) +
                " and m >= 1 (got d = " + std::to_string(spec.d) + ", k = " + std::to_string(spec.k) +
                ", m = " + std::to_string(spec.m) + ")");
  ExpertProblem p;
  p.spec_ = spec;
  std::vector<std::vector<double>> beta;
  std::vector<double> b, gamma;
  p.draw_experts(beta, b, gamma);
  p.build_states(beta, b, gamma, threads, control);
  return p;
}

void ExpertProblem::draw_experts(std::vector<std::vector<double>>& beta, std::vector<double>& b,
                                 std::vector<double>& gamma) {
  const int d = spec_.d, k = spec_.k, m = spec_.m;
  const auto d64 = static_cast<std::uint64_t>(d), k64 = static_cast<std::uint64_t>(k);
  // Expert j's draws depend on (d, k, j) only, so adding experts keeps the others.
  coords_.resize(static_cast<std::size_t>(m));
  leak_coord_.assign(static_cast<std::size_t>(m), -1);
  alpha_.resize(static_cast<std::size_t>(m));
  a_.assign(static_cast<std::size_t>(m), {});
  beta.assign(static_cast<std::size_t>(m), {});
  b.assign(static_cast<std::size_t>(m), 0.0);
  gamma.assign(static_cast<std::size_t>(m), 0.0);
  for (int j = 0; j < m; ++j) {
    const auto js = static_cast<std::size_t>(j);
    const auto j64 = static_cast<std::uint64_t>(j);
    // C_j: k distinct coordinates, a partial Fisher–Yates shuffle.
    rng::StreamReader pick(spec_.seed, rng::make_stream(kCoordinateStream, {d64, k64, j64}));
    std::vector<int> all(static_cast<std::size_t>(d));
    std::iota(all.begin(), all.end(), 0);
    for (int i = 0; i < k; ++i) {
      const auto chosen = static_cast<std::size_t>(i) + pick.next_below(static_cast<std::uint32_t>(d - i));
      std::swap(all[static_cast<std::size_t>(i)], all[chosen]);
    }
    coords_[js].assign(all.begin(), all.begin() + k);
    // c_j: one coordinate outside C_j for the leak (beyond the paper).
    if (k < d) {
      rng::StreamReader leak(spec_.seed, rng::make_stream(kLeakStream, {d64, k64, j64}));
      leak_coord_[js] = all[static_cast<std::size_t>(k) + leak.next_below(static_cast<std::uint32_t>(d - k))];
    }
    // a_j, β_j ~ N(0, 1/k) per coordinate; b_j, γ_j ~ N(0, 0.1²); α_j ~ N(0, 1).
    rng::StreamReader draw(spec_.seed, rng::make_stream(kExpertStream, {d64, k64, j64}));
    const double coord_scale = 1.0 / std::sqrt(static_cast<double>(k));
    for (int i = 0; i < k; ++i) a_[js].push_back(coord_scale * draw.next_normal());
    for (int i = 0; i < k; ++i) beta[js].push_back(coord_scale * draw.next_normal());
    b[js] = 0.1 * draw.next_normal();
    gamma[js] = 0.1 * draw.next_normal();
    alpha_[js] = draw.next_normal();
  }
}

void ExpertProblem::build_states(const std::vector<std::vector<double>>& beta, const std::vector<double>& b,
                                 const std::vector<double>& gamma, int threads, const WorkControl* control) {
  const int d = spec_.d, m = spec_.m;
  const std::size_t R = states();
  const auto d64 = static_cast<std::uint64_t>(d), k64 = static_cast<std::uint64_t>(spec_.k);
  key_.resize(R * static_cast<std::size_t>(m));
  delta_.resize(R * static_cast<std::size_t>(m));
  gram_.resize(R * packed_size());
  // Q_r by the Bartlett decomposition of Z_rᵀZ_r (bartlett_gram.hpp): each
  // state's draws from its own blocks of the Wishart stream (and its own
  // overflow blocks), a pure function of (seed, r).
  const std::uint64_t wishart_stream = rng::make_stream(kWishartStream, {d64, k64, static_cast<std::uint64_t>(m)});
  const std::uint64_t overflow_stream =
      rng::make_stream(kWishartOverflowStream, {d64, k64, static_cast<std::uint64_t>(m)});
  const std::size_t chunks = (R + kStatesPerChunk - 1) / kStatesPerChunk;
  const BartlettGram gram(jacobian_row_factor(coords_, a_, d), d);
  const std::size_t pairs = packed_size();
  const StateTables tables(coords_, a_, beta, b, gamma);
  const bool pooled = pooled_pays_off();
  if (pooled) start_pooled_gram();
  const std::vector<PooledPart> parts = pooled ? pooled_parts() : std::vector<PooledPart>{};
  std::deque<OrderedDrain> drains;
  for (std::size_t i = 0; i < parts.size(); ++i) drains.emplace_back(chunks);
  parallel_for(
      chunks, threads,
      [&](std::size_t chunk) {
        BartlettGram::Workspace workspace(gram);
        const std::size_t begin = chunk * kStatesPerChunk, end = std::min(R, begin + kStatesPerChunk);
        set_keys_and_feedback(begin, end, tables);
        gram.states(spec_.seed, wishart_stream, overflow_stream, begin, end - begin, &gram_[begin * pairs], workspace);
        // The per-key sums, chunk after chunk in state order, while later chunks
        // build; a part another worker is pooling is left to it.
        for (std::size_t i = 0; i < parts.size(); ++i)
          drains[i].finished(chunk, [&](std::size_t c) {
            pool_states(c * kStatesPerChunk, std::min(R, (c + 1) * kStatesPerChunk), parts[i]);
          });
      },
      control);
  if (pooled) finish_pooled_gram();
}

}  // namespace sglab::expert
