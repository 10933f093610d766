#pragma once
// The words of one work item that reads a variable number of them (rejection
// samplers), when many items' words are best made together.
//
// Item i owns `budget` words of a shared stream: blocks [i·B, (i + 1)·B) with
// B = budget / 4, which the caller generates for many consecutive items in one
// wide Philox call (philox_words). An item that needs more continues in its
// own overflow stream, (seed, overflow_stream, blocks from i·2^20 on). Every
// word is a pure function of (seed, streams, i), so the draws do not depend
// on how items are grouped, on the thread count or on the order of work.

#include <cstddef>
#include <cstdint>
#include <optional>

#include "core/rng/counter_rng.hpp"

namespace sglab::rng {

class BudgetedWords {
 public:
  /// Blocks of the overflow stream reserved per item.
  static constexpr int kOverflowBlockShift = 20;

  /// words: the item's `budget` words (its blocks of the shared stream).
  BudgetedWords(const std::uint32_t* words, std::size_t budget, std::uint64_t seed,
                std::uint64_t overflow_stream, std::uint64_t item)
      : next_(words), end_(words + budget), budget_(budget), seed_(seed), overflow_stream_(overflow_stream),
        item_(item) {}

  /// The item's next word.
  std::uint32_t operator()() {
    if (next_ != end_) return *next_++;
    return spill();
  }
  /// Words read so far, overflow included.
  std::size_t used() const { return budget_ - static_cast<std::size_t>(end_ - next_) + spilled_; }

 private:
  __attribute__((noinline)) std::uint32_t spill() {
    if (!overflow_) overflow_.emplace(seed_, overflow_stream_, item_ << kOverflowBlockShift);
    ++spilled_;
    return overflow_->next_word();
  }

  const std::uint32_t* next_;
  const std::uint32_t* end_;
  std::size_t budget_;
  std::size_t spilled_ = 0;
  std::uint64_t seed_, overflow_stream_, item_;
  std::optional<StreamReader> overflow_;
};

}  // namespace sglab::rng
