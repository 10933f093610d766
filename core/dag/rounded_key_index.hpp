#pragma once
// Grouping of outcomes by a vector of real values up to a rounding tolerance
// (THEORY.md §7, note on exact conditioning: never by bitwise equality alone).
//
// Each value is rounded to the nearest multiple of `tolerance`; the rounded
// vector is reduced to a 128-bit fingerprint (two independent 64-bit mixes),
// and equal fingerprints are treated as equal keys. With at most ~2^22 groups a
// false merge has probability below 2^-80; storing fingerprints instead of the
// vectors keeps memory at 16 bytes per group, whatever the key length.
// Group ids are dense and assigned in order of first appearance.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace sglab::dag {

constexpr double kDefaultGroupingTolerance = 1e-9;

struct KeyFingerprint {
  std::uint64_t hi = 0;
  std::uint64_t lo = 0;
  bool operator==(const KeyFingerprint& o) const { return hi == o.hi && lo == o.lo; }
};

/// Incremental fingerprint of rounded values.
class KeyFingerprintBuilder {
 public:
  explicit KeyFingerprintBuilder(double tolerance) : inverse_tolerance_(1.0 / tolerance) {}
  void add(double value);
  KeyFingerprint finish() const { return key_; }
  void reset() { key_ = KeyFingerprint{}; count_ = 0; }

 private:
  double inverse_tolerance_;
  KeyFingerprint key_;
  std::uint64_t count_ = 0;
};

/// Fingerprint of one node's rounded value, salted by the node index. The key
/// of a *set* of nodes is the component-wise sum (mod 2^64) of its members'
/// fingerprints (add_fingerprint): order-free, and one addition per member
/// once the per-node fingerprints of an outcome are known.
KeyFingerprint node_value_fingerprint(int node, double value, double inverse_tolerance);

inline void add_fingerprint(KeyFingerprint& sum, const KeyFingerprint& term) {
  sum.hi += term.hi;
  sum.lo += term.lo;
}

/// node_value_fingerprint of `count` values of each node whose `keyed` flag is
/// set: x row i at x + i · x_stride, fingerprints row i at fingerprints + i · count
/// (rows of unkeyed nodes are left as they are).
void value_fingerprint_rows(const double* x, std::size_t x_stride, std::size_t nodes, const char* keyed,
                            std::size_t count, double inverse_tolerance, KeyFingerprint* fingerprints);

/// keys[k] = Σ over `members` of the fingerprint rows nodes[j] at k (rows of
/// `count`, as value_fingerprint_rows lays them out), k < count.
void sum_fingerprint_rows(const KeyFingerprint* fingerprints, std::size_t count, const int* nodes,
                          std::size_t members, KeyFingerprint* keys);

class RoundedKeyIndex {
 public:
  RoundedKeyIndex();
  /// The id of `key`, inserting it as a new group when unseen; `inserted` tells which.
  /// Inline: called once or twice per configuration and node by the exact analysis.
  std::uint32_t find_or_insert(const KeyFingerprint& key, bool& inserted) {
    std::size_t s = slot_of(key);
    while (slots_[s] != 0) {
      const std::uint32_t id = slots_[s] - 1;
      if (keys_[id] == key) {
        inserted = false;
        return id;
      }
      s = (s + 1) & mask_;
    }
    inserted = true;
    return insert(s, key);
  }
  /// The id of `key`, or kMissing when never inserted.
  std::uint32_t find(const KeyFingerprint& key) const;
  std::size_t size() const { return keys_.size(); }
  /// Hint: `key` will be looked up soon (brings its first slot into the cache).
  void prefetch(const KeyFingerprint& key) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[slot_of(key)]);
  }
  void clear();
  /// Frees the table; ids already handed out stay valid for the caller.
  void release();

  static constexpr std::uint32_t kMissing = 0xFFFFFFFFu;

 private:
  std::uint32_t insert(std::size_t empty_slot, const KeyFingerprint& key);
  void grow();
  std::size_t slot_of(const KeyFingerprint& key) const { return static_cast<std::size_t>(key.lo) & mask_; }
  std::vector<KeyFingerprint> keys_;
  std::vector<std::uint32_t> slots_;  // group id + 1; 0 = empty
  std::size_t mask_ = 0;
};

}  // namespace sglab::dag
