#include "core/dag/dag_sample_feature_groups.hpp"

#include <algorithm>
#include <cstring>

#include "core/dag/dag_configuration_table.hpp"
#include "core/dag/dag_feature_bits.hpp"

namespace sglab::dag::detail {

namespace {

// Nodes whose features depend on more configuration bits are summed per sample.
constexpr int kMaxGroupBits = 16;
// At most this many feature groups over all nodes (per-thread sums of 40 bytes
// each, 40 MB): nodes beyond it, in node order, are summed per sample.
constexpr std::size_t kMaxGroupsTotal = std::size_t{1} << 20;
// The per-configuration table of group ids is not built above this size.
constexpr double kIdTableBudgetBytes = 256.0e6;

bool same_bits(double a, double b) {
  std::uint64_t ua = 0, ub = 0;
  std::memcpy(&ua, &a, sizeof a);
  std::memcpy(&ub, &b, sizeof b);
  return ua == ub;
}

}  // namespace

FeatureGroupPlan::FeatureGroupPlan(const DagNetwork& net, const FeatureLayout& layout)
    : net_(net), layout_(layout) {}

void FeatureGroupPlan::plan(const ConfigurationTable& table, const DagConfigurationValues* values,
                            std::uint64_t samples_per_trial) {
  if (values != nullptr && values->configurations != table.configuration_count()) values = nullptr;
  const std::vector<std::uint64_t> masks = dag_feature_bit_masks(net_);
  const auto n = static_cast<std::size_t>(net_.node_count);
  ConfigurationTable::Scratch w(n);
  for (auto i = static_cast<std::size_t>(net_.input_count); i < n; ++i) {
    const int bits = __builtin_popcountll(masks[i]);
    if (bits > kMaxGroupBits || (std::uint64_t{1} << bits) > samples_per_trial ||
        sum_count_ + (std::size_t{1} << bits) > kMaxGroupsTotal) {
      direct_nodes_.push_back(i);
      continue;
    }
    FeatureGroup fg;
    fg.node = i;
    fg.k = layout_.offsets[i + 1] - layout_.offsets[i];
    fg.count = std::size_t{1} << bits;
    fg.mask = masks[i];
    fg.first_sum = sum_count_;
    fg.first_feature = features_.size();
    sum_count_ += fg.count;
    features_.resize(features_.size() + fg.count * fg.k);
    for (std::size_t g = 0; g < fg.count; ++g) {
      const std::uint64_t config = deposit_bits(g, fg.mask);
      const ConfigurationTable::View v =
          values != nullptr ? table.compute_from(config, *values, w) : table.compute(config, w);
      const std::size_t begin = layout_.offsets[i];
      double* f = &features_[fg.first_feature + g * fg.k];
      for (std::size_t r = 0; r < fg.k; ++r) f[r] = v.x[layout_.feature[begin + r]];
    }
    grouped_.push_back(fg);
  }
  configuration_bytes_ = static_cast<std::size_t>((table.configuration_bits() + 7) / 8);
  configuration_bytes_ = std::max<std::size_t>(configuration_bytes_, 1);
  for (FeatureGroup& fg : grouped_) {
    fg.first_byte = fg.mask == 0 ? 0 : static_cast<std::size_t>(__builtin_ctzll(fg.mask)) / 8;
    fg.end_byte = fg.mask == 0 ? 1 : static_cast<std::size_t>(63 - __builtin_clzll(fg.mask)) / 8 + 1;
  }
  static_assert(kMaxGroupBits <= 16, "group ids are stored in 16 bits");
  const double id_bytes = static_cast<double>(table.configuration_count()) * static_cast<double>(grouped_.size()) * 2.0;
  if (!grouped_.empty() && id_bytes <= kIdTableBudgetBytes)
    id_table_.assign(static_cast<std::size_t>(table.configuration_count()) * grouped_.size(), 0);
  lut_.assign(configuration_bytes_ * 256 * grouped_.size(), 0);
  for (std::size_t j = 0; j < grouped_.size(); ++j)
    for (std::size_t byte = 0; byte < configuration_bytes_; ++byte)
      for (std::uint64_t value = 0; value < 256; ++value)
        lut_[(j * configuration_bytes_ + byte) * 256 + value] =
            static_cast<std::uint32_t>(extract_bits(value << (8 * byte), grouped_[j].mask));
}

void FeatureGroupPlan::plan_direct_only() {
  id_table_.clear();
  grouped_.clear();
  features_.clear();
  lut_.clear();
  sum_count_ = 0;
  direct_nodes_.clear();
  for (auto i = static_cast<std::size_t>(net_.input_count); i < static_cast<std::size_t>(net_.node_count); ++i)
    direct_nodes_.push_back(i);
}

// PEXT by byte look-ups.
void FeatureGroupPlan::group_ids(std::uint64_t config, std::uint32_t* ids) const {
  for (std::size_t j = 0; j < grouped_.size(); ++j) {
    const std::uint32_t* lut = &lut_[j * configuration_bytes_ * 256];
    std::uint32_t id = 0;
    for (std::size_t byte = grouped_[j].first_byte; byte < grouped_[j].end_byte; ++byte)
      id |= lut[byte * 256 + ((config >> (8 * byte)) & 255)];
    ids[j] = id;
  }
}

bool FeatureGroupPlan::check(std::uint64_t config, const double* x) {
  thread_local std::vector<std::uint32_t> ids;
  ids.resize(grouped_.size() + 1);
  group_ids(config, ids.data());
  if (!id_table_.empty()) {
    std::uint16_t* row = &id_table_[static_cast<std::size_t>(config) * grouped_.size()];
    for (std::size_t j = 0; j < grouped_.size(); ++j) row[j] = static_cast<std::uint16_t>(ids[j]);
  }
  bool differ = false;
  for (std::size_t j = 0; j < grouped_.size(); ++j) {
    const FeatureGroup& fg = grouped_[j];
    const double* want = features(fg, ids[j]);
    const int* feature = &layout_.feature[layout_.offsets[fg.node]];
    for (std::size_t r = 0; r < fg.k; ++r) differ |= !same_bits(x[static_cast<std::size_t>(feature[r])], want[r]);
  }
  return !differ;
}

void FeatureGroupPlan::prefetch_ids(const std::uint64_t* next_keys, std::size_t next_count) const {
  if (id_table_.empty()) return;
  const std::size_t width = grouped_.size();
  for (std::size_t s = 0; s < next_count; ++s) {
    const auto* row = reinterpret_cast<const char*>(&id_table_[static_cast<std::size_t>(next_keys[s] >> 32) * width]);
    __builtin_prefetch(row);
    __builtin_prefetch(row + width * sizeof(std::uint16_t) - 1);  // a row may straddle two cache lines
  }
}

void FeatureGroupPlan::block_ids(SampleBlock& blk) const {
  if (!id_table_.empty()) {
    const std::size_t width = grouped_.size();
    std::uint32_t* ids = blk.ids.data();
    for (std::size_t s = 0; s < blk.count; ++s) {
      const std::uint16_t* row = &id_table_[std::size_t{blk.config[s]} * width];
      std::uint32_t* column = ids + s;
      std::size_t j = 0;
      for (; j + 4 <= width; j += 4, column += 4 * kSampleBlock) {  // four loads, then their stores
        const std::uint32_t a = row[j], b = row[j + 1], c = row[j + 2], d = row[j + 3];
        column[0] = a;
        column[kSampleBlock] = b;
        column[2 * kSampleBlock] = c;
        column[3 * kSampleBlock] = d;
      }
      for (; j < width; ++j, column += kSampleBlock) *column = row[j];
    }
    return;
  }
  for (std::size_t j = 0; j < grouped_.size(); ++j) {
    std::uint32_t* id = &blk.ids[j * kSampleBlock];
    const std::uint32_t* lut = &lut_[j * configuration_bytes_ * 256];
    const std::size_t first_byte = grouped_[j].first_byte;
    const std::uint32_t* low = lut + first_byte * 256;
    const auto low_shift = static_cast<unsigned>(8 * first_byte);
    for (std::size_t s = 0; s < blk.count; ++s) id[s] = low[(blk.config[s] >> low_shift) & 255u];
    for (std::size_t byte = first_byte + 1; byte < grouped_[j].end_byte; ++byte) {
      const std::uint32_t* part = lut + byte * 256;
      const auto shift = static_cast<unsigned>(8 * byte);
      for (std::size_t s = 0; s < blk.count; ++s) id[s] |= part[(blk.config[s] >> shift) & 255u];
    }
  }
}

}  // namespace sglab::dag::detail
