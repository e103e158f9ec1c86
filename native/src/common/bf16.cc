#include "xmr/bf16.h"

#include <cmath>

#include "xmr/parallel.h"

namespace xmr {

Bf16Matrix make_bf16_matrix(const float* docs, size_t n, size_t dim, int threads) {
  constexpr size_t W = Bf16Matrix::kStripDocs;
  Bf16Matrix m;
  m.n = n;
  m.dim = dim;
  m.pairs = (dim + 1) / 2;
  m.strips = (n + W - 1) / W;
  m.packed = AlignedArray<uint32_t>(m.strips * m.pairs * W);  // zero-filled: padding stays 0
  m.inv_norms = AlignedArray<float>(n);
  const int tasks = static_cast<int>(std::max<size_t>(1, std::min<size_t>(static_cast<size_t>(threads), m.strips)));
  parallel_tasks(tasks, [&](int t) {
    size_t s0, s1;
    split_range(m.strips, tasks, t, 1, &s0, &s1);
    for (size_t j = s0 * W; j < std::min(n, s1 * W); ++j) {
      uint32_t* out = m.packed.data() + (j / W) * m.pairs * W + j % W;
      const float* row = docs + j * dim;
      double ss = 0;
      for (size_t p = 0; p < dim; ++p) {
        const uint16_t h = f32_to_bf16(row[p]);
        out[(p / 2) * W] |= static_cast<uint32_t>(h) << (16 * (p % 2));
        const double x = bf16_to_f32(h);
        ss += x * x;
      }
      m.inv_norms[j] = ss > 0 ? static_cast<float>(1.0 / std::sqrt(ss)) : 0.0f;
    }
  });
  return m;
}

void bf16_matrix_row(const Bf16Matrix& m, size_t j, float* out) {
  constexpr size_t W = Bf16Matrix::kStripDocs;
  const uint32_t* w = m.strip(j / W) + j % W;
  for (size_t p = 0; p < m.dim; ++p) out[p] = bf16_to_f32(static_cast<uint16_t>(w[(p / 2) * W] >> (16 * (p % 2))));
}

}  // namespace xmr
