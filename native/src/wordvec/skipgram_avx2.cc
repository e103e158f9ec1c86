// AVX2+FMA skip-gram step: 8 floats per step, the dot product in two accumulators, masked loads and
// stores for the last dim % 8 elements (no scalar tail, so every element takes the same FMA path).
#include <immintrin.h>

#include <cstdint>

#include "../common/simd.h"
#include "skipgram_kernels.h"
#include "xmr/target.h"

namespace xmr::detail {
namespace {

XMR_TARGET_BEGIN("avx2,fma")

// Lanes [0, left) of an 8-lane mask (all when left ≥ 8).
inline __m256i tail_mask8(size_t left) {
  const __m256i idx = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  const int n = left >= 8 ? 8 : static_cast<int>(left);
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), idx);
}

inline float dot(const float* a, const float* b, size_t dim, __m256i tail) {
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
  size_t j = 0;
  for (; j + 16 <= dim; j += 16) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + j), _mm256_loadu_ps(b + j), s0);
    s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + j + 8), _mm256_loadu_ps(b + j + 8), s1);
  }
  if (j + 8 <= dim) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + j), _mm256_loadu_ps(b + j), s0);
    j += 8;
  }
  if (j < dim) s1 = _mm256_fmadd_ps(_mm256_maskload_ps(a + j, tail), _mm256_maskload_ps(b + j, tail), s1);
  return simd::hsum(_mm256_add_ps(s0, s1));
}

void step(float* v, float* const* targets, size_t k, size_t dim, float alpha, float* work, double* loss) {
  const __m256i tail = tail_mask8(dim % 8);
  const size_t full = dim - dim % 8;
  for (size_t j = 0; j < dim; ++j) work[j] = 0.0f;
  for (size_t t = 0; t < k; ++t) {
    float* u = targets[t];
    const float f = dot(v, u, dim, tail);
    if (loss != nullptr) *loss += skipgram_target_loss(f, t == 0);
    const __m256 g = _mm256_set1_ps(alpha * ((t == 0 ? 1.0f : 0.0f) - skipgram_sigmoid(f)));
    size_t j = 0;
    for (; j < full; j += 8) {
      const __m256 uj = _mm256_loadu_ps(u + j);
      _mm256_storeu_ps(work + j, _mm256_fmadd_ps(g, uj, _mm256_loadu_ps(work + j)));
      _mm256_storeu_ps(u + j, _mm256_fmadd_ps(g, _mm256_loadu_ps(v + j), uj));
    }
    if (j < dim) {
      const __m256 uj = _mm256_maskload_ps(u + j, tail);
      _mm256_maskstore_ps(work + j, tail, _mm256_fmadd_ps(g, uj, _mm256_maskload_ps(work + j, tail)));
      _mm256_maskstore_ps(u + j, tail, _mm256_fmadd_ps(g, _mm256_maskload_ps(v + j, tail), uj));
    }
  }
  size_t j = 0;
  for (; j < full; j += 8) _mm256_storeu_ps(v + j, _mm256_add_ps(_mm256_loadu_ps(v + j), _mm256_loadu_ps(work + j)));
  if (j < dim) _mm256_maskstore_ps(v + j, tail, _mm256_add_ps(_mm256_maskload_ps(v + j, tail), _mm256_maskload_ps(work + j, tail)));
}

XMR_TARGET_END

const SkipgramKernel kKernel{step};

}  // namespace

const SkipgramKernel& skipgram_kernel_avx2() { return kKernel; }

}  // namespace xmr::detail
