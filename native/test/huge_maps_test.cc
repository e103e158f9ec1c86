// map_huge / unmap_huge (xmr/big_vector.h): a freed block of up to 32 MiB comes back, pages and all,
// for the next block of its size; a larger one is unmapped (a new mapping reads as zeros).
#include <cstdint>
#include <cstring>

#include "check.h"
#include "xmr/big_vector.h"

XMR_TEST("huge maps: a freed block of up to 32 MiB is handed out again for its size, a larger one is unmapped") {
  // Sizes no other test's columns have, so the blocks kept by earlier tests do not answer.
  const size_t kept = size_t{30} << 20, large = size_t{34} << 20;
  auto* a = static_cast<uint8_t*>(xmr::map_huge(kept));
  std::memset(a, 7, kept);
  xmr::unmap_huge(a, kept);
  auto* other = static_cast<uint8_t*>(xmr::map_huge(kept - (size_t{2} << 20)));
  CHECK(other != a);  // another size does not take it
  auto* b = static_cast<uint8_t*>(xmr::map_huge(kept));
  CHECK(b == a);
  CHECK(b[0] == 7 && b[kept - 1] == 7);  // its pages were kept, not zeroed again
  xmr::unmap_huge(other, kept - (size_t{2} << 20));
  xmr::unmap_huge(b, kept);

  auto* c = static_cast<uint8_t*>(xmr::map_huge(large));
  std::memset(c, 7, large);
  xmr::unmap_huge(c, large);
  auto* d = static_cast<uint8_t*>(xmr::map_huge(large));
  CHECK(d[0] == 0 && d[large - 1] == 0);  // a new mapping, wherever it lies
  xmr::unmap_huge(d, large);
}
