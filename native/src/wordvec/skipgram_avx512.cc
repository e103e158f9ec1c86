// AVX-512 skip-gram step: 16 floats per step, the dot product in two accumulators, a masked last step
// for dim % 16 elements (every element takes the same FMA path).
#include <immintrin.h>

#include <cstdint>

#include "../common/simd.h"
#include "skipgram_kernels.h"
#include "xmr/target.h"

namespace xmr::detail {
namespace {

XMR_TARGET_BEGIN("avx512f,avx512bw,avx512vl,avx512dq,fma")

inline float dot(const float* a, const float* b, size_t dim, __mmask16 tail) {
  __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
  size_t j = 0;
  for (; j + 32 <= dim; j += 32) {
    s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + j), _mm512_loadu_ps(b + j), s0);
    s1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + j + 16), _mm512_loadu_ps(b + j + 16), s1);
  }
  if (j + 16 <= dim) {
    s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + j), _mm512_loadu_ps(b + j), s0);
    j += 16;
  }
  if (j < dim) s1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(tail, a + j), _mm512_maskz_loadu_ps(tail, b + j), s1);
  return simd::hsum(_mm512_add_ps(s0, s1));
}

void step(float* v, float* const* targets, size_t k, size_t dim, float alpha, float* work, double* loss) {
  const __mmask16 tail = simd::tail_mask16(dim % 16);
  const size_t full = dim - dim % 16;
  for (size_t j = 0; j < dim; ++j) work[j] = 0.0f;
  for (size_t t = 0; t < k; ++t) {
    float* u = targets[t];
    const float f = dot(v, u, dim, tail);
    if (loss != nullptr) *loss += skipgram_target_loss(f, t == 0);
    const __m512 g = _mm512_set1_ps(alpha * ((t == 0 ? 1.0f : 0.0f) - skipgram_sigmoid(f)));
    size_t j = 0;
    for (; j < full; j += 16) {
      const __m512 uj = _mm512_loadu_ps(u + j);
      _mm512_storeu_ps(work + j, _mm512_fmadd_ps(g, uj, _mm512_loadu_ps(work + j)));
      _mm512_storeu_ps(u + j, _mm512_fmadd_ps(g, _mm512_loadu_ps(v + j), uj));
    }
    if (j < dim) {
      const __m512 uj = _mm512_maskz_loadu_ps(tail, u + j);
      _mm512_mask_storeu_ps(work + j, tail, _mm512_fmadd_ps(g, uj, _mm512_maskz_loadu_ps(tail, work + j)));
      _mm512_mask_storeu_ps(u + j, tail, _mm512_fmadd_ps(g, _mm512_maskz_loadu_ps(tail, v + j), uj));
    }
  }
  size_t j = 0;
  for (; j < full; j += 16) _mm512_storeu_ps(v + j, _mm512_add_ps(_mm512_loadu_ps(v + j), _mm512_loadu_ps(work + j)));
  if (j < dim)
    _mm512_mask_storeu_ps(v + j, tail, _mm512_add_ps(_mm512_maskz_loadu_ps(tail, v + j), _mm512_maskz_loadu_ps(tail, work + j)));
}

XMR_TARGET_END

const SkipgramKernel kKernel{step};

}  // namespace

const SkipgramKernel& skipgram_kernel_avx512() { return kKernel; }

}  // namespace xmr::detail
