#include "core/dag/rounded_key_index.hpp"

#include <cmath>
#include <cstring>

#include "core/rng/counter_rng.hpp"

namespace sglab::dag {

void KeyFingerprintBuilder::add(double value) {
  double rounded = std::nearbyint(value * inverse_tolerance_);
  if (rounded == 0.0) rounded = 0.0;  // −0 and +0 are the same key
  std::uint64_t bits = 0;
  std::memcpy(&bits, &rounded, sizeof bits);
  ++count_;
  key_.hi = rng::mix64(key_.hi ^ rng::mix64(bits + 0x9E3779B97F4A7C15ULL * count_));
  key_.lo = rng::mix64(key_.lo + rng::mix64(bits ^ (0xC2B2AE3D27D4EB4FULL + count_)));
}

KeyFingerprint node_value_fingerprint(int node, double value, double inverse_tolerance) {
  double rounded = std::nearbyint(value * inverse_tolerance);
  if (rounded == 0.0) rounded = 0.0;  // −0 and +0 are the same key
  std::uint64_t bits = 0;
  std::memcpy(&bits, &rounded, sizeof bits);
  const auto salt = static_cast<std::uint64_t>(node);
  KeyFingerprint key;
  key.hi = rng::mix64(bits ^ rng::mix64(salt * 0x9E3779B97F4A7C15ULL + 0x243F6A8885A308D3ULL));
  key.lo = rng::mix64(rng::mix64(bits + 0x13198A2E03707344ULL) ^ (salt * 0xC2B2AE3D27D4EB4FULL));
  return key;
}

RoundedKeyIndex::RoundedKeyIndex() { clear(); }

void RoundedKeyIndex::clear() {
  keys_.clear();
  slots_.assign(64, 0);
  mask_ = slots_.size() - 1;
}

void RoundedKeyIndex::release() {
  std::vector<KeyFingerprint>().swap(keys_);
  std::vector<std::uint32_t>().swap(slots_);
  mask_ = 0;
}

void RoundedKeyIndex::grow() {
  std::vector<std::uint32_t> bigger(slots_.size() * 2, 0);
  mask_ = bigger.size() - 1;
  for (std::size_t id = 0; id < keys_.size(); ++id) {
    std::size_t s = slot_of(keys_[id]);
    while (bigger[s] != 0) s = (s + 1) & mask_;
    bigger[s] = static_cast<std::uint32_t>(id + 1);
  }
  slots_.swap(bigger);
}

std::uint32_t RoundedKeyIndex::insert(std::size_t empty_slot, const KeyFingerprint& key) {
  const auto id = static_cast<std::uint32_t>(keys_.size());
  keys_.push_back(key);
  slots_[empty_slot] = id + 1;
  if (keys_.size() * 2 > slots_.size()) grow();
  return id;
}

std::uint32_t RoundedKeyIndex::find(const KeyFingerprint& key) const {
  if (slots_.empty()) return kMissing;
  std::size_t s = slot_of(key);
  while (slots_[s] != 0) {
    const std::uint32_t id = slots_[s] - 1;
    if (keys_[id] == key) return id;
    s = (s + 1) & mask_;
  }
  return kMissing;
}

void value_fingerprint_rows(const double* x, std::size_t x_stride, std::size_t nodes, const char* keyed,
                            std::size_t count, double inverse_tolerance, KeyFingerprint* fingerprints) {
  if (count == 0) return;
  // Equal values (==: ±0 share a key) have equal fingerprints: a row's value
  // often repeats from one configuration to the next (in the exact analysis,
  // input i flips every 2^i configurations; nodes fed only by high inputs are
  // constant over a chunk).
  for (std::size_t node = 0; node < nodes; ++node) {
    if (!keyed[node]) continue;
    const double* xr = x + node * x_stride;
    KeyFingerprint* out = fingerprints + node * count;
    double last = xr[0];
    KeyFingerprint key = node_value_fingerprint(static_cast<int>(node), last, inverse_tolerance);
    out[0] = key;
    for (std::size_t k = 1; k < count; ++k) {
      if (!(xr[k] == last)) {
        last = xr[k];
        key = node_value_fingerprint(static_cast<int>(node), last, inverse_tolerance);
      }
      out[k] = key;
    }
  }
}

void sum_fingerprint_rows(const KeyFingerprint* fingerprints, std::size_t count, const int* nodes,
                          std::size_t members, KeyFingerprint* keys) {
  // Eight keys at a time, their sums in registers across the members (one load
  // and one add per member and key, no read-modify-write of the keys per member).
  constexpr std::size_t kLanes = 8;
  std::size_t k = 0;
  for (; k + kLanes <= count; k += kLanes) {
    KeyFingerprint sum[kLanes];
    for (std::size_t j = 0; j < members; ++j) {
      const KeyFingerprint* row = fingerprints + static_cast<std::size_t>(nodes[j]) * count + k;
      for (std::size_t l = 0; l < kLanes; ++l) add_fingerprint(sum[l], row[l]);
    }
    for (std::size_t l = 0; l < kLanes; ++l) keys[k + l] = sum[l];
  }
  for (; k < count; ++k) {
    KeyFingerprint sum;
    for (std::size_t j = 0; j < members; ++j)
      add_fingerprint(sum, fingerprints[static_cast<std::size_t>(nodes[j]) * count + k]);
    keys[k] = sum;
  }
}

}  // namespace sglab::dag
