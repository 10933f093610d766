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

}  // namespace sglab::dag
