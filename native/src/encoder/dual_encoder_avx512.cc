// AVX-512 vector loops of the dual encoder and trainer (see dual_encoder.h, detail::VecOps):
// 16 lanes with masked tails, so any dimension runs without a scalar remainder loop.
#include <immintrin.h>

#include "../common/simd.h"
#include "xmr/dual_encoder.h"
#include "xmr/target.h"

namespace xmr::detail {
namespace {

XMR_TARGET_BEGIN("avx512f,avx512dq,avx512bw,avx512vl,fma")

using simd::tail_mask16;

float dot(const float* a, const float* b, size_t n) {
  __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), s0);
    s1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16), s1);
  }
  for (; i < n; i += 16) {
    const __mmask16 k = tail_mask16(n - i);
    s0 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(k, a + i), _mm512_maskz_loadu_ps(k, b + i), s0);
  }
  return simd::hsum(_mm512_add_ps(s0, s1));
}

void axpy(float a, const float* x, float* y, size_t n) {
  const __m512 va = _mm512_set1_ps(a);
  for (size_t i = 0; i < n; i += 16) {
    const __mmask16 k = tail_mask16(n - i);
    _mm512_mask_storeu_ps(y + i, k, _mm512_fmadd_ps(va, _mm512_maskz_loadu_ps(k, x + i), _mm512_maskz_loadu_ps(k, y + i)));
  }
}

void adam(float* p, const float* g, float* m, float* v, size_t n, const AdamCoeffs& c) {
  const __m512 b1 = _mm512_set1_ps(c.beta1), b2 = _mm512_set1_ps(c.beta2);
  const __m512 nb1 = _mm512_set1_ps(1.0f - c.beta1), nb2 = _mm512_set1_ps(1.0f - c.beta2);
  const __m512 lr = _mm512_set1_ps(c.lr), ib1 = _mm512_set1_ps(c.inv_bc1), ib2 = _mm512_set1_ps(c.inv_bc2);
  const __m512 eps = _mm512_set1_ps(c.eps), decay = _mm512_set1_ps(c.decay);
  for (size_t i = 0; i < n; i += 16) {
    const __mmask16 k = tail_mask16(n - i);
    const __m512 gi = _mm512_maskz_loadu_ps(k, g + i);
    const __m512 mi = _mm512_add_ps(_mm512_mul_ps(b1, _mm512_maskz_loadu_ps(k, m + i)), _mm512_mul_ps(nb1, gi));
    const __m512 vi = _mm512_add_ps(_mm512_mul_ps(b2, _mm512_maskz_loadu_ps(k, v + i)), _mm512_mul_ps(_mm512_mul_ps(nb2, gi), gi));
    _mm512_mask_storeu_ps(m + i, k, mi);
    _mm512_mask_storeu_ps(v + i, k, vi);
    const __m512 den = _mm512_add_ps(_mm512_maskz_sqrt_ps(k, _mm512_mul_ps(vi, ib2)), eps);
    const __m512 upd = _mm512_div_ps(_mm512_mul_ps(lr, _mm512_mul_ps(mi, ib1)), den);
    _mm512_mask_storeu_ps(p + i, k, _mm512_sub_ps(_mm512_mul_ps(decay, _mm512_maskz_loadu_ps(k, p + i)), upd));
  }
}

XMR_TARGET_END

}  // namespace

const VecOps& vec_ops_avx512() {
  static const VecOps ops{dot, axpy, adam};
  return ops;
}

}  // namespace xmr::detail
