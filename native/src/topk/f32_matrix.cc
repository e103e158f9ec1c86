// F32Matrix (xmr/topk.h): documents packed once, in the strip layout of one ISA path's f32 kernel.
#include <algorithm>
#include <stdexcept>

#include "score_kernels.h"
#include "xmr/parallel.h"
#include "xmr/topk.h"

namespace xmr {

F32Matrix make_f32_matrix(const float* docs, size_t n, size_t dim, Isa isa, int threads) {
  if (dim == 0) throw std::invalid_argument("dim must be ≥ 1");
  if (threads < 1) throw std::invalid_argument("threads must be ≥ 1");
  require_isa(isa);
  const detail::F32Kernel& kern = detail::f32_kernel(isa);
  F32Matrix m;
  m.n = n;
  m.dim = dim;
  m.nr = kern.nr;
  const size_t strips = (n + kern.nr - 1) / kern.nr;
  m.packed = AlignedArray<float>(strips * dim * kern.nr);
  m.inv_norms = AlignedArray<float>(n);
  const int tasks = static_cast<int>(std::max<size_t>(1, std::min<size_t>(static_cast<size_t>(threads), strips)));
  parallel_tasks(tasks, [&](int t) {
    size_t s0, s1;
    split_range(strips, tasks, t, 1, &s0, &s1);
    const size_t j0 = s0 * kern.nr, j1 = std::min(n, s1 * kern.nr);
    if (j1 <= j0) return;
    kern.pack(docs + j0 * dim, dim, j1 - j0, s1 - s0, m.packed.data() + j0 * dim);
    for (size_t j = j0; j < j1; ++j) m.inv_norms[j] = detail::inverse_norm(docs + j * dim, dim);
  });
  return m;
}

void f32_matrix_row(const F32Matrix& m, size_t j, float* out) {
  const float* src = m.packed.data() + (j / m.nr) * m.dim * m.nr + j % m.nr;
  for (size_t p = 0; p < m.dim; ++p) out[p] = src[p * m.nr];
}

}  // namespace xmr
