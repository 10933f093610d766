#pragma once
// Allocator for the large tables sample mode reads at random (the
// per-configuration records, the feature-group id table; hundreds of MB and
// tens of MB): it asks for transparent huge pages on the 2 MB-aligned interior
// of every allocation, before the vector's first write touches it.
//
// Why: a sample's record is a random address in the table. With 4 KB pages
// (the default under THP "madvise", as on the bench VM) nearly every such read
// also misses the TLB and walks the page tables; 2 MB pages cover the tables
// with a few dozen TLB entries. It also takes 512 times fewer page faults on the
// first write (dag_exact_accumulator.hpp's new_table, same hint). A hint only:
// contents and results do not depend on it.
#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace sglab::dag::detail {

template <class T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <class U>
  HugePageAllocator(const HugePageAllocator<U>&) {}  // NOLINT: allocator conversion

  T* allocate(std::size_t count) {
    auto* p = static_cast<T*>(::operator new(count * sizeof(T)));
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    constexpr std::uintptr_t kHuge = std::uintptr_t{1} << 21;
    const auto begin = (reinterpret_cast<std::uintptr_t>(p) + kHuge - 1) & ~(kHuge - 1);
    const auto end = reinterpret_cast<std::uintptr_t>(p + count) & ~(kHuge - 1);
    if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#endif
    return p;
  }
  void deallocate(T* p, std::size_t) noexcept { ::operator delete(p); }
};

template <class T, class U>
bool operator==(const HugePageAllocator<T>&, const HugePageAllocator<U>&) { return true; }
template <class T, class U>
bool operator!=(const HugePageAllocator<T>&, const HugePageAllocator<U>&) { return false; }

/// A vector whose storage carries the huge-page hint.
template <class T>
using HugePageVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace sglab::dag::detail
