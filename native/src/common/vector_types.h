// The two vector types that the AVX2 and AVX-512 twins' shared kernels are written over
// (topk/score_vector_kernels.inc, perturb/perturb_vector_kernels.inc, …): each ISA file includes
// its module's kernels inside its own XMR_TARGET region and anonymous namespace, and instantiates
// them with VecAvx2 or VecAvx512, so one source gives both machine codes.
//
// Every member carries its type's target attribute and the types sit in an anonymous namespace:
// each file gets its own copy, inlined into its kernels, and none compiled for AVX-512 can be the
// copy the linker keeps for an AVX2 caller (xmr/target.h).
//
// What a type supplies (F: kLanes float32 lanes):
//   zero(), set1(x), load(p) (aligned), loadu(p), storeu(p, v), stream(p, v) (aligned, non-temporal),
//   add, sub, mul, div, min, max (min/max return the second operand when either is NaN), sqrt,
//   fma(a, b, c) = a·b + c in one rounding, and_, or_, hsum(v) (simd::hsum's fixed order);
//   Mask, per lane: not_equal(a, b) (true when either is NaN), unordered(a, b),
//     select(m, a, b) = b where m, a elsewhere; keep(m, v) = v where m, 0 elsewhere;
//     above(v, g): bit l set where lane l of v is not ≤ g (NaN g: every lane; a NaN lane too);
//   Tail: tail(left) selects lanes [0, min(left, kLanes)); load_tail(t, p) (0 in the other lanes,
//     which are not read) and store_tail(p, t, v) (the other lanes not written);
//   D: kLanes / 2 float64 lanes: dzero(), widen(p) (kLanes / 2 floats at p), widen_tail(p, left)
//     (the first min(left, kLanes / 2), zeros after), dfma(a, b, c), dadd(a, b), hsum(d);
//   Words: kLanes 32-bit words holding two bf16 each: load_words(p) (aligned), low_halves(w) and
//     high_halves(w) (the bf16 in the low / high half of each word, as float32).
#pragma once
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "simd.h"

namespace xmr::detail::simd {
namespace {

struct VecAvx2 {
  using F = __m256;
  using Mask = __m256;
  using Tail = __m256i;
  using D = __m256d;
  using Words = __m256i;
  static constexpr size_t kLanes = 8;

  XMR_SIMD_AVX2 static F zero() { return _mm256_setzero_ps(); }
  XMR_SIMD_AVX2 static F set1(float x) { return _mm256_set1_ps(x); }
  XMR_SIMD_AVX2 static F load(const float* p) { return _mm256_load_ps(p); }
  XMR_SIMD_AVX2 static F loadu(const float* p) { return _mm256_loadu_ps(p); }
  XMR_SIMD_AVX2 static void storeu(float* p, F v) { _mm256_storeu_ps(p, v); }
  XMR_SIMD_AVX2 static void stream(float* p, F v) { _mm256_stream_ps(p, v); }
  XMR_SIMD_AVX2 static F add(F a, F b) { return _mm256_add_ps(a, b); }
  XMR_SIMD_AVX2 static F sub(F a, F b) { return _mm256_sub_ps(a, b); }
  XMR_SIMD_AVX2 static F mul(F a, F b) { return _mm256_mul_ps(a, b); }
  XMR_SIMD_AVX2 static F div(F a, F b) { return _mm256_div_ps(a, b); }
  XMR_SIMD_AVX2 static F min(F a, F b) { return _mm256_min_ps(a, b); }
  XMR_SIMD_AVX2 static F max(F a, F b) { return _mm256_max_ps(a, b); }
  XMR_SIMD_AVX2 static F sqrt(F a) { return _mm256_sqrt_ps(a); }
  XMR_SIMD_AVX2 static F fma(F a, F b, F c) { return _mm256_fmadd_ps(a, b, c); }
  XMR_SIMD_AVX2 static F and_(F a, F b) { return _mm256_and_ps(a, b); }
  XMR_SIMD_AVX2 static F or_(F a, F b) { return _mm256_or_ps(a, b); }
  XMR_SIMD_AVX2 static float hsum(F v) { return simd::hsum(v); }

  XMR_SIMD_AVX2 static Mask not_equal(F a, F b) { return _mm256_cmp_ps(a, b, _CMP_NEQ_UQ); }
  XMR_SIMD_AVX2 static Mask unordered(F a, F b) { return _mm256_cmp_ps(a, b, _CMP_UNORD_Q); }
  XMR_SIMD_AVX2 static F select(Mask m, F a, F b) { return _mm256_blendv_ps(a, b, m); }
  XMR_SIMD_AVX2 static F keep(Mask m, F v) { return _mm256_and_ps(v, m); }
  XMR_SIMD_AVX2 static uint32_t above(F v, float g) { return static_cast<uint32_t>(_mm256_movemask_ps(_mm256_cmp_ps(v, _mm256_set1_ps(g), _CMP_NLE_UQ))); }

  XMR_SIMD_AVX2 static Tail tail(size_t left) {
    const int n = left >= kLanes ? static_cast<int>(kLanes) : static_cast<int>(left);
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  }
  XMR_SIMD_AVX2 static F load_tail(Tail t, const float* p) { return _mm256_maskload_ps(p, t); }
  XMR_SIMD_AVX2 static void store_tail(float* p, Tail t, F v) { _mm256_maskstore_ps(p, t, v); }

  XMR_SIMD_AVX2 static D dzero() { return _mm256_setzero_pd(); }
  XMR_SIMD_AVX2 static D widen(const float* p) { return _mm256_cvtps_pd(_mm_loadu_ps(p)); }
  XMR_SIMD_AVX2 static D widen_tail(const float* p, size_t left) {
    const int n = left >= 4 ? 4 : static_cast<int>(left);
    return _mm256_cvtps_pd(_mm_maskload_ps(p, _mm_cmpgt_epi32(_mm_set1_epi32(n), _mm_setr_epi32(0, 1, 2, 3))));
  }
  XMR_SIMD_AVX2 static D dfma(D a, D b, D c) { return _mm256_fmadd_pd(a, b, c); }
  XMR_SIMD_AVX2 static D dadd(D a, D b) { return _mm256_add_pd(a, b); }
  XMR_SIMD_AVX2 static double hsum(D v) { return simd::hsum(v); }

  XMR_SIMD_AVX2 static Words load_words(const uint32_t* p) { return _mm256_load_si256(reinterpret_cast<const __m256i*>(p)); }
  XMR_SIMD_AVX2 static F low_halves(Words w) { return _mm256_castsi256_ps(_mm256_slli_epi32(w, 16)); }
  XMR_SIMD_AVX2 static F high_halves(Words w) { return _mm256_castsi256_ps(_mm256_and_si256(w, _mm256_set1_epi32(static_cast<int>(0xffff0000u)))); }
};

struct VecAvx512 {
  using F = __m512;
  using Mask = __mmask16;
  using Tail = __mmask16;
  using D = __m512d;
  using Words = __m512i;
  static constexpr size_t kLanes = 16;

  XMR_SIMD_AVX512 static F zero() { return _mm512_setzero_ps(); }
  XMR_SIMD_AVX512 static F set1(float x) { return _mm512_set1_ps(x); }
  XMR_SIMD_AVX512 static F load(const float* p) { return _mm512_load_ps(p); }
  XMR_SIMD_AVX512 static F loadu(const float* p) { return _mm512_loadu_ps(p); }
  XMR_SIMD_AVX512 static void storeu(float* p, F v) { _mm512_storeu_ps(p, v); }
  XMR_SIMD_AVX512 static void stream(float* p, F v) { _mm512_stream_ps(p, v); }
  XMR_SIMD_AVX512 static F add(F a, F b) { return _mm512_add_ps(a, b); }
  XMR_SIMD_AVX512 static F sub(F a, F b) { return _mm512_sub_ps(a, b); }
  XMR_SIMD_AVX512 static F mul(F a, F b) { return _mm512_mul_ps(a, b); }
  XMR_SIMD_AVX512 static F div(F a, F b) { return _mm512_div_ps(a, b); }
  XMR_SIMD_AVX512 static F min(F a, F b) { return _mm512_min_ps(a, b); }
  XMR_SIMD_AVX512 static F max(F a, F b) { return _mm512_max_ps(a, b); }
  XMR_SIMD_AVX512 static F sqrt(F a) { return _mm512_sqrt_ps(a); }
  XMR_SIMD_AVX512 static F fma(F a, F b, F c) { return _mm512_fmadd_ps(a, b, c); }
  XMR_SIMD_AVX512 static F and_(F a, F b) { return _mm512_and_ps(a, b); }
  XMR_SIMD_AVX512 static F or_(F a, F b) { return _mm512_or_ps(a, b); }
  XMR_SIMD_AVX512 static float hsum(F v) { return simd::hsum(v); }

  XMR_SIMD_AVX512 static Mask not_equal(F a, F b) { return _mm512_cmp_ps_mask(a, b, _CMP_NEQ_UQ); }
  XMR_SIMD_AVX512 static Mask unordered(F a, F b) { return _mm512_cmp_ps_mask(a, b, _CMP_UNORD_Q); }
  XMR_SIMD_AVX512 static F select(Mask m, F a, F b) { return _mm512_mask_mov_ps(a, m, b); }
  XMR_SIMD_AVX512 static F keep(Mask m, F v) { return _mm512_maskz_mov_ps(m, v); }
  XMR_SIMD_AVX512 static uint32_t above(F v, float g) { return static_cast<uint32_t>(_mm512_cmp_ps_mask(v, _mm512_set1_ps(g), _CMP_NLE_UQ)); }

  XMR_SIMD_AVX512 static Tail tail(size_t left) { return tail_mask16(left); }
  XMR_SIMD_AVX512 static F load_tail(Tail t, const float* p) { return _mm512_maskz_loadu_ps(t, p); }
  XMR_SIMD_AVX512 static void store_tail(float* p, Tail t, F v) { _mm512_mask_storeu_ps(p, t, v); }

  // maskz forms: GCC 12 warns on the undefined-source forms of these conversions (GCC bug 105593).
  XMR_SIMD_AVX512 static D dzero() { return _mm512_setzero_pd(); }
  XMR_SIMD_AVX512 static D widen(const float* p) { return _mm512_maskz_cvtps_pd(0xff, _mm256_loadu_ps(p)); }
  XMR_SIMD_AVX512 static D widen_tail(const float* p, size_t left) {
    const __mmask8 m = static_cast<__mmask8>(left >= 8 ? 0xffu : (1u << left) - 1u);
    return _mm512_maskz_cvtps_pd(0xff, _mm256_maskz_loadu_ps(m, p));
  }
  XMR_SIMD_AVX512 static D dfma(D a, D b, D c) { return _mm512_fmadd_pd(a, b, c); }
  XMR_SIMD_AVX512 static D dadd(D a, D b) { return _mm512_add_pd(a, b); }
  XMR_SIMD_AVX512 static double hsum(D v) { return simd::hsum(v); }

  XMR_SIMD_AVX512 static Words load_words(const uint32_t* p) { return _mm512_load_si512(p); }
  XMR_SIMD_AVX512 static F low_halves(Words w) { return _mm512_castsi512_ps(_mm512_slli_epi32(w, 16)); }
  XMR_SIMD_AVX512 static F high_halves(Words w) { return _mm512_castsi512_ps(_mm512_and_si512(w, _mm512_set1_epi32(static_cast<int>(0xffff0000u)))); }
};

}  // namespace
}  // namespace xmr::detail::simd
