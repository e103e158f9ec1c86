// AVX2+FMA vector loops of the dual encoder and trainer (see dual_encoder.h, detail::VecOps).
#include <immintrin.h>


#include "../common/simd.h"
#include "xmr/dual_encoder.h"
#include "xmr/target.h"

namespace xmr::detail {
namespace {

XMR_TARGET_BEGIN("avx2,fma")

float dot(const float* a, const float* b, size_t n) {
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
    s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
  }
  for (; i + 8 <= n; i += 8) s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
  float s = simd::hsum(_mm256_add_ps(s0, s1));
  for (; i < n; ++i) s += a[i] * b[i];
  return s;
}

void axpy(float a, const float* x, float* y, size_t n) {
  const __m256 va = _mm256_set1_ps(a);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, _mm256_fmadd_ps(va, _mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i)));
  for (; i < n; ++i) y[i] += a * x[i];
}

void adam(float* p, const float* g, float* m, float* v, size_t n, const AdamCoeffs& c) {
  const __m256 b1 = _mm256_set1_ps(c.beta1), b2 = _mm256_set1_ps(c.beta2);
  const __m256 nb1 = _mm256_set1_ps(1.0f - c.beta1), nb2 = _mm256_set1_ps(1.0f - c.beta2);
  const __m256 lr = _mm256_set1_ps(c.lr), ib1 = _mm256_set1_ps(c.inv_bc1), ib2 = _mm256_set1_ps(c.inv_bc2);
  const __m256 eps = _mm256_set1_ps(c.eps), decay = _mm256_set1_ps(c.decay);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256 gi = _mm256_loadu_ps(g + i);
    const __m256 mi = _mm256_add_ps(_mm256_mul_ps(b1, _mm256_loadu_ps(m + i)), _mm256_mul_ps(nb1, gi));
    const __m256 vi = _mm256_add_ps(_mm256_mul_ps(b2, _mm256_loadu_ps(v + i)), _mm256_mul_ps(_mm256_mul_ps(nb2, gi), gi));
    _mm256_storeu_ps(m + i, mi);
    _mm256_storeu_ps(v + i, vi);
    const __m256 den = _mm256_add_ps(_mm256_sqrt_ps(_mm256_mul_ps(vi, ib2)), eps);
    const __m256 upd = _mm256_div_ps(_mm256_mul_ps(lr, _mm256_mul_ps(mi, ib1)), den);
    _mm256_storeu_ps(p + i, _mm256_sub_ps(_mm256_mul_ps(decay, _mm256_loadu_ps(p + i)), upd));
  }
  // The last n % 8 coordinates: the scalar kernel's update, not a copy of it.
  if (i < n) vec_ops_scalar().adam(p + i, g + i, m + i, v + i, n - i, c);
}

XMR_TARGET_END

}  // namespace

const VecOps& vec_ops_avx2() {
  static const VecOps ops{dot, axpy, adam};
  return ops;
}

}  // namespace xmr::detail
