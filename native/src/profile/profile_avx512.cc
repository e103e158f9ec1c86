// AVX-512 probe loops: 12 zmm FMA chains (16 floats each), 12 zmm VDPBF16PS chains where
// AVX512-BF16 is present; STREAM loops 16 floats per step with a masked tail.
#include <immintrin.h>

#include "../common/simd.h"
#include "profile_kernels.h"
#include "xmr/target.h"

namespace xmr::detail {
namespace {

XMR_TARGET_BEGIN("avx512f,avx512bw,avx512vl,avx512dq,fma")

float fma_f32(uint64_t iterations) {
  __m512 acc[12];
  for (int k = 0; k < 12; ++k) acc[k] = _mm512_set1_ps(static_cast<float>(k) * 0.01f);
  const __m512 m = _mm512_set1_ps(0.999999f), c = _mm512_set1_ps(1e-6f);
  for (uint64_t i = 0; i < iterations; ++i) {
    for (int k = 0; k < 12; ++k) acc[k] = _mm512_fmadd_ps(acc[k], m, c);
  }
  __m512 s = acc[0];
  for (int k = 1; k < 12; ++k) s = _mm512_add_ps(s, acc[k]);
  return simd::hsum(s);
}

void copy(const float* a, float* c, size_t n) {
  size_t i = 0;
  for (; i + 16 <= n; i += 16) _mm512_storeu_ps(c + i, _mm512_loadu_ps(a + i));
  const __mmask16 tail = simd::tail_mask16(n - i);
  _mm512_mask_storeu_ps(c + i, tail, _mm512_maskz_loadu_ps(tail, a + i));
}

void triad(float* a, const float* b, const float* c, float q, size_t n) {
  const __m512 vq = _mm512_set1_ps(q);
  size_t i = 0;
  for (; i + 16 <= n; i += 16) _mm512_storeu_ps(a + i, _mm512_fmadd_ps(vq, _mm512_loadu_ps(c + i), _mm512_loadu_ps(b + i)));
  const __mmask16 tail = simd::tail_mask16(n - i);
  _mm512_mask_storeu_ps(a + i, tail, _mm512_fmadd_ps(vq, _mm512_maskz_loadu_ps(tail, c + i), _mm512_maskz_loadu_ps(tail, b + i)));
}

XMR_TARGET_END

XMR_TARGET_BEGIN("avx512f,avx512bw,avx512vl,avx512dq,avx512bf16,fma")

// acc ← acc + Σ of two products 2⁻¹⁰ · 2⁻¹⁰ per lane: exact in bf16, grows by 2⁻¹⁹ per step,
// so it stays far from overflow for any run length a probe uses.
float fma_bf16_impl(uint64_t iterations) {
  __m512 acc[12];
  for (int k = 0; k < 12; ++k) acc[k] = _mm512_set1_ps(static_cast<float>(k));
  const __m512bh a = (__m512bh)_mm512_set1_epi16(0x3A80);  // bf16 2⁻¹⁰
  for (uint64_t i = 0; i < iterations; ++i) {
    for (int k = 0; k < 12; ++k) acc[k] = _mm512_dpbf16_ps(acc[k], a, a);
  }
  __m512 s = acc[0];
  for (int k = 1; k < 12; ++k) s = _mm512_add_ps(s, acc[k]);
  return simd::hsum(s);
}

XMR_TARGET_END

}  // namespace

float fma_bf16_avx512(uint64_t iterations) { return fma_bf16_impl(iterations); }

const ProfileKernel& profile_kernel_avx512() {
  static const ProfileKernel k{fma_f32, 12.0 * 16 * 2, copy, triad};
  return k;
}

}  // namespace xmr::detail
