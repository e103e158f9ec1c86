// std::vector for columns of hundreds of megabytes. Blocks of 2 MiB or more are mapped with mmap and
// marked for transparent huge pages (madvise MADV_HUGEPAGE: Linux's default THP mode is `madvise`),
// so a 300 MB column takes ~150 page faults instead of ~75,000 (each a few µs on a VM: the run
// reader spent more time in the kernel than parsing before this); and elements are
// default-initialised, so resize() does not write zeros that are overwritten right after.
#pragma once
#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#include "xmr/out_of_memory.h"

namespace xmr {

template <typename T>
struct BigAlloc {
  using value_type = T;
  static constexpr size_t kHuge = size_t{2} << 20;

  BigAlloc() = default;
  template <typename U>
  BigAlloc(const BigAlloc<U>&) noexcept {}

  static size_t mapped_bytes(size_t n) { return (n * sizeof(T) + kHuge - 1) / kHuge * kHuge; }

  T* allocate(size_t n) {
    if (n * sizeof(T) < kHuge) {
      void* p = std::malloc(n * sizeof(T) > 0 ? n * sizeof(T) : 1);
      if (p == nullptr) throw OutOfMemory(n * sizeof(T));
      return static_cast<T*>(p);
    }
    void* p = mmap(nullptr, mapped_bytes(n), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw OutOfMemory(mapped_bytes(n));
#ifdef MADV_HUGEPAGE
    madvise(p, mapped_bytes(n), MADV_HUGEPAGE);  // a hint: without THP, ordinary pages
#endif
    return static_cast<T*>(p);
  }
  void deallocate(T* p, size_t n) noexcept {
    if (n * sizeof(T) < kHuge) std::free(p);
    else munmap(p, mapped_bytes(n));
  }
  // Default-initialise (no zeroing) on resize(n); other constructions as usual.
  template <typename U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) { ::new (static_cast<void*>(p)) U; }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) { ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...); }

  template <typename U>
  bool operator==(const BigAlloc<U>&) const noexcept { return true; }
  template <typename U>
  bool operator!=(const BigAlloc<U>&) const noexcept { return false; }
};

template <typename T>
using BigVector = std::vector<T, BigAlloc<T>>;

}  // namespace xmr
