// AVX-512 probe loops: 12 zmm FMA chains (16 floats each), 12 zmm VDPBF16PS chains where
// AVX512-BF16 is present; STREAM loops 16 floats per step with a masked tail (the f32 loops:
// profile_vector_kernels.inc over VecAvx512).
#include <immintrin.h>

#include "../common/simd.h"
#include "../common/vector_types.h"
#include "profile_kernels.h"
#include "xmr/target.h"

namespace xmr::detail {
namespace {

XMR_TARGET_BEGIN(XMR_ISA_AVX512)

using simd::VecAvx512;

#include "profile_vector_kernels.inc"

XMR_TARGET_END

XMR_TARGET_BEGIN(XMR_ISA_AVX512BF16)

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
  static const ProfileKernel k{fma_f32<VecAvx512>, 12.0 * VecAvx512::kLanes * 2, copy<VecAvx512>, triad<VecAvx512>};
  return k;
}

}  // namespace xmr::detail
