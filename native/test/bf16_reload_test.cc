// A reused bf16 buffer (make_bf16_buffer + reload_bf16_matrix_from_bits): every reload packs
// exactly what a fresh make_bf16_matrix_from_bits packs — words, padding and norms — whatever a
// longer earlier reload left in the storage; a reload past the capacity is refused.
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "check.h"
#include "xmr/bf16.h"

namespace {

// The words of the strips in use and the norms of the documents in use.
void expect_same(const xmr::Bf16Matrix& got, const xmr::Bf16Matrix& want, const std::string& what) {
  CHECK_MSG(got.n == want.n && got.strips == want.strips && got.pairs == want.pairs, what + ": shape");
  CHECK_MSG(got.norms, what + ": norms computed");
  const size_t words = want.strips * want.pairs * xmr::Bf16Matrix::kStripDocs;
  size_t bad = 0;
  for (size_t i = 0; i < words; ++i) bad += got.packed[i] != want.packed[i];
  for (size_t j = 0; j < want.n; ++j) bad += got.inv_norms[j] != want.inv_norms[j];
  CHECK_MSG(bad == 0, what + ": " + std::to_string(bad) + " words or norms differ from a fresh matrix");
}

}  // namespace

XMR_TEST("a reloaded bf16 buffer equals a fresh matrix of the same bits, shorter reloads included") {
  for (size_t dim : {7, 24}) {
    const size_t capacity = 100;
    std::mt19937 rng(5);
    std::vector<uint16_t> bits(capacity * dim);
    for (auto& b : bits) b = xmr::f32_to_bf16(std::normal_distribution<float>()(rng));
    xmr::Bf16Matrix buffer = xmr::make_bf16_buffer(capacity, dim);
    CHECK(buffer.n == 0 && buffer.capacity() == capacity);
    // Longest first: the 37- and 5-row reloads land on storage full of the earlier rows.
    for (size_t n : {100, 37, 5, 64}) {
      const uint16_t* src = bits.data() + (capacity - n) * dim;
      xmr::reload_bf16_matrix_from_bits(buffer, src, n, 2, true);
      expect_same(buffer, xmr::make_bf16_matrix_from_bits(src, n, dim, 1), "dim " + std::to_string(dim) + ", n " + std::to_string(n));
    }
    xmr::reload_bf16_matrix_from_bits(buffer, bits.data(), 10, 1, false);
    CHECK(buffer.n == 10 && !buffer.norms);
    bool refused = false;
    try {
      xmr::reload_bf16_matrix_from_bits(buffer, bits.data(), capacity + 1, 1, true);
    } catch (const std::invalid_argument& e) {
      refused = std::string(e.what()) == "101 documents exceed the bf16 buffer's capacity of 100";
    }
    CHECK(refused);
  }
}
