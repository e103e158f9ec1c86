#include "xmr/bf16.h"

#include <cmath>
#include <stdexcept>
#include <string>

#include "xmr/parallel.h"

namespace xmr {

namespace {

// Packs n ≤ m.capacity() rows whose coordinate p of row j is bits_of(j, p) (a bf16 bit pattern) into
// m's storage, `threads` sharing the strips; the norms (when asked) are those of the stored values.
// A strip's words are written in order (pair by pair, its 32 rows each), so the writes stream; the
// strip's rows (32 × dim values) stay in L1 while they are read pair by pair. The last strip's
// padding words are written as zeros: a reused buffer holds an earlier, longer matrix's rows there.
template <class BitsOf>
void pack_bf16(Bf16Matrix& m, size_t n, int threads, bool norms, BitsOf bits_of) {
  constexpr size_t W = Bf16Matrix::kStripDocs;
  const size_t dim = m.dim;
  m.n = n;
  m.strips = (n + W - 1) / W;
  m.norms = norms;
  const int tasks = static_cast<int>(std::max<size_t>(1, std::min<size_t>(static_cast<size_t>(threads), m.strips)));
  parallel_tasks(tasks, [&](int t) {
    size_t s0, s1;
    split_range(m.strips, tasks, t, 1, &s0, &s1);
    for (size_t s = s0; s < s1; ++s) {
      const size_t j0 = s * W, rows = std::min(W, n - j0);
      uint32_t* out = m.packed.data() + s * m.pairs * W;
      for (size_t p = 0; p < dim; p += 2, out += W) {
        for (size_t r = 0; r < rows; ++r)
          out[r] = bits_of(j0 + r, p) | (p + 1 < dim ? static_cast<uint32_t>(bits_of(j0 + r, p + 1)) << 16 : 0u);
        for (size_t r = rows; r < W; ++r) out[r] = 0;
      }
      if (!norms) continue;
      // Four partial sums, so the adds do not wait on one another (one chain of dim dependent adds
      // was most of the packing time). A bf16 square has at most 16 significant bits, so in double
      // the sums are exact — and independent of their order — unless the squares span more than
      // ~2^30 in magnitude.
      for (size_t r = 0; r < rows; ++r) {
        double ss[4] = {0, 0, 0, 0};
        for (size_t p = 0; p < dim; ++p) {
          const double x = bf16_to_f32(bits_of(j0 + r, p));
          ss[p % 4] += x * x;
        }
        const double sum = (ss[0] + ss[1]) + (ss[2] + ss[3]);
        m.inv_norms[j0 + r] = sum > 0 ? static_cast<float>(1.0 / std::sqrt(sum)) : 0.0f;
      }
    }
  });
}

}  // namespace

Bf16Matrix make_bf16_buffer(size_t capacity, size_t dim) {
  constexpr size_t W = Bf16Matrix::kStripDocs;
  Bf16Matrix m;
  m.dim = dim;
  m.pairs = (dim + 1) / 2;
  m.packed = AlignedArray<uint32_t>((capacity + W - 1) / W * m.pairs * W);
  m.inv_norms = AlignedArray<float>(capacity);
  return m;
}

Bf16Matrix make_bf16_matrix(const float* docs, size_t n, size_t dim, int threads) {
  Bf16Matrix m = make_bf16_buffer(n, dim);
  pack_bf16(m, n, threads, true, [=](size_t j, size_t p) { return f32_to_bf16(docs[j * dim + p]); });
  return m;
}

Bf16Matrix make_bf16_matrix_from_bits(const uint16_t* bits, size_t n, size_t dim, int threads) {
  Bf16Matrix m = make_bf16_buffer(n, dim);
  reload_bf16_matrix_from_bits(m, bits, n, threads, true);
  return m;
}

void reload_bf16_matrix_from_bits(Bf16Matrix& m, const uint16_t* bits, size_t n, int threads, bool norms) {
  if (n > m.capacity())
    throw std::invalid_argument(std::to_string(n) + " documents exceed the bf16 buffer's capacity of " +
                                std::to_string(m.capacity()));
  const size_t dim = m.dim;
  pack_bf16(m, n, threads, norms, [=](size_t j, size_t p) { return bits[j * dim + p]; });
}

void bf16_matrix_row(const Bf16Matrix& m, size_t j, float* out) {
  constexpr size_t W = Bf16Matrix::kStripDocs;
  const uint32_t* w = m.strip(j / W) + j % W;
  for (size_t p = 0; p < m.dim; ++p) out[p] = bf16_to_f32(static_cast<uint16_t>(w[(p / 2) * W] >> (16 * (p % 2))));
}

}  // namespace xmr
