// std::vector for columns of hundreds of megabytes. Blocks of 2 MiB or more are mapped with mmap and
// marked for transparent huge pages (madvise MADV_HUGEPAGE: Linux's default THP mode is `madvise`),
// so a 300 MB column takes ~150 page faults instead of ~75,000 (each a few µs on a VM: the run
// reader spent more time in the kernel than parsing before this); freed blocks of up to 32 MiB are
// kept for the next block of the same size (map_huge); and elements are default-initialised, so
// resize() does not write zeros that are overwritten right after.
#pragma once
#include <cstddef>
#include <cstdlib>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#include "xmr/out_of_memory.h"

namespace xmr {

// `bytes` (a multiple of 2 MiB) of memory on transparent huge pages where the system has them: a
// block freed earlier with the same size if one is kept, else a new mapping (OutOfMemory when the
// system refuses). Freed blocks of up to 32 MiB are kept, up to 128 MiB in all, and handed out again
// with their pages still mapped: a run read in 16 MiB windows frees each window's columns as the next
// ones are allocated, and fresh pages cost the OS zeroing them (clear_page: 7% of reading a run in
// windows, before) and a fault each. Thread-safe.
void* map_huge(size_t bytes);
void unmap_huge(void* p, size_t bytes) noexcept;

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
    return static_cast<T*>(map_huge(mapped_bytes(n)));
  }
  void deallocate(T* p, size_t n) noexcept {
    if (n * sizeof(T) < kHuge) std::free(p);
    else unmap_huge(p, mapped_bytes(n));
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
