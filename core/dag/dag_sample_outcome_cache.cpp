#include "core/dag/dag_sample_outcome_cache.hpp"

#include <algorithm>

#include "core/dag/dag_exact_accumulator.hpp"

namespace sglab::dag::detail {

namespace {
// Records above this size are not built (pass 1 then runs per sample). The
// 32-node bench graph takes 252 MB (2^18 configurations x 120 values).
constexpr double kCacheBudgetBytes = 512.0e6;
constexpr std::size_t kMaxNoisyTerminals = 22;  // the exact analysis's limit on sign bits
}  // namespace

OutcomeCache::OutcomeCache(const DagNetwork& net, std::vector<unsigned char> needed_x) {
  n_ = static_cast<std::size_t>(net.node_count);
  first_ = static_cast<std::size_t>(net.input_count);
  terminals_ = net.terminals.size();
  const std::size_t noisy = std::min(net.noisy_terminals.size(), kMaxNoisyTerminals + 1);
  patterns_ = std::size_t{1} << noisy;
  pattern_mask_ = static_cast<std::uint32_t>(patterns_ - 1);
  for (std::size_t i = first_; i < n_; ++i) {
    const int node = static_cast<int>(i);
    // SampleBlockKernels' λ_i = 1 case: a_i = 0, mix = 0 · 0 + b_i with b_i = δ_i Σ_c w_ci p_c.
    if (!net.is_terminal(node) && net.lambda[i] == 1.0)
      config_mix_nodes_.push_back(i);
    else
      pattern_mix_nodes_.push_back(i);
  }
  for (std::size_t i = 0; i < n_ && i < needed_x.size(); ++i)
    if (needed_x[i]) x_nodes_.push_back(i);
  delta_at_ = config_mix_nodes_.size() + x_nodes_.size();
  residual_at_ = delta_at_ + (n_ - first_);
  config_part_ = residual_at_ + terminals_;
  mix_slot_.assign(n_, MixSlot{false, 0});
  for (std::size_t k = 0; k < config_mix_nodes_.size(); ++k) mix_slot_[config_mix_nodes_[k]] = {false, k};
  for (std::size_t k = 0; k < pattern_mix_nodes_.size(); ++k)
    mix_slot_[pattern_mix_nodes_[k]] = {true, (n_ - first_) + k};
  pattern_part_ = (n_ - first_) + pattern_mix_nodes_.size();
  stride_ = config_part_ + patterns_ * pattern_part_;
}

bool OutcomeCache::worth_building(std::uint64_t configurations, std::uint64_t total_samples) const {
  if (patterns_ > (std::size_t{1} << kMaxNoisyTerminals)) return false;
  const double outcomes = static_cast<double>(configurations) * static_cast<double>(patterns_);
  const double bytes = static_cast<double>(configurations) * static_cast<double>(stride_) * sizeof(double);
  return static_cast<double>(total_samples) >= outcomes && bytes <= kCacheBudgetBytes;
}

void OutcomeCache::build(const ConfigurationTable& table, const SampleBlockKernels& kernels, int threads,
                         const WorkControl* control) {
  const std::uint64_t configs = table.configuration_count();
  values_.reset(exact_detail::new_table(static_cast<std::size_t>(configs) * stride_));
  constexpr std::uint64_t kChunk = 256;  // configurations per task
  WorkControl cancel_only;  // honour cancel while building; progress counts the trials only
  if (control != nullptr) cancel_only.cancel = control->cancel;
  parallel_for(static_cast<std::size_t>((configs + kChunk - 1) / kChunk), threads, [&](std::size_t chunk) {
    SampleBlock blk(n_, 0);
    ConfigurationTable::Scratch w(n_);
    const std::uint64_t begin = chunk * kChunk, end = std::min<std::uint64_t>(configs, begin + kChunk);
    const std::uint64_t outcomes = (end - begin) * patterns_;
    for (std::uint64_t o0 = 0; o0 < outcomes; o0 += kSampleBlock) {
      blk.count = static_cast<std::size_t>(std::min<std::uint64_t>(kSampleBlock, outcomes - o0));
      for (std::size_t s = 0; s < blk.count; ++s) {
        const std::uint64_t o = o0 + s;
        blk.config[s] = static_cast<std::uint32_t>(begin + o / patterns_);
        blk.signs[s] = static_cast<std::uint32_t>(o % patterns_);
      }
      // Pass 1 of dag_sample_fast.cpp on these outcomes.
      table.load_rows(blk, nullptr, 0, w, true);
      kernels.backprop(blk, false);
      kernels.synthetic(blk);
      store_block(blk);
    }
  }, &cancel_only);
}

// The block's rows into the records (distinct outcomes: distinct slots; the
// configuration part is written once per sign pattern, the same bits each time).
void OutcomeCache::store_block(const SampleBlock& blk) const {
  for (std::size_t s = 0; s < blk.count; ++s) {
    double* config = values_.get() + std::size_t{blk.config[s]} * stride_;
    double* pattern = config + config_part_ + std::size_t{blk.signs[s]} * pattern_part_;
    std::size_t k = 0;
    for (const std::size_t i : config_mix_nodes_) config[k++] = block_row(blk.mixed, i)[s];
    for (const std::size_t i : x_nodes_) config[k++] = block_row(blk.x, i)[s];
    for (std::size_t i = first_; i < n_; ++i) config[k++] = block_row(blk.delta, i)[s];
    for (std::size_t t = 0; t < terminals_; ++t) config[k++] = block_row(blk.residual, t)[s];
    k = 0;
    for (std::size_t i = first_; i < n_; ++i) pattern[k++] = block_row(blk.m, i)[s];
    for (const std::size_t i : pattern_mix_nodes_) pattern[k++] = block_row(blk.mixed, i)[s];
  }
}

void OutcomeCache::load_rows(SampleBlock& blk, const std::vector<std::size_t>& m_nodes,
                             const std::vector<std::size_t>& mix_nodes, const std::uint64_t* next_keys,
                             std::size_t next_count) const {
  const std::size_t count = blk.count;
  const double* config[kSampleBlock];
  const double* pattern[kSampleBlock];
  for (std::size_t s = 0; s < count; ++s) {
    config[s] = config_record(blk.config[s]);
    pattern[s] = pattern_record(blk.config[s], blk.signs[s]);
  }
  for (std::size_t s = 0; s < next_count; ++s) {
    const auto c = static_cast<std::uint32_t>(next_keys[s] >> 32), signs = static_cast<std::uint32_t>(next_keys[s]);
    prefetch(config_record(c), delta_at_);  // pass 1 reads the mix and x of the configuration part
    prefetch(pattern_record(c, signs), pattern_part_);
  }
  copy_x_rows(blk, config);
  for (const std::size_t i : m_nodes) {
    double* row = block_row(blk.m, i);
    const std::size_t at = m_index(i);
    for (std::size_t s = 0; s < count; ++s) row[s] = pattern[s][at];
  }
  for (const std::size_t i : mix_nodes) {
    double* row = block_row(blk.mixed, i);
    const MixSlot slot = mix_slot_[i];
    const double* const* record = slot.in_pattern ? pattern : config;
    for (std::size_t s = 0; s < count; ++s) row[s] = record[s][slot.index];
  }
}

void OutcomeCache::load_configuration_rows(SampleBlock& blk, const std::uint64_t* next_keys,
                                           std::size_t next_count) const {
  const std::size_t count = blk.count;
  const double* config[kSampleBlock];
  for (std::size_t s = 0; s < count; ++s) config[s] = config_record(blk.config[s]);
  for (std::size_t s = 0; s < next_count; ++s)
    prefetch(config_record(static_cast<std::uint32_t>(next_keys[s] >> 32)) + config_mix_nodes_.size(),
             config_part_ - config_mix_nodes_.size());
  copy_x_rows(blk, config);
  for (std::size_t i = first_; i < n_; ++i) {
    double* row = block_row(blk.delta, i);
    const std::size_t at = delta_at_ + (i - first_);
    for (std::size_t s = 0; s < count; ++s) row[s] = config[s][at];
  }
  for (std::size_t t = 0; t < terminals_; ++t) {
    double* row = block_row(blk.residual, t);
    const std::size_t at = residual_at_ + t;
    for (std::size_t s = 0; s < count; ++s) row[s] = config[s][at];
  }
}

void OutcomeCache::copy_x_rows(SampleBlock& blk, const double* const* config) const {
  for (std::size_t k = 0; k < x_nodes_.size(); ++k) {
    double* row = block_row(blk.x, x_nodes_[k]);
    const std::size_t at = config_mix_nodes_.size() + k;
    for (std::size_t s = 0; s < blk.count; ++s) row[s] = config[s][at];
  }
}

// Every cache line of values [part, part + values) (records are not line-aligned).
void OutcomeCache::prefetch(const double* part, std::size_t values) const {
  if (values == 0) return;
  const auto* p = reinterpret_cast<const char*>(part);
  for (std::size_t off = 0; off < values * sizeof(double); off += 64) __builtin_prefetch(p + off);
  __builtin_prefetch(p + values * sizeof(double) - 1);
}

}  // namespace sglab::dag::detail
