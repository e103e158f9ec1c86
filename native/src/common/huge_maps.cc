// map_huge / unmap_huge (xmr/big_vector.h): whole 2 MiB pages, and a small cache of freed blocks.
#include <sys/mman.h>

#include <mutex>

#include "xmr/big_vector.h"

namespace xmr {
namespace {

constexpr size_t kMostKeptBlock = size_t{32} << 20;  // larger blocks (whole-run columns) are unmapped
constexpr size_t kMostKept = size_t{128} << 20;     // bytes kept in all
constexpr int kSlots = 32;

struct Kept {
  void* p = nullptr;
  size_t bytes = 0;
};

std::mutex kept_mutex;
Kept kept[kSlots];  // fixed: unmap_huge must not allocate
size_t kept_bytes = 0;

}  // namespace

void* map_huge(size_t bytes) {
  {
    std::lock_guard<std::mutex> lock(kept_mutex);
    for (Kept& k : kept) {
      if (k.p != nullptr && k.bytes == bytes) {
        void* p = k.p;
        k = Kept{};
        kept_bytes -= bytes;
        return p;
      }
    }
  }
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw OutOfMemory(bytes);
#ifdef MADV_HUGEPAGE
  madvise(p, bytes, MADV_HUGEPAGE);  // a hint: without THP, ordinary pages
#endif
  return p;
}

void unmap_huge(void* p, size_t bytes) noexcept {
  if (bytes <= kMostKeptBlock) {
    std::lock_guard<std::mutex> lock(kept_mutex);
    if (kept_bytes + bytes <= kMostKept) {
      for (Kept& k : kept) {
        if (k.p == nullptr) {
          k = Kept{p, bytes};
          kept_bytes += bytes;
          return;
        }
      }
    }
  }
  munmap(p, bytes);
}

}  // namespace xmr
