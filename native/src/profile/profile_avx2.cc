// AVX2 probe loops: 12 ymm FMA chains (8 floats each); STREAM loops 8 floats per step.
#include <immintrin.h>

#include "../common/simd.h"
#include "profile_kernels.h"
#include "xmr/target.h"

namespace xmr::detail {
namespace {

XMR_TARGET_BEGIN("avx2,fma")

float fma_f32(uint64_t iterations) {
  __m256 acc[12];
  for (int k = 0; k < 12; ++k) acc[k] = _mm256_set1_ps(static_cast<float>(k) * 0.01f);
  const __m256 m = _mm256_set1_ps(0.999999f), c = _mm256_set1_ps(1e-6f);
  for (uint64_t i = 0; i < iterations; ++i) {
    for (int k = 0; k < 12; ++k) acc[k] = _mm256_fmadd_ps(acc[k], m, c);
  }
  __m256 s = acc[0];
  for (int k = 1; k < 12; ++k) s = _mm256_add_ps(s, acc[k]);
  return simd::hsum(s);
}

void copy(const float* a, float* c, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(c + i, _mm256_loadu_ps(a + i));
  for (; i < n; ++i) c[i] = a[i];
}

void triad(float* a, const float* b, const float* c, float q, size_t n) {
  const __m256 vq = _mm256_set1_ps(q);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(a + i, _mm256_fmadd_ps(vq, _mm256_loadu_ps(c + i), _mm256_loadu_ps(b + i)));
  for (; i < n; ++i) a[i] = b[i] + q * c[i];
}

XMR_TARGET_END

}  // namespace

const ProfileKernel& profile_kernel_avx2() {
  static const ProfileKernel k{fma_f32, 12.0 * 8 * 2, copy, triad};
  return k;
}

}  // namespace xmr::detail
