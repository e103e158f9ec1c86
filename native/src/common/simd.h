// Vector helpers shared by the per-ISA kernel twins (and by vector_types.h, the vector types their
// shared kernels use): horizontal sums in one fixed order, and masks for a vector's tail.
// Every helper is `static` and carries its own target attribute: each file gets its own copy,
// inlined into callers of the same or a wider target, so no shared inline function compiled for
// AVX-512 can be the copy the linker keeps for an AVX2 caller (see xmr/target.h).
#pragma once
#include <immintrin.h>

#include <cstddef>

#include "xmr/target.h"

#define XMR_SIMD_AVX2 __attribute__((target(XMR_ISA_AVX2)))
#define XMR_SIMD_AVX512 __attribute__((target(XMR_ISA_AVX512)))

namespace xmr::detail::simd {

// Σ of 8 floats: halves added, then pairs, then the last two (the order every twin uses).
XMR_SIMD_AVX2 static inline float hsum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

// Σ of 16 floats: the 256-bit halves added, then hsum. Halving by hand with zero-filled masked
// extracts: GCC 12's _mm512_reduce_add_ps trips -Wuninitialized on its own undefined-vector placeholders.
XMR_SIMD_AVX512 static inline float hsum(__m512 v) {
  return hsum(_mm256_add_ps(_mm512_mask_extractf32x8_ps(_mm256_setzero_ps(), 0xff, v, 0),
                            _mm512_mask_extractf32x8_ps(_mm256_setzero_ps(), 0xff, v, 1)));
}

// Σ of 4 doubles as (l0 + l1) + (l2 + l3).
XMR_SIMD_AVX2 static inline double hsum(__m256d v) {
  alignas(32) double l[4];
  _mm256_store_pd(l, v);
  return (l[0] + l[1]) + (l[2] + l[3]);
}

// Σ of 8 doubles as ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7)).
XMR_SIMD_AVX512 static inline double hsum(__m512d v) {
  alignas(64) double l[8];
  _mm512_store_pd(l, v);
  return ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]));
}

// The lanes of a 16-float vector that hold elements when `left` remain (all 16 when left ≥ 16).
static inline __mmask16 tail_mask16(size_t left) {
  return left >= 16 ? static_cast<__mmask16>(0xffff) : static_cast<__mmask16>((1u << left) - 1u);
}

}  // namespace xmr::detail::simd
