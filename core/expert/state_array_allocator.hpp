#pragma once
// Allocator for the problem instance's per-state arrays (Q_r, keys, δ: up to
// 3 GB at d = 24), which the build fills entirely in its parallel chunks.
//
// - No value-initialisation: resize() leaves the doubles and keys unset, so
//   memory is first touched (faulted in and zeroed by the kernel) inside the
//   parallel chunks that write it, not in one serial memset before them.
//   At d = 20 that memset and its page faults took a quarter of the build.
// - Large arrays (≥ 4 MiB) are 2 MiB-aligned and marked MADV_HUGEPAGE on
//   Linux: 512 times fewer page faults where transparent huge pages are on
//   ("madvise" or "always"); a no-op elsewhere.
// Only for element types that need no construction (doubles, integers).

#include <cstddef>
#include <cstdlib>
#include <new>
#include <type_traits>
#include <utility>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace sglab::expert {

template <typename T>
class StateArrayAllocator {
  static_assert(std::is_trivially_default_constructible_v<T> && std::is_trivially_destructible_v<T>,
                "per-state arrays hold plain numbers");

 public:
  using value_type = T;

  StateArrayAllocator() = default;
  template <typename U>
  StateArrayAllocator(const StateArrayAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kHugeThreshold) return static_cast<T*>(::operator new(bytes));
    const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    void* p = std::aligned_alloc(kHugePage, rounded);
    if (p == nullptr) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    ::madvise(p, rounded, MADV_HUGEPAGE);  // advice only: failure changes nothing but speed
#endif
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t n) noexcept {
    if (n * sizeof(T) < kHugeThreshold)
      ::operator delete(p);
    else
      std::free(p);
  }

  /// Default-initialisation: no zeroing on resize().
  template <typename U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }

  template <typename U>
  bool operator==(const StateArrayAllocator<U>&) const noexcept {
    return true;
  }
  template <typename U>
  bool operator!=(const StateArrayAllocator<U>&) const noexcept {
    return false;
  }

 private:
  static constexpr std::size_t kHugePage = std::size_t{2} << 20;
  static constexpr std::size_t kHugeThreshold = std::size_t{4} << 20;
};

}  // namespace sglab::expert
